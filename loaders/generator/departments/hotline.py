"""81890求助服务中心: hotline work orders, GB18030 CSV, one file per year.

The caller's name is typed from what the operator heard, so Wu-dialect homophones
(王/黄, 陈/程) and "王先生" stand in for names; there is no ID number, only the number
the caller rang from, and the enterprise complained about is named however the caller
said it.
"""

from __future__ import annotations

import random
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.clock import office_time
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
    observed,
    write_matters,
    yearly,
)
from loaders.generator.formats import slash_datetime
from loaders.generator.matters import Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe
from loaders.generator.writers import CsvSink

DEPARTMENT = Department.HOTLINE_81890
C = DisputeCategory
S = CaseState
P = PartyRole
K = PartyKind

CALLS_PER_PERSON = 1.65

TYPES: dict[DisputeCategory, str] = {
    C.LABOUR: "劳资纠纷", C.WAGE_ARREARS: "拖欠工资", C.CONSUMER: "消费维权",
    C.PROPERTY_MANAGEMENT: "物业管理", C.NEIGHBOURS: "邻里纠纷", C.MARRIAGE_FAMILY: "家庭纠纷",
    C.ROAD_TRAFFIC: "交通事故", C.MEDICAL: "医疗卫生", C.ENVIRONMENT: "环境污染",
    C.LAND_REQUISITION: "征地拆迁", C.SCHOOL: "校园安全", C.CONTRACT_SALES: "房屋买卖",
    C.CONTRACT_SERVICES: "装修纠纷", C.PRIVATE_LENDING: "借贷纠纷", C.DAMAGES: "人身伤害",
    C.HOMESTEAD: "宅基地纠纷", C.FOREST_LAND: "土地纠纷", C.COMMERCIAL: "企业经营",
    C.INHERITANCE: "遗产继承", C.OTHER: "其他求助",
}
STATES = {
    S.REGISTERED: "已受理", S.DISPATCHED: "已派单", S.ACKNOWLEDGED: "已签收",
    S.IN_PROGRESS: "办理中", S.REPLIED: "已回复", S.FOLLOW_UP: "已回访", S.CLOSED: "已办结",
    S.RETURNED: "已退单", S.ESCALATED: "已督办",
}
COLUMNS = ("工单编号", "来电时间", "来电人", "来电号码", "联系地址", "诉求类型", "被反映对象",
           "诉求内容", "工单状态", "办结时间", "回访满意度", "更新时间")
SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "来电人", "phone": "来电号码", "address": "联系地址"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "被反映对象"}),
)
RECIPES = (
    Recipe(C.CONSUMER, 25, "person_business"),
    Recipe(C.PROPERTY_MANAGEMENT, 12, "person_property"),
    Recipe(C.NEIGHBOURS, 12, "alone"),
    Recipe(C.WAGE_ARREARS, 6, "worker_employer"),
    Recipe(C.LABOUR, 4, "worker_employer"),
    Recipe(C.ROAD_TRAFFIC, 5, "alone"),
    Recipe(C.ENVIRONMENT, 5, "person_factory"),
    Recipe(C.ENVIRONMENT, 3, "alone"),
    Recipe(C.MEDICAL, 3, "patient_hospital"),
    Recipe(C.MARRIAGE_FAMILY, 4, "alone"),
    Recipe(C.SCHOOL, 3, "person_school"),
    Recipe(C.LAND_REQUISITION, 3, "person_developer"),
    Recipe(C.CONTRACT_SERVICES, 5, "person_business"),
    Recipe(C.PRIVATE_LENDING, 2, "alone"),
    Recipe(C.OTHER, 8, "alone"),
)
PROFILE = Profile(
    PersonNoise(homophone=0.22, typo=0.03, surname_only=0.05, dot_variant=0.8, landline=0.2,
                landline_no_area=0.7, family_phone=0.05, phone_format=0.1, fullwidth_digits=0.01,
                missing_phone=0.0, address_variant=0.4),
    EnterpriseNoise(region_dropped=0.45, region_variant=0.1, legal_form_variant=0.3,
                    homophone=0.15, branch_as_parent=0.4),
)
# Callers are sometimes logged with the number of the line they were put through on.
SERVICE_PHONE_RATE = 0.003


def write_hotline(ctx: Context) -> None:
    rng = ctx.rng("hotline/calls")
    cases = CaseTable(ctx, FORMAT, CsvSink(
        ctx.folder(DEPARTMENT), COLUMNS, encoding="gb18030", file_for=by_year("81890工单")),
        rng, Numbers(ctx.rng("hotline/numbers")))
    write_matters(ctx, ctx.rows(CALLS_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  ("category", "filed_on"), cases.write,
                  drawn(ctx, RECIPES, rng, ctx.rng("hotline/days"), complaint=True,
                        adjust=_forget_respondent),
                  bad_stream="hotline/bad", interleave_stream="hotline/interleave")
    cases.close()


def _forget_respondent(ctx: Context, matter: Matter, rng: random.Random) -> None:
    """Callers often do not name whom they complain about.

    The call then counts as a complaint about its category for the repeat guard, so it is
    only left anonymous when the caller has not complained about that category before.
    """
    if len(matter.parties) < 2 or rng.random() >= 0.35:
        return
    caller = matter.parties[0].entity.index
    if ctx.registry.complaint_free(caller, matter.category.value):
        ctx.registry.mark_complaint(caller, matter.category.value)
        del matter.parties[1:]


def _cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    if rng.random() < SERVICE_PHONE_RATE:
        case.tags[0].append("service_phone")
        case.cells["来电号码"] = "81890"
    return {
        "_year": matter.filed_on.year, "工单编号": matter.source_id,
        "来电时间": slash_datetime(office_time(rng, matter.filed_on)),
        "诉求类型": TYPES[matter.category], "诉求内容": matter.summary,
        "工单状态": STATES[case.state],
        "办结时间": (slash_datetime(office_time(rng, matter.closed_on))
                     if matter.closed_on else ""),
        "回访满意度": rng.choice(("满意", "基本满意", "不满意", "")) if matter.closed_on else "",
        "更新时间": observed(matter, rng),
    }


FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.HOTLINE, slots=SLOTS, profile=PROFILE,
    number=yearly("GD{year}{n:07d}"), cells=_cells,
    bad_columns={"category": "诉求类型", "filed_on": "来电时间"}, bad_dates="slash_datetime",
)
