"""96178投诉服务中心: consumer complaints against businesses, plain UTF-8 CSV (no BOM),
one file per year, dates written 2026.03.05, amounts sometimes as 1.2万元."""

from __future__ import annotations

import random

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.bad_rows import BadRows
from loaders.generator.clock import history_day
from loaders.generator.context import Context
from loaders.generator.departments.base import (
    Numbers,
    Profile,
    Slot,
    Table,
    break_cell,
    by_year,
    case_truth,
    interleave,
    label,
    observed,
    place,
    settle_state,
    write_parties,
)
from loaders.generator.formats import dotted, optional
from loaders.generator.matters import Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe, draw
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


def write_complaints(ctx: Context) -> None:
    rng = ctx.rng("complaint96178/complaints")
    day_rng = ctx.rng("complaint96178/days")
    table = Table(ctx, DEPARTMENT, "case", CsvSink(
        ctx.folder(DEPARTMENT), COLUMNS, encoding="utf-8", file_for=by_year("96178投诉"),
        newline="\n"))
    numbers = Numbers(ctx.rng("complaint/numbers"))
    count = ctx.rows(COMPLAINTS_PER_PERSON)
    bad = BadRows(ctx.rng("complaint96178/bad"), count, ("filed_on", "name"),
                  enabled=ctx.bad_rows_enabled)
    planted = ctx.scenarios.matters_for(DEPARTMENT)
    for row, matter in interleave(count, planted, ctx.rng("complaint96178/interleave")):
        if matter is None:
            matter = draw(RECIPES, ctx.sampler, rng, lambda: history_day(day_rng),
                          complaint=True)
            if matter is not None:
                _write(ctx, table, numbers, matter, rng, bad.kind(row))
        else:
            _write(ctx, table, numbers, matter, rng, None)
    table.close()


def _write(ctx: Context, table: Table, numbers: Numbers, matter: Matter, rng: random.Random,
           bad: str | None) -> None:
    settle_state(matter, Channel.CONSUMER_COMPLAINT, rng)
    assert matter.state is not None
    year = matter.filed_on.year
    matter.source = DEPARTMENT.value
    matter.source_id = f"TS{year}{numbers.next(str(year)):07d}"
    placed = place(SLOTS, matter.parties)
    tags: list[list[str]] = []
    cells = write_parties(ctx, placed, PROFILE, rng, matter.filed_on, tags)
    cells.update({
        "_year": year, "投诉编号": matter.source_id, "投诉日期": dotted(matter.filed_on),
        "投诉类别": label(TYPES, matter.category, rng), "处理状态": STATES[matter.state],
        "办结日期": optional(matter.closed_on, "dotted"), "涉及金额": _amount(matter.amount, rng),
        "投诉内容": matter.summary, "更新时间": observed(matter, rng),
    })
    if bad is not None:
        break_cell(bad, cells, {"filed_on": "投诉日期", "name": "投诉人"}, "dotted", rng)
    table.write(cells, matter.source_id, case_truth(matter, [p for _, p in placed], tags, bad))
