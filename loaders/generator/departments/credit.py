"""公共信用信息中心: credit events as JSON Lines, organisations and persons in separate files,
the subject as a nested object. Persons' ID numbers are masked as on public lists."""

from __future__ import annotations

import random
from typing import Any

from graph.vocabulary import CreditEventType, Department
from loaders.generator.bad_rows import BadRows, bad_date, bad_id
from loaders.generator.clock import update_time
from loaders.generator.context import Context
from loaders.generator.departments.base import Numbers, Table, entity_truth
from loaders.generator.departments.court import court_name, court_of
from loaders.generator.formats import iso, iso_datetime
from loaders.generator.listings import Listing
from loaders.generator.noise import EnterpriseNoise, PersonNoise
from loaders.generator.population import Person
from loaders.generator.writers import JsonlSink

DEPARTMENT = Department.CREDIT_CENTRE
E = CreditEventType

TYPES = {
    E.DISHONEST_DEBTOR: "失信被执行人",
    E.WAGE_ARREARS_BLACKLIST: "拖欠农民工工资失信联合惩戒对象名单",
    E.ADMINISTRATIVE_PENALTY: "行政处罚",
    E.ABNORMAL_OPERATION: "经营异常名录",
    E.COMMENDATION: "守信激励",
}
PERSON_NOISE = PersonNoise(masked_id=0.6, typo=0.002, dot_variant=0.2)
FIRM_NOISE = EnterpriseNoise(legal_form_variant=0.02, fullwidth_brackets=0.8)
REPUBLISHED_SHARE = 0.7


def write_credit(ctx: Context) -> None:
    rng = ctx.rng("credit/events")
    folder = ctx.folder(DEPARTMENT)
    firms = Table(ctx, DEPARTMENT, "credit_event",
                  JsonlSink(folder, file_for=lambda cells: "信用信息_法人.jsonl"))
    persons = Table(ctx, DEPARTMENT, "credit_event",
                    JsonlSink(folder, file_for=lambda cells: "信用信息_自然人.jsonl"))
    republished = [item for item in ctx.credit.dishonest
                   if item.scenario or rng.random() < REPUBLISHED_SHARE]
    listings = sorted(republished + ctx.credit.centre, key=lambda item: item.starts_on)
    numbers = Numbers(ctx.rng("credit/numbers"))
    # Scenario listings are never the broken ones.
    ordinary = [i for i, item in enumerate(listings) if not item.scenario]
    bad_rows = BadRows(ctx.rng("credit/bad"), len(ordinary), ("broken",),
                       enabled=ctx.bad_rows_enabled)
    broken = {ordinary[i] for i in bad_rows.kinds}
    for position, listing in enumerate(listings):
        year = listing.starts_on.year
        source_id = f"XY{year}{numbers.next(str(year)):07d}"
        bad = None
        if position in broken:
            bad = "id_number" if isinstance(listing.subject, Person) else "starts_on"
        _write(ctx, firms, persons, listing, source_id, rng, bad)
    firms.close()
    persons.close()


def _authority(listing: Listing) -> str:
    if listing.event_type is E.DISHONEST_DEBTOR and listing.origin is not None:
        return court_name(court_of(listing.origin))
    return listing.authority


def _write(ctx: Context, firms: Table, persons: Table, listing: Listing, source_id: str,
           rng: random.Random, bad: str | None) -> None:
    tags: list[str] = []
    subject: dict[str, Any]
    if isinstance(listing.subject, Person):
        written = ctx.renderer.person(listing.subject, PERSON_NOISE, rng, listing.starts_on, tags,
                                      ("name", "id_number"))
        subject = {"姓名": written.name, "身份证号": written.id_number}
        if bad == "id_number":
            subject["身份证号"] = bad_id(listing.subject.id_number, rng)
        table = persons
    else:
        firm = ctx.renderer.enterprise(listing.subject, FIRM_NOISE, rng, tags)
        rep = listing.legal_rep
        subject = {"名称": firm.name, "统一社会信用代码": firm.credit_code,
                   "法定代表人": rep.name if rep is not None else None}
        table = firms
    record = {
        "记录编号": source_id, "信息类别": TYPES[listing.event_type], "主体": subject,
        "列入日期": bad_date("iso", rng) if bad == "starts_on" else iso(listing.starts_on),
        "有效期至": iso(listing.expires_on) if listing.expires_on else None,
        "认定机关": _authority(listing), "事由": listing.reason,
        "文书号": listing.document_number,
        "更新时间": iso_datetime(update_time(rng, listing.starts_on)),
    }
    listing.records.append((DEPARTMENT.value, source_id))
    table.write(record, source_id,
                entity_truth("subject", listing.subject.entity_id, tags, bad, listing.scenario))
