"""信访局: petitions as JSON Lines with a party list (co-petitioners and the people or units
complained about), and the register of petitioners (UTF-8 CSV with BOM).

Petitions often carry masked ID numbers; the register is written when a petitioner first
comes, with its own typing mistakes.
"""

from __future__ import annotations

import random
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyRole
from loaders.generator.bad_rows import bad_id
from loaders.generator.clock import office_time, update_time
from loaders.generator.context import Context
from loaders.generator.departments.base import (
    Numbers,
    Profile,
    Table,
    by_year,
    case_truth,
    drawn,
    entity_truth,
    observed,
    settle_state,
    write_matters,
    yearly,
)
from loaders.generator.formats import iso, iso_datetime
from loaders.generator.matters import Involved, Matter, applicant
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe
from loaders.generator.population import Person
from loaders.generator.writers import CsvSink, JsonlSink

DEPARTMENT = Department.PETITION_OFFICE
C = DisputeCategory
S = CaseState

PETITIONS_PER_PERSON = 0.40

TOPICS: dict[DisputeCategory, str] = {
    C.WAGE_ARREARS: "劳动社保-拖欠工资", C.LABOUR: "劳动社保-劳动关系",
    C.CONTRACT_SERVICES: "劳动社保-劳务纠纷", C.LAND_REQUISITION: "城乡建设-征地拆迁",
    C.PROPERTY_MANAGEMENT: "城乡建设-物业管理", C.NEIGHBOURS: "城乡建设-邻里纠纷",
    C.FOREST_LAND: "农村农业-土地承包", C.HOMESTEAD: "农村农业-宅基地",
    C.ENVIRONMENT: "生态环境-环境污染", C.MEDICAL: "卫生健康-医疗纠纷",
    C.ROAD_TRAFFIC: "交通运输-交通事故", C.CONSUMER: "市场监管-消费维权",
    C.CONTRACT_SALES: "市场监管-合同纠纷", C.MARRIAGE_FAMILY: "民政-婚姻家庭",
    C.INHERITANCE: "民政-继承", C.PRIVATE_LENDING: "政法-民间借贷", C.DAMAGES: "政法-人身损害",
    C.OTHER: "政法-涉法涉诉", C.SCHOOL: "教育-校园安全", C.COMMERCIAL: "经济管理-企业经营",
}
STATES = {
    S.REGISTERED: "已登记", S.ACCEPTED: "已受理", S.DECLINED: "不予受理", S.ASSIGNED: "已交办",
    S.IN_PROGRESS: "办理中", S.REPLIED: "已答复", S.REVIEW: "复查中", S.RE_REVIEW: "复核中",
    S.CLOSED: "已办结",
}
# A petition closed after re-review may not be raised again: the record says so.
FINAL = "已终结"
FORMS = ("来访", "来信", "网上信访", "电话")
ROLES = {PartyRole.APPLICANT: "信访人", PartyRole.RESPONDENT: "被反映人",
         PartyRole.THIRD_PARTY: "第三人"}
PERSON_COLUMNS = ("信访人编号", "姓名", "性别", "出生日期", "证件号码", "联系电话", "通讯地址",
                  "首次登记时间", "更新时间")
RECIPES = (
    Recipe(C.LAND_REQUISITION, 14, "person_developer"),
    Recipe(C.WAGE_ARREARS, 10, "worker_employer"),
    Recipe(C.LABOUR, 6, "worker_employer"),
    Recipe(C.PROPERTY_MANAGEMENT, 10, "person_property"),
    Recipe(C.FOREST_LAND, 5, "alone"),
    Recipe(C.HOMESTEAD, 5, "neighbours"),
    Recipe(C.ENVIRONMENT, 8, "person_factory"),
    Recipe(C.MEDICAL, 4, "patient_hospital"),
    Recipe(C.CONSUMER, 4, "person_business"),
    Recipe(C.MARRIAGE_FAMILY, 3, "spouses"),
    Recipe(C.PRIVATE_LENDING, 4, "person_person"),
    Recipe(C.NEIGHBOURS, 4, "neighbours"),
    Recipe(C.SCHOOL, 2, "person_school"),
    Recipe(C.COMMERCIAL, 2, "person_company"),
    Recipe(C.OTHER, 15, "alone"),
)
PROFILE = Profile(
    PersonNoise(homophone=0.03, typo=0.02, traditional=0.01, missing_id=0.15, masked_id=0.15,
                id15=0.02, id_typo=0.002, landline=0.1, family_phone=0.03, phone_format=0.08,
                address_variant=0.3),
    EnterpriseNoise(region_dropped=0.3, region_variant=0.1, legal_form_variant=0.15,
                    homophone=0.02, missing_code=0.8, branch_as_parent=0.3),
)
REGISTER_NOISE = PersonNoise(typo=0.01, traditional=0.01, masked_id=0.1, missing_id=0.05,
                             id15=0.02, phone_format=0.05, landline=0.1)
_NUMBER = yearly("XF{year}{n:07d}")


class _PetitionWriter:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        folder = ctx.folder(DEPARTMENT)
        self.petitions = Table(ctx, DEPARTMENT, "case",
                               JsonlSink(folder, file_for=by_year("信访事项", "jsonl")))
        self.register = Table(ctx, DEPARTMENT, "person", CsvSink(
            folder, PERSON_COLUMNS, encoding="utf-8-sig", file_for=lambda cells: "信访人信息.csv"))
        self.numbers = Numbers(ctx.rng("petition/numbers"))
        self.registered: set[int] = set()
        self.rng = ctx.rng("petition/petitions")
        self.register_rng = ctx.rng("petition/register")

    def write(self, matter: Matter, bad: str | None) -> None:
        rng = self.rng
        settle_state(matter, Channel.PETITION, rng)
        assert matter.state is not None
        matter.source = DEPARTMENT.value
        matter.source_id = _NUMBER(matter, self.numbers)
        tags: list[list[str]] = []
        parties = []
        for party in matter.parties:
            tags.append([])
            parties.append(self._party(party, rng, matter, tags[-1]))
        if bad == "name":
            parties[0]["名称"] = ""
        elif bad == "id_number":
            parties[0]["证件号码"] = bad_id(parties[0].get("证件号码"), rng)
        topic = "综合-其他事项" if bad == "category" else TOPICS[matter.category]
        state = FINAL if matter.state is S.CLOSED and matter.scenario else STATES[matter.state]
        record: dict[str, Any] = {
            "_year": matter.filed_on.year,
            "信访件编号": matter.source_id,
            "登记时间": iso_datetime(office_time(rng, matter.filed_on)),
            "信访形式": matter.extra.get("form") or rng.choice(FORMS),
            "问题类别": topic,
            "办理状态": state,
            "办结时间": (iso_datetime(office_time(rng, matter.closed_on))
                         if matter.closed_on else None),
            "诉求摘要": matter.summary,
            "涉及金额": matter.amount,
            "人数": sum(1 for p in matter.parties if p.role is PartyRole.APPLICANT),
            "当事人": parties,
            "更新时间": observed(matter, rng),
        }
        self.petitions.write(record, matter.source_id, case_truth(matter, matter.parties, tags,
                                                                  bad))
        for party in matter.parties:
            if isinstance(party.entity, Person) and party.role is PartyRole.APPLICANT:
                self._register(party.entity, matter)

    def _party(self, party: Involved, rng: random.Random, matter: Matter,
               tags: list[str]) -> dict[str, Any]:
        written = self.ctx.renderer.party(party, PROFILE.person, PROFILE.enterprise, rng,
                                          matter.filed_on, tags)
        entry: dict[str, Any] = {"角色": ROLES[party.role],
                                 "类型": "自然人" if isinstance(party.entity, Person) else "单位",
                                 "名称": written.name}
        if isinstance(party.entity, Person):
            entry["证件号码"] = written.id_number
            entry["联系电话"] = written.phone if party.role is PartyRole.APPLICANT else None
            entry["地址"] = written.address
        else:
            entry["信用代码"] = written.credit_code
        return entry

    def _register(self, person: Person, matter: Matter) -> None:
        """The petitioner register: a row the first time someone petitions."""
        if person.index in self.registered:
            return
        self.registered.add(person.index)
        rng = self.register_rng
        tags: list[str] = []
        written = self.ctx.renderer.person(person, REGISTER_NOISE, rng, matter.filed_on, tags)
        source_id = f"XFR{len(self.registered):08d}"
        bad = ("name" if rng.random() < 0.5 else "id_number") \
            if self.ctx.bad_rows_enabled and rng.random() < 0.001 else None
        cells = {
            "信访人编号": source_id, "姓名": written.name,
            "性别": "男" if person.sex.value == "M" else "女",
            "出生日期": iso(person.birth) if rng.random() < 0.9 else "",
            "证件号码": written.id_number, "联系电话": written.phone, "通讯地址": written.address,
            "首次登记时间": iso_datetime(office_time(rng, matter.filed_on)),
            "更新时间": iso_datetime(update_time(rng, matter.filed_on)),
        }
        if bad == "name":
            cells["姓名"] = ""
        elif bad == "id_number":
            cells["证件号码"] = bad_id(person.id_number, rng)
        self.register.write(cells, source_id, entity_truth("entity", person.entity_id, tags, bad))

    def close(self) -> None:
        self.petitions.close()
        self.register.close()


def _co_petitioners(ctx: Context, matter: Matter, rng: random.Random) -> None:
    """One petition in ten is signed by two or three people: a household or neighbours."""
    if rng.random() >= 0.1 or matter.category in (C.LABOUR, C.WAGE_ARREARS):
        # Co-signed wage claims would count extra workers against the R1 guard's budget.
        return
    first = matter.parties[0].entity
    if not isinstance(first, Person):
        return
    for _ in range(rng.choice((1, 2))):
        other = ctx.sampler.neighbour(rng, first)
        if other is first or any(p.entity is other for p in matter.parties):
            continue
        # A co-signer has raised this matter too (R4 counts any co-signer).
        about = [p.entity.entity_id for p in matter.parties if p.role is PartyRole.RESPONDENT]
        keys = about or [matter.category.value]
        if all(ctx.registry.complaint_free(other.index, key) for key in keys):
            for key in keys:
                ctx.registry.mark_complaint(other.index, key)
            matter.parties.insert(1, applicant(other))


def write_petition(ctx: Context) -> None:
    writer = _PetitionWriter(ctx)
    rng = ctx.rng("petition/background")
    write_matters(ctx, ctx.rows(PETITIONS_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  ("category", "id_number", "name"), writer.write,
                  drawn(ctx, RECIPES, rng, ctx.rng("petition/days"), complaint=True,
                        adjust=_co_petitioners),
                  bad_stream="petition/bad", interleave_stream="petition/interleave")
    writer.close()
