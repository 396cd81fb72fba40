"""公安交警: traffic-accident mediation (GB18030 CSV, one file per year, dates 20260305)
and the driver register, written when a driver first appears."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.bad_rows import bad_id
from loaders.generator.clock import history_day, update_time
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
    observed,
    write_matters,
    yearly,
)
from loaders.generator.formats import compact, iso_datetime, optional
from loaders.generator.matters import Matter, applicant, respondent
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.population import Person
from loaders.generator.writers import CsvSink

DEPARTMENT = Department.TRAFFIC_POLICE
S = CaseState
P = PartyRole
K = PartyKind

ACCIDENTS_PER_PERSON = 0.45

STATES = {
    S.LIABILITY_FINDING: "已认定", S.APPLIED: "已申请调解", S.MEDIATION: "调解中",
    S.AGREEMENT: "调解成功", S.TERMINATED: "调解终结", S.LAWSUIT: "已起诉",
}
COLUMNS = (
    "调解编号", "事故发生日期", "受理日期", "处理状态", "办结日期", "甲方姓名", "甲方身份证号",
    "甲方联系电话", "甲方车牌号", "乙方姓名", "乙方身份证号", "乙方联系电话", "乙方车牌号",
    "车辆所属单位", "车辆所属单位代码", "损失金额", "事故简述", "更新时间",
)
SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "甲方姓名", "id_number": "甲方身份证号",
                                 "phone": "甲方联系电话"}),
    Slot(P.RESPONDENT, K.PERSON, {"name": "乙方姓名", "id_number": "乙方身份证号",
                                  "phone": "乙方联系电话"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "车辆所属单位", "credit_code": "车辆所属单位代码"}),
)
DRIVER_COLUMNS = ("档案编号", "姓名", "性别", "出生日期", "身份证明号码", "联系电话", "联系住址",
                  "准驾车型", "更新日期")
PROFILE = Profile(
    PersonNoise(typo=0.005, id15=0.03, id_typo=0.002, missing_phone=0.02, phone_format=0.03,
                landline=0.02),
    EnterpriseNoise(region_variant=0.05, missing_code=0.2, fullwidth_brackets=0.5),
)
DRIVER_NOISE = PersonNoise(typo=0.003, id15=0.05, missing_phone=0.03, phone_format=0.02,
                           address_variant=0.1)
_PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_SUMMARIES = ("路口转弯时与直行车辆发生碰撞。", "追尾事故，后车未保持安全距离。",
              "变道时刮擦相邻车道车辆。", "倒车时碰撞行人。", "电动自行车闯红灯与机动车相撞。")


def _plate(rng: random.Random) -> str:
    return "浙B" + "".join(rng.choice(_PLATE_CHARS) for _ in range(5))


def _cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    return {
        "_year": matter.filed_on.year, "调解编号": matter.source_id,
        "事故发生日期": compact(matter.filed_on - timedelta(days=rng.randint(0, 9))),
        "受理日期": compact(matter.filed_on), "处理状态": STATES[case.state],
        "办结日期": optional(matter.closed_on, "compact"),
        "甲方车牌号": _plate(rng), "乙方车牌号": _plate(rng) if rng.random() < 0.7 else "",
        "损失金额": f"{matter.amount}.00" if matter.amount else "",
        "事故简述": rng.choice(_SUMMARIES), "更新时间": observed(matter, rng),
    }


FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.TRAFFIC_ACCIDENT, slots=SLOTS, profile=PROFILE,
    number=yearly("甬公交调〔{year}〕{n}号"), cells=_cells,
    bad_columns={"id_number": "甲方身份证号", "filed_on": "受理日期"}, bad_dates="compact",
)


class _TrafficWriter:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        folder = ctx.folder(DEPARTMENT)
        self.cases = CaseTable(ctx, FORMAT, CsvSink(
            folder, COLUMNS, encoding="gb18030", file_for=by_year("事故调解")),
            ctx.rng("traffic/cases"), Numbers(ctx.rng("traffic/numbers")))
        self.drivers = Table(ctx, DEPARTMENT, "person", CsvSink(
            folder, DRIVER_COLUMNS, encoding="gb18030", file_for=lambda cells: "驾驶人信息.csv"))
        self.seen: set[int] = set()
        self.driver_rng = ctx.rng("traffic/drivers")

    def write(self, matter: Matter, bad: str | None) -> None:
        self.cases.write(matter, bad)
        for party in matter.parties:
            if isinstance(party.entity, Person) and not party.entity.is_minor:
                self._register(party.entity, matter)

    def _register(self, person: Person, matter: Matter) -> None:
        if person.index in self.seen:
            return
        self.seen.add(person.index)
        rng = self.driver_rng
        tags: list[str] = []
        written = self.ctx.renderer.person(person, DRIVER_NOISE, rng, matter.filed_on, tags)
        source_id = f"3302{len(self.seen):08d}"
        bad = "id_number" if self.ctx.bad_rows_enabled and rng.random() < 0.001 else None
        cells = {
            "档案编号": source_id, "姓名": written.name,
            "性别": "男" if person.sex.value == "M" else "女", "出生日期": compact(person.birth),
            "身份证明号码": written.id_number if bad is None else bad_id(person.id_number, rng),
            "联系电话": written.phone, "联系住址": written.address,
            "准驾车型": rng.choice(("C1", "C1", "C2", "B2", "A2", "D")),
            "更新日期": iso_datetime(update_time(rng, matter.filed_on)),
        }
        self.drivers.write(cells, source_id, entity_truth("entity", person.entity_id, tags, bad))

    def close(self) -> None:
        self.cases.close()
        self.drivers.close()


def _background(ctx: Context, rng: random.Random, day_rng: random.Random) -> Matter:
    day = history_day(day_rng)
    first = ctx.sampler.adult(rng)
    # A pedestrian or cyclist hit may be a child.
    second = ctx.sampler.anyone(rng) if rng.random() < 0.1 else ctx.sampler.other_adult(rng, first)
    while second.household == first.household:
        second = ctx.sampler.other_adult(rng, first)
    parties = [applicant(first), respondent(second)]
    if rng.random() < 0.15:
        parties.append(respondent(ctx.sampler.company(rng)))
    amount = rng.randint(5, 600) * 100
    return Matter(category=DisputeCategory.ROAD_TRAFFIC, filed_on=day, parties=parties,
                  amount=amount)


def write_traffic(ctx: Context) -> None:
    writer = _TrafficWriter(ctx)
    rng = ctx.rng("traffic/background")
    day_rng = ctx.rng("traffic/days")
    write_matters(ctx, ctx.rows(ACCIDENTS_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  ("id_number", "filed_on"), writer.write, lambda: _background(ctx, rng, day_rng),
                  bad_stream="traffic/bad", interleave_stream="traffic/interleave")
    writer.close()
