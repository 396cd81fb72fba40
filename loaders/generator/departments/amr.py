"""市场监督管理局: enterprise registrations, legal representatives and shareholders, as XLSX.

The registry writes names as registered (full-width brackets), dates of establishment
as real spreadsheet dates, and masks some representatives' ID numbers (public extract).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from graph.vocabulary import Department
from loaders.generator.bad_rows import BadRows
from loaders.generator.clock import update_time
from loaders.generator.companies import Enterprise
from loaders.generator.context import Context
from loaders.generator.departments.base import Table, break_cell, entity_truth, relation_truth
from loaders.generator.formats import iso, iso_datetime
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.writers import XlsxSink

DEPARTMENT = Department.MARKET_REGULATION

ENTERPRISE_COLUMNS = (
    "统一社会信用代码", "企业名称", "企业类型", "法定代表人", "法定代表人证件号码", "成立日期",
    "登记状态", "住所", "联系电话", "登记机关", "最后更新时间",
)
REP_COLUMNS = (
    "记录编号", "统一社会信用代码", "企业名称", "姓名", "证件类型", "证件号码", "职务", "任职日期",
    "更新时间",
)
SHAREHOLDER_COLUMNS = (
    "记录编号", "统一社会信用代码", "企业名称", "股东名称", "股东类型", "证照号码",
    "认缴出资额(万元)", "出资比例", "出资日期", "更新时间",
)
REGISTRY_NOISE = EnterpriseNoise(fullwidth_brackets=0.9)
REP_NOISE = PersonNoise(masked_id=0.2, typo=0.001, dot_variant=0.05)
_TYPES = {
    "company": "有限责任公司(自然人投资或控股)",
    "branch": "有限责任公司分公司(自然人投资或控股)",
    "individual": "个体工商户",
    "hospital": "有限责任公司(自然人投资或控股)",
}
_JOINT_STOCK = "股份有限公司(非上市、自然人投资或控股)"


def _type_of(ent: Enterprise) -> str:
    if ent.form == "company" and ent.legal_form.startswith("股份"):
        return _JOINT_STOCK
    return _TYPES[ent.form]


def _authority(ent: Enterprise) -> str:
    return f"宁波市{ent.district.name}市场监督管理局"


def write_amr(ctx: Context) -> None:
    registered = [e for e in ctx.enterprises.items if e.in_area]
    folder = ctx.folder(DEPARTMENT)
    _write_enterprises(ctx, folder, registered)
    _write_representatives(ctx, folder, [e for e in registered if e.form != "branch"])
    _write_shareholders(ctx, folder, [e for e in registered if e.shareholders])


def _write_enterprises(ctx: Context, folder: Path, registered: list[Enterprise]) -> None:
    rng = ctx.rng("amr/enterprises")
    table = Table(ctx, DEPARTMENT, "enterprise",
                  XlsxSink(folder, "企业登记信息", "企业登记信息", ENTERPRISE_COLUMNS))
    bad = BadRows(ctx.rng("amr/bad"), len(registered), ("registered_on", "credit_code"),
                  enabled=ctx.bad_rows_enabled)
    for row, ent in enumerate(registered):
        tags: list[str] = []
        written = ctx.renderer.enterprise(ent, REGISTRY_NOISE, rng, tags)
        rep_name = rep_id = None
        if ent.legal_rep is not None:
            rep = ctx.renderer.person(ctx.population.persons[ent.legal_rep], REP_NOISE, rng,
                                      ent.registered_on, tags, ("name", "id_number"))
            rep_name, rep_id = rep.name, rep.id_number
        cells: dict[str, object] = {
            "统一社会信用代码": ent.credit_code, "企业名称": written.name,
            "企业类型": _type_of(ent), "法定代表人": rep_name, "法定代表人证件号码": rep_id,
            "成立日期": ent.registered_on, "登记状态": ent.status, "住所": ent.address,
            "联系电话": ent.phone, "登记机关": _authority(ent),
            "最后更新时间": iso_datetime(update_time(rng, ent.registered_on)),
        }
        kind = bad.kind(row)
        if kind is not None:
            break_cell(kind, cells, {"registered_on": "成立日期",
                                     "credit_code": "统一社会信用代码"}, "iso", rng)
        source_id = str(cells["统一社会信用代码"])
        table.write(cells, source_id, entity_truth("entity", ent.entity_id, tags, kind))
    table.close()


def _write_representatives(ctx: Context, folder: Path, registered: list[Enterprise]) -> None:
    rng = ctx.rng("amr/representatives")
    table = Table(ctx, DEPARTMENT, "relation",
                  XlsxSink(folder, "法定代表人信息", "法定代表人", REP_COLUMNS))
    for number, ent in enumerate(registered, start=1):
        if ent.legal_rep is None:
            continue
        rep = ctx.population.persons[ent.legal_rep]
        tags: list[str] = []
        person = ctx.renderer.person(rep, REP_NOISE, rng, ent.registered_on, tags,
                                     ("name", "id_number"))
        firm = ctx.renderer.enterprise(ent, REGISTRY_NOISE, rng, tags)
        source_id = f"FR{number:08d}"
        post = ("经营者" if ent.form == "individual" else "院长" if ent.form == "hospital"
                else rng.choice(("执行董事兼总经理", "董事长", "执行董事", "经理")))
        cells = {
            "记录编号": source_id, "统一社会信用代码": ent.credit_code, "企业名称": firm.name,
            "姓名": person.name, "证件类型": "居民身份证", "证件号码": person.id_number,
            "职务": post, "任职日期": iso(ent.registered_on),
            "更新时间": iso_datetime(update_time(rng, ent.registered_on)),
        }
        table.write(cells, source_id, relation_truth(rep, ent, tags, None))
    table.close()


def _write_shareholders(ctx: Context, folder: Path, registered: list[Enterprise]) -> None:
    rng = ctx.rng("amr/shareholders")
    table = Table(ctx, DEPARTMENT, "relation",
                  XlsxSink(folder, "股东出资信息", "股东出资", SHAREHOLDER_COLUMNS))
    number = 0
    for ent in registered:
        capital = rng.choice((50, 100, 200, 500, 1000, 3000))
        for holder_index, share in ent.shareholders:
            number += 1
            holder = ctx.population.persons[holder_index]
            tags: list[str] = []
            person = ctx.renderer.person(holder, REP_NOISE, rng, ent.registered_on, tags,
                                         ("name", "id_number"))
            firm = ctx.renderer.enterprise(ent, REGISTRY_NOISE, rng, tags)
            source_id = f"GD{number:08d}"
            cells = {
                "记录编号": source_id, "统一社会信用代码": ent.credit_code, "企业名称": firm.name,
                "股东名称": person.name, "股东类型": "自然人股东", "证照号码": person.id_number,
                "认缴出资额(万元)": float(Decimal(capital) * share),
                "出资比例": f"{share * 100:.2f}%", "出资日期": iso(ent.registered_on),
                "更新时间": iso_datetime(update_time(rng, ent.registered_on)),
            }
            table.write(cells, source_id, relation_truth(holder, ent, tags, None))
    table.close()

