"""96178投诉服务中心: consumer complaints against businesses, plain UTF-8 CSV (no BOM),
one file per year, dates written 2026.03.05, amounts sometimes as 1.2万元."""

from __future__ import annotations

import random
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.context import Context
from loaders.generator.departments.base import (
    CaseFormat,
    CaseRow,
    CaseTable,
    Numbers,
    Profile,
    Slot,
    by_year,
    drawn,
    label,
    observed,
    write_matters,
    yearly,
)
from loaders.generator.formats import dotted, optional
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe
from loaders.generator.writers import CsvSink

DEPARTMENT = Department.COMPLAINT_96178
C = DisputeCategory
S = CaseState
P = PartyRole
K = PartyKind

COMPLAINTS_PER_PERSON = 0.72

TYPES: dict[DisputeCategory, str | tuple[str, ...]] = {
    C.CONSUMER: ("商品质量", "服务质量", "价格争议", "预付卡消费", "虚假宣传", "网络购物",
                 "食品安全", "售后服务"),
    C.CONTRACT_SALES: "合同纠纷", C.CONTRACT_SERVICES: "装修服务",
    C.PROPERTY_MANAGEMENT: "物业服务", C.SCHOOL: "教育培训", C.OTHER: "其他",
}
STATES = {
    S.REGISTERED: "已登记", S.ACCEPTED: "已受理", S.DECLINED: "不予受理", S.MEDIATION: "调解中",
    S.AGREEMENT: "调解成功", S.TERMINATED: "终止调解", S.NOTIFIED: "已告知",
}
COLUMNS = ("投诉编号", "投诉日期", "投诉类别", "处理状态", "办结日期", "投诉人", "投诉人证件号码",
           "投诉人电话", "投诉人地址", "被投诉单位", "被投诉单位统一社会信用代码", "被投诉单位地址",
           "涉及金额", "投诉内容", "更新时间")
SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "投诉人", "id_number": "投诉人证件号码",
                                 "phone": "投诉人电话", "address": "投诉人地址"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "被投诉单位",
                                      "credit_code": "被投诉单位统一社会信用代码",
                                      "address": "被投诉单位地址"}),
)
RECIPES = (
    Recipe(C.CONSUMER, 85, "person_business"),
    Recipe(C.CONTRACT_SALES, 5, "person_business"),
    Recipe(C.CONTRACT_SERVICES, 5, "person_business"),
    Recipe(C.PROPERTY_MANAGEMENT, 3, "person_property"),
    Recipe(C.SCHOOL, 2, "person_school"),
)
PROFILE = Profile(
    PersonNoise(homophone=0.05, typo=0.01, surname_only=0.03, missing_id=0.7, masked_id=0.05,
                landline=0.1, phone_format=0.1, address_variant=0.3),
    EnterpriseNoise(region_dropped=0.25, region_variant=0.1, legal_form_variant=0.15,
                    homophone=0.03, branch_as_parent=0.15, missing_code=0.6),
)


def _amount(yuan: int | None, rng: random.Random) -> str:
    if yuan is None:
        return ""
    if yuan >= 10_000 and rng.random() < 0.1:
        return f"{yuan / 10_000:g}万元"
    return str(yuan)


def _cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    return {
        "_year": matter.filed_on.year, "投诉编号": matter.source_id,
        "投诉日期": dotted(matter.filed_on), "投诉类别": label(TYPES, matter.category, rng),
        "处理状态": STATES[case.state], "办结日期": optional(matter.closed_on, "dotted"),
        "涉及金额": _amount(matter.amount, rng), "投诉内容": matter.summary,
        "更新时间": observed(matter, rng),
    }


FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.CONSUMER_COMPLAINT, slots=SLOTS, profile=PROFILE,
    number=yearly("TS{year}{n:07d}"), cells=_cells,
    bad_columns={"filed_on": "投诉日期", "name": "投诉人"}, bad_dates="dotted",
)


def write_complaints(ctx: Context) -> None:
    rng = ctx.rng("complaint96178/complaints")
    cases = CaseTable(ctx, FORMAT, CsvSink(
        ctx.folder(DEPARTMENT), COLUMNS, encoding="utf-8", file_for=by_year("96178投诉"),
        newline="\n"), rng, Numbers(ctx.rng("complaint/numbers")))
    write_matters(ctx, ctx.rows(COMPLAINTS_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  ("filed_on", "name"), cases.write,
                  drawn(ctx, RECIPES, rng, ctx.rng("complaint96178/days"), complaint=True),
                  bad_stream="complaint96178/bad", interleave_stream="complaint96178/interleave")
    cases.close()
