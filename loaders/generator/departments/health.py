"""卫生健康委员会: medical disputes (XLSX, dates 2026年3月5日 as text) and the register of
medical institutions (XLSX). Patients may be children or elderly; a family member often
speaks for them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
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
    entity_truth,
    observed,
    write_matters,
    yearly,
)
from loaders.generator.formats import chinese, iso_datetime, optional
from loaders.generator.matters import Matter, applicant, respondent
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.texts import amount_for, summary
from loaders.generator.writers import XlsxSink

DEPARTMENT = Department.HEALTH_COMMISSION
C = DisputeCategory
S = CaseState
P = PartyRole
K = PartyKind

DISPUTES_PER_PERSON = 0.10

STATES = {
    S.NEGOTIATION: "协商中", S.INSURER_CLAIM: "保险理赔中心受理", S.COMMITTEE: "医调委受理",
    S.MEDIATION: "调解中", S.AGREEMENT: "达成协议", S.LAWSUIT: "已诉讼",
}
COLUMNS = (
    "纠纷编号", "登记日期", "处理状态", "办结日期", "患者姓名", "患者身份证号", "患者联系电话",
    "患方代表", "患方代表电话", "医疗机构名称", "医疗机构统一社会信用代码", "索赔金额", "纠纷概要",
    "更新时间",
)
SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "患者姓名", "id_number": "患者身份证号",
                                 "phone": "患者联系电话"}),
    Slot(P.APPLICANT, K.PERSON, {"name": "患方代表", "phone": "患方代表电话"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "医疗机构名称",
                                      "credit_code": "医疗机构统一社会信用代码"}),
)
INSTITUTION_COLUMNS = ("机构名称", "统一社会信用代码", "机构类别", "法定代表人", "地址", "联系电话",
                       "执业登记日期", "更新时间")
PROFILE = Profile(
    PersonNoise(typo=0.01, traditional=0.02, missing_id=0.1, masked_id=0.1, id15=0.02,
                landline=0.1, family_phone=0.1, phone_format=0.05),
    EnterpriseNoise(region_dropped=0.2, region_variant=0.1, missing_code=0.3),
)


def _background(ctx: Context, rng: random.Random, day_rng: random.Random) -> Matter:
    patient = ctx.sampler.anyone(rng)
    parties = [applicant(patient)]
    relative = ctx.sampler.spouse(rng, patient) if not patient.is_minor else None
    if patient.is_minor or relative is None:
        household = ctx.population.households[patient.household]
        adults = [ctx.population.persons[i] for i in household
                  if i != patient.index and not ctx.population.persons[i].is_minor
                  and i not in ctx.registry.quiet_persons]
        relative = adults[0] if adults else None
    if relative is not None and (patient.is_minor or rng.random() < 0.6):
        parties.append(applicant(relative))
    parties.append(respondent(ctx.sampler.hospital(rng)))
    amount = amount_for(C.MEDICAL, rng)
    return Matter(category=C.MEDICAL, filed_on=history_day(day_rng), parties=parties,
                  amount=amount, summary=summary(C.MEDICAL, amount, rng))


def write_health(ctx: Context) -> None:
    rng = ctx.rng("health/disputes")
    day_rng = ctx.rng("health/days")
    folder = ctx.folder(DEPARTMENT)
    cases = CaseTable(ctx, FORMAT, XlsxSink(folder, "医疗纠纷登记", "医疗纠纷", COLUMNS), rng,
                      Numbers(ctx.rng("health/numbers")))
    write_matters(ctx, ctx.rows(DISPUTES_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  ("filed_on", "name"), cases.write, lambda: _background(ctx, rng, day_rng),
                  bad_stream="health/bad", interleave_stream="health/interleave")
    cases.close()
    _write_institutions(ctx, folder)


def _cells(case: CaseRow) -> dict[str, Any]:
    matter = case.matter
    return {
        "纠纷编号": matter.source_id, "登记日期": chinese(matter.filed_on),
        "处理状态": STATES[case.state], "办结日期": optional(matter.closed_on, "chinese"),
        "索赔金额": matter.amount, "纠纷概要": matter.summary,
        "更新时间": observed(matter, case.rng),
    }


FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.MEDICAL_DISPUTE, slots=SLOTS, profile=PROFILE,
    number=yearly("甬医调〔{year}〕{n}号"), cells=_cells,
    bad_columns={"filed_on": "登记日期", "name": "患者姓名"}, bad_dates="chinese",
)


def _write_institutions(ctx: Context, folder: Path) -> None:
    rng = ctx.rng("health/institutions")
    table = Table(ctx, DEPARTMENT, "enterprise",
                  XlsxSink(folder, "医疗机构名录", "医疗机构", INSTITUTION_COLUMNS))
    for hospital in (e for e in ctx.enterprises.items if e.form == "hospital"):
        tags: list[str] = []
        written = ctx.renderer.enterprise(hospital, EnterpriseNoise(), rng, tags)
        rep = (ctx.population.persons[hospital.legal_rep].name
               if hospital.legal_rep is not None else "")
        cells = {
            "机构名称": written.name, "统一社会信用代码": hospital.credit_code,
            "机构类别": "公立医院" if hospital.credit_code.startswith("12") else "民营医院",
            "法定代表人": rep, "地址": hospital.address, "联系电话": hospital.phone,
            # A real date cell: the register keeps dates as spreadsheet dates.
            "执业登记日期": hospital.registered_on,
            "更新时间": iso_datetime(update_time(rng, hospital.registered_on)),
        }
        table.write(cells, hospital.credit_code,
                    entity_truth("entity", hospital.entity_id, tags, None))
    table.close()
