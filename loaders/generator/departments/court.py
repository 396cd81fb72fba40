"""人民法院: civil cases, enforcement cases and the dishonest-debtor list.

Civil and enforcement cases are GB18030 CSV, one file per filing year, dates written
2026年3月5日; the dishonest-debtor list is XLSX, persons and organisations apart. Court
records carry full ID numbers: courts need them to tell namesakes apart.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.clock import LAST_DAY, REFERENCE_DATE, age_on, history_day, update_time
from loaders.generator.context import Context
from loaders.generator.departments.base import (
    CaseFormat,
    CaseRow,
    CaseTable,
    Numbers,
    Profile,
    Slot,
    Table,
    by_year,
    entity_truth,
    label,
    observed,
    write_matters,
)
from loaders.generator.formats import chinese, iso_datetime, optional
from loaders.generator.listings import Listing
from loaders.generator.matters import Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe, draw
from loaders.generator.population import Person
from loaders.generator.regions import NINGBO, District
from loaders.generator.writers import CsvSink, XlsxSink

DEPARTMENT = Department.COURT
C = DisputeCategory
S = CaseState
P = PartyRole
K = PartyKind

CIVIL_PER_PERSON = 0.62
ENFORCEMENT_PER_PERSON = 0.18

CAUSES: dict[DisputeCategory, tuple[str, ...]] = {
    C.MARRIAGE_FAMILY: ("离婚纠纷", "抚养费纠纷", "赡养费纠纷"),
    C.INHERITANCE: ("法定继承纠纷", "遗嘱继承纠纷"),
    C.NEIGHBOURS: ("相邻关系纠纷",),
    C.HOMESTEAD: ("宅基地使用权纠纷",),
    C.FOREST_LAND: ("土地承包经营权纠纷",),
    C.PROPERTY_MANAGEMENT: ("物业服务合同纠纷",),
    C.PRIVATE_LENDING: ("民间借贷纠纷",),
    C.CONTRACT_SALES: ("买卖合同纠纷",),
    C.CONTRACT_SERVICES: ("服务合同纠纷", "劳务合同纠纷"),
    C.DAMAGES: ("生命权、身体权、健康权纠纷", "财产损害赔偿纠纷"),
    C.LABOUR: ("劳动争议", "劳动合同纠纷"),
    C.WAGE_ARREARS: ("追索劳动报酬纠纷",),
    C.MEDICAL: ("医疗损害责任纠纷",),
    C.ROAD_TRAFFIC: ("机动车交通事故责任纠纷",),
    C.CONSUMER: ("产品责任纠纷", "网络购物合同纠纷"),
    C.LAND_REQUISITION: ("房屋拆迁安置补偿合同纠纷",),
    C.ENVIRONMENT: ("环境污染责任纠纷",),
    C.COMMERCIAL: ("股权转让纠纷", "企业借贷纠纷"),
    C.SCHOOL: ("教育机构责任纠纷",),
    C.OTHER: ("侵权责任纠纷",),
}
LITIGATION_STATES = {S.FILED: "已立案", S.ACCEPTED: "已受理", S.HEARING: "审理中",
                     S.JUDGMENT: "已判决", S.WITHDRAWN: "已撤诉", S.CLOSED: "已结案"}
ENFORCEMENT_STATES: dict[CaseState, str | tuple[str, ...]] = {
    S.FILED: "已立案", S.ENFORCING: "执行中", S.CONCLUDED: "执行完毕",
    S.TERMINATED: ("终结本次执行程序", "终结执行"),
}

CIVIL_COLUMNS = (
    "案号", "立案日期", "案由", "审判程序", "案件状态", "结案日期", "原告", "原告身份证号",
    "原告联系电话", "原告单位", "原告单位统一社会信用代码", "被告", "被告身份证号", "被告联系电话",
    "被告住址", "被告单位", "被告单位统一社会信用代码", "诉讼标的额", "关联调解案号", "承办法院",
    "案情摘要", "数据更新时间",
)
CIVIL_SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "原告", "id_number": "原告身份证号",
                                 "phone": "原告联系电话"}),
    Slot(P.APPLICANT, K.ENTERPRISE, {"name": "原告单位",
                                     "credit_code": "原告单位统一社会信用代码"}),
    Slot(P.RESPONDENT, K.PERSON, {"name": "被告", "id_number": "被告身份证号",
                                  "phone": "被告联系电话", "address": "被告住址"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "被告单位",
                                      "credit_code": "被告单位统一社会信用代码"}),
)
ENFORCEMENT_COLUMNS = (
    "执行案号", "立案日期", "执行依据", "案由", "执行状态", "结案日期", "申请执行人",
    "申请执行人证件号码", "申请执行单位", "申请执行单位信用代码", "被执行人", "被执行人证件号码",
    "被执行人联系电话", "被执行单位", "被执行单位信用代码", "执行标的金额", "执行法院",
    "数据更新时间",
)
ENFORCEMENT_SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "申请执行人", "id_number": "申请执行人证件号码"}),
    Slot(P.APPLICANT, K.ENTERPRISE, {"name": "申请执行单位",
                                     "credit_code": "申请执行单位信用代码"}),
    Slot(P.RESPONDENT, K.PERSON, {"name": "被执行人", "id_number": "被执行人证件号码",
                                  "phone": "被执行人联系电话"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "被执行单位", "credit_code": "被执行单位信用代码"}),
)
DISHONEST_PERSON_COLUMNS = (
    "失信编号", "被执行人姓名", "性别", "年龄", "身份证号码", "执行法院", "执行案号",
    "生效法律文书确定的义务", "失信被执行人行为具体情形", "发布时间", "预计屏蔽时间",
    "数据更新时间",
)
DISHONEST_FIRM_COLUMNS = (
    "失信编号", "被执行人名称", "统一社会信用代码", "法定代表人", "执行法院", "执行案号",
    "生效法律文书确定的义务", "失信被执行人行为具体情形", "发布时间", "预计屏蔽时间",
    "数据更新时间",
)

RECIPES = (
    Recipe(C.PRIVATE_LENDING, 24, "person_person"),
    Recipe(C.PRIVATE_LENDING, 4, "company_person"),
    Recipe(C.CONTRACT_SALES, 8, "company_company"),
    Recipe(C.CONTRACT_SALES, 5, "company_person"),
    Recipe(C.MARRIAGE_FAMILY, 12, "spouses"),
    Recipe(C.ROAD_TRAFFIC, 8, "person_person"),
    Recipe(C.LABOUR, 3, "worker_employer"),
    Recipe(C.WAGE_ARREARS, 3, "worker_employer"),
    Recipe(C.PROPERTY_MANAGEMENT, 6, "property_person"),
    Recipe(C.NEIGHBOURS, 4, "neighbours"),
    Recipe(C.INHERITANCE, 3, "person_person"),
    Recipe(C.DAMAGES, 6, "person_person"),
    Recipe(C.MEDICAL, 2, "patient_hospital"),
    Recipe(C.COMMERCIAL, 6, "company_company"),
    Recipe(C.CONSUMER, 3, "person_business"),
    Recipe(C.CONTRACT_SERVICES, 3, "person_company"),
    Recipe(C.LAND_REQUISITION, 1, "person_developer"),
    Recipe(C.ENVIRONMENT, 0.5, "person_factory"),
    Recipe(C.SCHOOL, 0.5, "person_school"),
    Recipe(C.OTHER, 1, "person_person"),
)
ENFORCEMENT_RECIPES = (
    Recipe(C.PRIVATE_LENDING, 50, "person_person"),
    Recipe(C.CONTRACT_SALES, 20, "company_company"),
    Recipe(C.WAGE_ARREARS, 10, "worker_employer"),
    Recipe(C.DAMAGES, 10, "person_person"),
    Recipe(C.COMMERCIAL, 10, "company_company"),
)

PROFILE = Profile(
    PersonNoise(typo=0.003, traditional=0.002, dot_variant=0.1, missing_id=0.03, id15=0.01,
                id_typo=0.001, missing_phone=0.1, landline=0.05, phone_format=0.02,
                address_variant=0.1),
    EnterpriseNoise(legal_form_variant=0.01, missing_code=0.08, fullwidth_brackets=0.9),
)
LIST_PROFILE = Profile(
    PersonNoise(typo=0.001, dot_variant=0.05),
    EnterpriseNoise(fullwidth_brackets=0.9),
)
CIVIL_BAD_COLUMNS = {"filed_on": "立案日期", "category": "案由"}
ENFORCEMENT_BAD_COLUMNS = {"filed_on": "立案日期", "category": "案由"}
# What a court reservoir of judgments keeps for later enforcement cases.
_RESERVOIR = 5000
# Background draws that land on a pair who met in mediation are drawn again this often.
_REDRAWS = 50


def court_of(matter: Matter) -> District:
    """The basic court: where the (first) respondent lives or is registered."""
    for party in matter.parties:
        if party.role is P.RESPONDENT:
            district = party.entity.home if isinstance(party.entity, Person) \
                else party.entity.district
            if district.in_ningbo:
                return district
    return NINGBO[0]


def court_name(district: District) -> str:
    return f"{district.city}{district.name}人民法院" if district.name.endswith("区") \
        else f"{district.name}人民法院"


def _case_number(procedure: str) -> Callable[[Matter, Numbers], str]:
    """Numbers run per court, procedure and year: （2026）浙0203民初1234号."""
    def number(matter: Matter, numbers: Numbers) -> str:
        district = court_of(matter)
        year = matter.filed_on.year
        n = numbers.next(f"{district.court}{procedure}{year}")
        return f"（{year}）{district.court}{procedure}{n}号"
    return number


def _civil_cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    origin = matter.escalated_from
    return {
        "_year": matter.filed_on.year,
        "案号": matter.source_id, "立案日期": chinese(matter.filed_on),
        "案由": rng.choice(CAUSES[matter.category]),
        "审判程序": "简易程序" if rng.random() < 0.6 else "普通程序",
        "案件状态": LITIGATION_STATES[case.state],
        "结案日期": optional(matter.closed_on, "chinese"),
        "诉讼标的额": f"{matter.amount}.00" if matter.amount else "",
        "关联调解案号": origin.source_id if origin is not None else "",
        "承办法院": court_name(court_of(matter)), "案情摘要": matter.summary,
        "数据更新时间": observed(matter, rng),
    }


def _enforcement_cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    origin = matter.escalated_from
    return {
        "_year": matter.filed_on.year,
        "执行案号": matter.source_id, "立案日期": chinese(matter.filed_on),
        "执行依据": origin.source_id if origin is not None else "",
        "案由": rng.choice(CAUSES[matter.category]),
        "执行状态": label(ENFORCEMENT_STATES, case.state, rng),
        "结案日期": optional(matter.closed_on, "chinese"),
        "执行标的金额": f"{matter.amount}.00" if matter.amount else "",
        "执行法院": court_name(court_of(matter)), "数据更新时间": observed(matter, rng),
    }


CIVIL_FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.LITIGATION, slots=CIVIL_SLOTS, profile=PROFILE,
    number=_case_number("民初"), cells=_civil_cells,
    bad_columns=CIVIL_BAD_COLUMNS, bad_dates="chinese", unknown_label="案由待定",
)
ENFORCEMENT_FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.ENFORCEMENT, slots=ENFORCEMENT_SLOTS, profile=PROFILE,
    number=_case_number("执"), cells=_enforcement_cells,
    bad_columns=ENFORCEMENT_BAD_COLUMNS, bad_dates="chinese", unknown_label="案由待定",
)


class _CourtWriter:
    def __init__(self, ctx: Context, civil_rng: random.Random,
                 enforcement_rng: random.Random) -> None:
        folder = ctx.folder(DEPARTMENT)
        numbers = Numbers(ctx.rng("court/numbers"))
        self.civil = CaseTable(ctx, CIVIL_FORMAT, CsvSink(
            folder, CIVIL_COLUMNS, encoding="gb18030", file_for=by_year("民事案件")),
            civil_rng, numbers)
        self.enforcement = CaseTable(ctx, ENFORCEMENT_FORMAT, CsvSink(
            folder, ENFORCEMENT_COLUMNS, encoding="gb18030", file_for=by_year("执行案件")),
            enforcement_rng, numbers)
        self.judged: list[Matter] = []

    def write_civil(self, matter: Matter, bad: str | None = None, *,
                    enforceable: bool = False) -> None:
        """Write a lawsuit; an `enforceable` judgment may get a background enforcement case."""
        state = self.civil.write(matter, bad).state
        # Judgments wait here to be enforced later; wage claims stay out, since a second
        # filing against the employer would count against the R1 guard unseen.
        if (enforceable and state is S.JUDGMENT and matter.amount
                and len(self.judged) < _RESERVOIR
                and matter.category not in (C.LABOUR, C.WAGE_ARREARS)):
            self.judged.append(matter)

    def write_background_civil(self, matter: Matter, bad: str | None) -> None:
        self.write_civil(matter, bad, enforceable=True)

    def close(self) -> None:
        self.civil.close()
        self.enforcement.close()


def _background_civil(ctx: Context, rng: random.Random,
                      day_rng: random.Random) -> Matter | None:
    for _ in range(_REDRAWS):
        matter = draw(RECIPES, ctx.sampler, rng, lambda: history_day(day_rng))
        if matter is None:
            return None
        ids = [p.entity.entity_id for p in matter.parties]
        # Two parties who failed at mediation and then sue is scenario R7, not background.
        if len(ids) < 2 or not ctx.registry.met_in_mediation(ids[0], ids[1]):
            return matter
    return None


def _background_enforcement(ctx: Context, writer: _CourtWriter,
                            rng: random.Random) -> Matter | None:
    if writer.judged and rng.random() < 0.6:
        judgment = writer.judged.pop(rng.randrange(len(writer.judged)))
        assert judgment.closed_on is not None
        day = judgment.closed_on + timedelta(days=rng.randint(20, 120))
        if day <= LAST_DAY:
            return Matter(category=judgment.category, filed_on=day, parties=judgment.parties,
                          amount=judgment.amount, summary="申请强制执行生效判决。",
                          escalated_from=judgment)
    for _ in range(_REDRAWS):
        matter = draw(ENFORCEMENT_RECIPES, ctx.sampler, rng, lambda: history_day(rng))
        if matter is None:
            return None
        ids = [p.entity.entity_id for p in matter.parties]
        if not ctx.registry.met_in_mediation(ids[0], ids[-1]):
            return matter
    return None


def write_court(ctx: Context) -> None:
    civil_rng = ctx.rng("court/civil")
    enforcement_rng = ctx.rng("court/enforcement")
    writer = _CourtWriter(ctx, civil_rng, enforcement_rng)
    planted = ctx.scenarios.matters_for(DEPARTMENT)
    planted_civil = [m for m in planted if m.extra.get("procedure") != "enforcement"]
    planted_enforcement = [m for m in planted if m.extra.get("procedure") == "enforcement"]
    # Lawsuits behind credit listings come first: their numbers are needed by the list.
    for lawsuit in ctx.credit.lawsuits:
        writer.write_civil(lawsuit)
    day_rng = ctx.rng("court/days")
    write_matters(ctx, ctx.rows(CIVIL_PER_PERSON), planted_civil, ("filed_on", "category"),
                  writer.write_background_civil,
                  lambda: _background_civil(ctx, civil_rng, day_rng),
                  bad_stream="court/bad-civil", interleave_stream="court/interleave",
                  write_planted=writer.write_civil)
    for enforced in ctx.credit.enforcements:
        writer.enforcement.write(enforced, None)
    enforcement = ctx.rows(ENFORCEMENT_PER_PERSON)
    write_matters(ctx, enforcement, planted_enforcement, ("category",), writer.enforcement.write,
                  lambda: _background_enforcement(ctx, writer, enforcement_rng),
                  bad_stream="court/bad-enforcement",
                  interleave_stream="court/interleave-enforcement",
                  bad_rows_enabled=enforcement >= 200)
    writer.close()
    _write_dishonest(ctx, ctx.credit.dishonest)


def _write_dishonest(ctx: Context, listings: Sequence[Listing]) -> None:
    rng = ctx.rng("court/dishonest")
    folder = ctx.folder(DEPARTMENT)
    persons = Table(ctx, DEPARTMENT, "credit_event", XlsxSink(
        folder, "失信被执行人名单_自然人", "失信被执行人", DISHONEST_PERSON_COLUMNS))
    firms = Table(ctx, DEPARTMENT, "credit_event", XlsxSink(
        folder, "失信被执行人名单_法人", "失信被执行人", DISHONEST_FIRM_COLUMNS))
    numbers = Numbers(ctx.rng("court/dishonest-numbers"))
    for listing in sorted(listings, key=lambda item: item.starts_on):
        assert listing.origin is not None
        district = court_of(listing.origin)
        n = numbers.next(str(listing.starts_on.year))
        source_id = f"SX{district.court[1:]}-{listing.starts_on.year}-{n:05d}"
        listing.records.append((DEPARTMENT.value, source_id))
        tags: list[str] = []
        subject = listing.subject
        common = {
            "失信编号": source_id, "执行法院": court_name(district),
            "执行案号": listing.document_number,
            "生效法律文书确定的义务": f"给付申请执行人款项{listing.origin.amount or 0}元及利息",
            "失信被执行人行为具体情形": listing.reason,
            "发布时间": chinese(listing.starts_on),
            "预计屏蔽时间": optional(listing.expires_on, "chinese"),
            "数据更新时间": iso_datetime(update_time(rng, listing.starts_on)),
        }
        if isinstance(subject, Person):
            written = ctx.renderer.person(subject, LIST_PROFILE.person, rng, listing.starts_on,
                                          tags, ("name", "id_number"))
            cells = {**common, "被执行人姓名": written.name,
                     "性别": "男" if subject.sex.value == "M" else "女",
                     "年龄": age_on(subject.birth, REFERENCE_DATE),
                     "身份证号码": written.id_number}
            persons.write(cells, source_id, entity_truth("subject", subject.entity_id, tags, None,
                                                         listing.scenario))
        else:
            written = ctx.renderer.enterprise(subject, LIST_PROFILE.enterprise, rng, tags)
            rep = listing.legal_rep
            cells = {**common, "被执行人名称": written.name,
                     "统一社会信用代码": written.credit_code,
                     "法定代表人": rep.name if rep is not None else ""}
            firms.write(cells, source_id, entity_truth("subject", subject.entity_id, tags, None,
                                                       listing.scenario))
    persons.close()
    firms.close()

