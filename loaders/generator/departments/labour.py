"""劳动人事争议仲裁院: arbitration cases (XLSX, dates as 20260305 text) and the employment
register 用工备案 (UTF-8 CSV with BOM), which links workers to employers."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from graph.vocabulary import CaseState, Channel, Department, DisputeCategory, PartyKind, PartyRole
from loaders.generator.clock import update_time
from loaders.generator.companies import Enterprise
from loaders.generator.context import Context
from loaders.generator.departments.base import (
    CaseFormat,
    CaseRow,
    CaseTable,
    Numbers,
    Profile,
    Slot,
    Table,
    break_cell,
    drawn,
    home_district,
    label,
    observed,
    relation_truth,
    write_matters,
)
from loaders.generator.formats import compact, iso_datetime, optional
from loaders.generator.matters import Matter
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.patterns import Recipe
from loaders.generator.population import Person
from loaders.generator.regions import District
from loaders.generator.writers import CsvSink, XlsxSink

DEPARTMENT = Department.LABOUR_ARBITRATION
C = DisputeCategory
S = CaseState
P = PartyRole
K = PartyKind

CASES_PER_PERSON = 0.28

CAUSES: dict[DisputeCategory, tuple[str, ...]] = {
    C.WAGE_ARREARS: ("追索劳动报酬", "拖欠工资"),
    C.LABOUR: ("解除劳动合同经济补偿", "工伤保险待遇", "社会保险", "确认劳动关系", "加班费",
               "未签劳动合同二倍工资"),
}
STATES: dict[CaseState, str | tuple[str, ...]] = {
    S.MEDIATION: "调解中", S.FILED: "已申请", S.ACCEPTED: "已受理", S.PANEL_FORMED: "已组庭",
    S.HEARING: "已开庭", S.AWARD: "已裁决", S.LAWSUIT: "已起诉", S.CLOSED: ("已结案", "撤诉结案"),
}
CASE_COLUMNS = (
    "案号", "申请日期", "案由", "案件状态", "结案日期", "申请人", "申请人身份证号",
    "申请人联系电话", "被申请单位", "被申请单位统一社会信用代码", "被申请单位地址", "请求金额(元)",
    "仲裁机构", "导出时间",
)
SLOTS = (
    Slot(P.APPLICANT, K.PERSON, {"name": "申请人", "id_number": "申请人身份证号",
                                 "phone": "申请人联系电话"}),
    Slot(P.RESPONDENT, K.ENTERPRISE, {"name": "被申请单位",
                                      "credit_code": "被申请单位统一社会信用代码",
                                      "address": "被申请单位地址"}),
)
EMPLOYMENT_COLUMNS = (
    "备案编号", "姓名", "公民身份号码", "联系电话", "用人单位名称", "用人单位统一社会信用代码",
    "岗位", "用工起始日期", "用工终止日期", "备案时间",
)
POSTS = ("普工", "操作工", "技术员", "销售", "仓管", "司机", "文员", "会计", "厨师", "保洁",
         "电工", "焊工", "木工", "质检员", "项目经理")
RECIPES = (
    Recipe(C.WAGE_ARREARS, 45, "worker_employer"),
    Recipe(C.LABOUR, 55, "worker_employer"),
)
PROFILE = Profile(
    PersonNoise(typo=0.01, missing_id=0.03, id15=0.01, id_typo=0.002, missing_phone=0.05,
                phone_format=0.05, landline=0.05),
    EnterpriseNoise(region_dropped=0.1, region_variant=0.05, legal_form_variant=0.05,
                    missing_code=0.3, branch_as_parent=0.1, fullwidth_brackets=0.7),
)
REGISTER_PROFILE = Profile(
    PersonNoise(typo=0.005, id_typo=0.001, phone_format=0.02, missing_phone=0.05,
                address_variant=0.0),
    EnterpriseNoise(missing_code=0.05, legal_form_variant=0.02, fullwidth_brackets=0.8),
)


def write_labour(ctx: Context) -> None:
    _write_cases(ctx)
    _write_register(ctx)


def _write_cases(ctx: Context) -> None:
    rng = ctx.rng("labour/cases")
    cases = CaseTable(ctx, FORMAT, XlsxSink(
        ctx.folder(DEPARTMENT), "仲裁案件登记", "仲裁案件", CASE_COLUMNS), rng,
        Numbers(ctx.rng("labour/numbers")))
    write_matters(ctx, ctx.rows(CASES_PER_PERSON), ctx.scenarios.matters_for(DEPARTMENT),
                  ("category", "id_number"), cases.write,
                  drawn(ctx, RECIPES, rng, ctx.rng("labour/days")),
                  bad_stream="labour/bad", interleave_stream="labour/interleave")
    cases.close()


def _district(matter: Matter) -> District:
    """Arbitration is where the work is done: the employer's district."""
    return home_district(matter, respondent_first=True)


def _number(matter: Matter, numbers: Numbers) -> str:
    district = _district(matter)
    year = matter.filed_on.year
    n = numbers.next(f"{district.key}{year}")
    return f"甬{district.short}劳人仲案字〔{year}〕第{n}号"


def _cells(case: CaseRow) -> dict[str, Any]:
    matter, rng = case.matter, case.rng
    return {
        "案号": matter.source_id, "申请日期": compact(matter.filed_on),
        "案由": rng.choice(CAUSES[matter.category]), "案件状态": label(STATES, case.state, rng),
        "结案日期": optional(matter.closed_on, "compact"),
        # A spreadsheet keeps amounts as numbers.
        "请求金额(元)": matter.amount,
        "仲裁机构": f"宁波市{_district(matter).name}劳动人事争议仲裁委员会",
        "导出时间": observed(matter, rng),
    }


FORMAT = CaseFormat(
    department=DEPARTMENT, channel=Channel.LABOUR_ARBITRATION, slots=SLOTS, profile=PROFILE,
    number=_number, cells=_cells,
    bad_columns={"category": "案由", "id_number": "申请人身份证号"}, bad_dates="compact",
    unknown_label="人事争议-其他",
)


def _write_register(ctx: Context) -> None:
    """One row per job a person holds or held: the employment relation."""
    rng = ctx.rng("labour/register")
    table = Table(ctx, DEPARTMENT, "relation", CsvSink(
        ctx.folder(DEPARTMENT), EMPLOYMENT_COLUMNS, encoding="utf-8-sig",
        file_for=lambda cells: "用工备案.csv"))
    items = ctx.enterprises.items
    number = 0
    for person in ctx.population.persons:
        jobs: list[tuple[Enterprise, date, date | None]] = []
        if person.former_employer is not None and person.former_hired_on is not None:
            jobs.append((items[person.former_employer], person.former_hired_on,
                         person.former_left_on))
        if person.employer is not None and person.hired_on is not None:
            jobs.append((items[person.employer], person.hired_on, None))
        for employer, start, end in jobs:
            number += 1
            bad = "id_number" if ctx.bad_rows_enabled and rng.random() < 0.001 else None
            _write_job(ctx, table, person, employer, start, end, number, rng, bad)
    table.close()


def _write_job(ctx: Context, table: Table, person: Person, employer: Enterprise, start: date,
               end: date | None, number: int, rng: random.Random, bad: str | None) -> None:
    tags: list[str] = []
    worker = ctx.renderer.person(person, REGISTER_PROFILE.person, rng, start, tags,
                                 ("name", "id_number", "phone"))
    firm = ctx.renderer.enterprise(employer, REGISTER_PROFILE.enterprise, rng, tags)
    source_id = f"YG{start.year}{number:08d}"
    cells = {
        "备案编号": source_id, "姓名": worker.name, "公民身份号码": worker.id_number,
        "联系电话": worker.phone, "用人单位名称": firm.name,
        "用人单位统一社会信用代码": firm.credit_code, "岗位": rng.choice(POSTS),
        "用工起始日期": compact(start), "用工终止日期": optional(end, "compact"),
        "备案时间": iso_datetime(update_time(rng, end or start)),
    }
    if bad is not None:
        break_cell(bad, cells, {"id_number": "公民身份号码"}, "compact", rng)
    table.write(cells, source_id, relation_truth(person, employer, tags, bad))
