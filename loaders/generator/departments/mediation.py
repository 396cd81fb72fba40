"""人民调解委员会: people's mediation cases.

UTF-8 CSV with a byte-order mark (what Excel writes for "CSV UTF-8"), one file per year,
dates written 2026/3/5. Committees often skip the ID number.
"""

from __future__ import annotations

from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.context import Context
from loaders.generator.departments.base import (
    CaseFormat,
    CaseRow,
    CaseTable,
    Numbers,
    Placed,
    Profile,
    Slot,
    by_year,
    drawn,
    first_person_slot,
    home_district,
    observed,
    write_matters,
)
from loaders.generator.formats import optional, slash_unpadded
from loaders.generator.matters import Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe
from loaders.generator.writers import CsvSink

DEPARTMENT = Department.PEOPLES_MEDIATION
C = DisputeCategory
S = CaseState
P = PartyRole
K = PartyKind

CASES_PER_PERSON = 0.75

TYPES: dict[DisputeCategory, str] = {
    C.MARRIAGE_FAMILY: "婚姻家庭纠纷", C.INHERITANCE: "继承纠纷", C.NEIGHBOURS: "邻里纠纷",
    C.HOMESTEAD: "宅基地纠纷", C.FOREST_LAND: "山林土地纠纷", C.PROPERTY_MANAGEMENT: "物业纠纷",
    C.PRIVATE_LENDING: "民间借贷纠纷", C.CONTRACT_SALES: "买卖合同纠纷",
    C.CONTRACT_SERVICES: "劳务纠纷", C.DAMAGES: "损害赔偿纠纷", C.LABOUR: "劳动争议纠纷",
    C.WAGE_ARREARS: "欠薪纠纷", C.MEDICAL: "医疗纠纷", C.ROAD_TRAFFIC: "道路交通事故纠纷",
    C.CONSUMER: "消费纠纷", C.LAND_REQUISITION: "征地拆迁纠纷", C.ENVIRONMENT: "环境污染纠纷",
    C.COMMERCIAL: "涉企纠纷", C.SCHOOL: "校园纠纷", C.OTHER: "其他纠纷",
}
STATES = {
    S.APPLIED: "已申请", S.ACCEPTED: "已受理", S.IN_MEDIATION: "调解中", S.AGREEMENT: "调解成功",
    S.FAILED: "调解不成", S.JUDICIAL_CONFIRMATION: "已司法确认", S.PERFORMED: "已履行",
    S.FOLLOW_UP: "已回访",
}
COLUMNS = (
    "调解案号", "受理日期", "纠纷类型", "调解状态", "办结日期", "申请人", "申请人身份证号",
    "申请人联系电话", "申请人住址", "被申请人", "被申请人身份证号", "被申请人联系电话",
    "被申请单位", "被申请单位统一社会信用代码", "涉及金额", "纠纷简要情况", "调解组织", "更新时间",
)
SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "申请人", "id_number": "申请人身份证号",
                                 "phone": "申请人联系电话", "address": "申请人住址"}),
    Slot(P.RESPONDENT, K.PERSON, {"name": "被申请人", "id_number": "被申请人身份证号",
                                  "phone": "被申请人联系电话"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "被申请单位",
                                      "credit_code": "被申请单位统一社会信用代码"}),
)
RECIPES = (
    Recipe(C.NEIGHBOURS, 20, "neighbours"),
    Recipe(C.MARRIAGE_FAMILY, 14, "spouses"),
    Recipe(C.HOMESTEAD, 5, "neighbours"),
    Recipe(C.FOREST_LAND, 3, "person_person"),
    Recipe(C.PROPERTY_MANAGEMENT, 8, "person_property"),
    Recipe(C.PRIVATE_LENDING, 10, "person_person"),
    Recipe(C.CONTRACT_SERVICES, 5, "person_person"),
    Recipe(C.DAMAGES, 9, "person_person"),
    Recipe(C.LABOUR, 4, "worker_employer"),
    Recipe(C.WAGE_ARREARS, 3, "worker_employer"),
    Recipe(C.MEDICAL, 2, "patient_hospital"),
    Recipe(C.ROAD_TRAFFIC, 5, "person_person"),
    Recipe(C.CONSUMER, 5, "person_business"),
    Recipe(C.LAND_REQUISITION, 2, "person_developer"),
    Recipe(C.ENVIRONMENT, 1, "person_factory"),
    Recipe(C.COMMERCIAL, 1, "person_company"),
    Recipe(C.SCHOOL, 1, "person_school"),
    Recipe(C.INHERITANCE, 2, "person_person"),
    Recipe(C.OTHER, 3, "alone"),
)
PROFILE = Profile(
    PersonNoise(typo=0.02, homophone=0.03, traditional=0.01, missing_id=0.25, masked_id=0.05,
                id15=0.02, id_typo=0.003, landline=0.15, family_phone=0.03, phone_format=0.05,
                address_variant=0.3),
    EnterpriseNoise(region_dropped=0.25, region_variant=0.1, legal_form_variant=0.1,
                    missing_code=0.6, branch_as_parent=0.2),
)
BAD_KINDS = ("name", "id_number", "filed_on")


def write_mediation(ctx: Context) -> None:
    rng = ctx.rng("mediation/cases")
    cases = CaseTable(ctx, FORMAT, CsvSink(
        ctx.folder(DEPARTMENT), COLUMNS, encoding="utf-8-sig", file_for=by_year("人民调解案件")),
        rng, Numbers(ctx.rng("mediation/numbers")))

    def write(matter: Matter, bad: str | None) -> None:
        # Court writes later look these pairs up: parties who met here first.
        ids = [p.entity.entity_id for p in matter.parties]
        if len(ids) >= 2:
            ctx.registry.add_pair(ids[0], ids[-1])
        cases.write(matter, bad)

    write_matters(ctx, ctx.rows(CASES_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  BAD_KINDS, write, drawn(ctx, RECIPES, rng, ctx.rng("mediation/days"),
                                          complaint=True),
                  bad_stream="mediation/bad", interleave_stream="mediation/interleave")
    cases.close()


def _number(matter: Matter, numbers: Numbers) -> str:
    district = home_district(matter)
    year = matter.filed_on.year
    return f"{district.short}人调〔{year}〕{numbers.next(f'{district.key}{year}')}号"


def _cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    return {
        "_year": matter.filed_on.year, "调解案号": matter.source_id,
        "受理日期": slash_unpadded(matter.filed_on), "纠纷类型": TYPES[matter.category],
        "调解状态": STATES[case.state], "办结日期": optional(matter.closed_on, "slash"),
        "涉及金额": str(matter.amount) if matter.amount else "",
        "纠纷简要情况": matter.summary,
        "调解组织": home_district(matter).name + rng.choice(("人民调解委员会", "矛盾纠纷调解中心")),
        "更新时间": observed(matter, rng),
    }


def _bad_columns(placed: Placed) -> dict[str, str]:
    """A bad name or ID number is the first person's, whichever side they are on."""
    slot = first_person_slot(placed)
    assert slot is not None
    return {"name": slot.columns["name"], "id_number": slot.columns["id_number"],
            "filed_on": "受理日期"}


FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.PEOPLES_MEDIATION, slots=SLOTS, profile=PROFILE,
    number=_number, cells=_cells,
    bad_columns=_bad_columns, bad_dates="slash",
)
