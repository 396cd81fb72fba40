from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
from pydantic import ValidationError

from graph.records import (
    CaseRecord,
    CreditEventRecord,
    EnterpriseRecord,
    Party,
    PersonRecord,
    RelationRecord,
    parse_record,
    parse_record_json,
    record_json_schema,
)
from graph.vocabulary import (
    CaseState,
    Channel,
    CreditEventType,
    Department,
    DisputeCategory,
    PartyKind,
    PartyRole,
    RelationType,
)

OBSERVED = datetime(2026, 11, 1, 9, 30)


def examples() -> list[Any]:
    worker = Party(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="阿依古丽·买买提",
                   id_number="330203********1234", phone="138 1234 5678")
    employer = Party(role=PartyRole.RESPONDENT, kind=PartyKind.ENTERPRISE,
                     name="宁波海曙某某电器（宁波）有限公司", credit_code="91330203MA2H0K1P1Y")
    return [
        PersonRecord(source=Department.PETITION_OFFICE, source_id="XF-2026-0001",
                     observed_at=OBSERVED, name="張偉", id_number="330203850315123",
                     phone="87654321", birth_date=date(1985, 3, 15)),
        EnterpriseRecord(source=Department.MARKET_REGULATION, source_id="91330203MA2H0K1P1Y",
                         observed_at=OBSERVED, name="宁波某某电器有限公司",
                         credit_code="91330203ma2h0k1p1y", legal_rep_name="张伟"),
        CaseRecord(source=Department.LABOUR_ARBITRATION, source_id="甬劳人仲案字〔2026〕第17号",
                   observed_at=OBSERVED, channel=Channel.LABOUR_ARBITRATION,
                   category=DisputeCategory.WAGE_ARREARS, state=CaseState.FILED,
                   filed_on=date(2026, 10, 20), amount_claimed=Decimal("12800.50"),
                   cause="追索劳动报酬", parties=(worker, employer)),
        CreditEventRecord(source=Department.COURT, source_id="(2026)浙0203执1234号-失信",
                          observed_at=OBSERVED, event_type=CreditEventType.DISHONEST_DEBTOR,
                          subject=employer, starts_on=date(2026, 1, 5),
                          expires_on=date(2028, 1, 5)),
        RelationRecord(source=Department.MARKET_REGULATION, source_id="LR-1", observed_at=OBSERVED,
                       relation_type=RelationType.LEGAL_REPRESENTATIVE, person=worker,
                       enterprise=employer),
    ]


@pytest.mark.parametrize("record", examples(), ids=lambda r: r.kind)
def test_round_trip_through_json(record: Any) -> None:
    assert parse_record_json(record.model_dump_json()) == record
    assert parse_record(record.model_dump(mode="json")) == record


@pytest.mark.parametrize("record", examples(), ids=lambda r: r.kind)
def test_hash_and_json_are_content_hash_and_a_json_that_reads_back(record: Any) -> None:
    content_hash, text = record.hash_and_json()
    assert content_hash == record.content_hash()
    assert parse_record_json(text) == record
    assert json.loads(text) == json.loads(record.model_dump_json())


# Content hashes of stored records must not change when the code does (a changed hash
# makes every re-sent record a new version): these were computed by the json.dumps
# implementation the orjson one replaced.
PINNED_HASHES = {
    "person": "8ca502a999f36a3f22f581d3e741b0fe",
    "enterprise": "b5498ea2d30ca630edbe77555b041817",
    "case": "4c9f14e9365fa0b0527e603629234659",
    "credit_event": "b755bbd40e112d4723b3a138771a79c6",
    "relation": "83f96b3b49302a6a71f6946a2eefb93f",
}


@pytest.mark.parametrize("record", examples(), ids=lambda r: r.kind)
def test_content_hashes_are_stable(record: Any) -> None:
    assert record.content_hash() == PINNED_HASHES[record.kind]


@pytest.mark.parametrize("observed_at", [
    OBSERVED, datetime(2026, 11, 1, 9, 30, 5, 120, tzinfo=UTC),
    datetime(2026, 11, 1, 9, 30, tzinfo=timezone(timedelta(hours=8))),
], ids=["naive", "utc-microseconds", "beijing"])
@pytest.mark.parametrize("record", examples(), ids=lambda r: r.kind)
def test_hash_and_json_write_what_pydantic_json_mode_writes(
    record: Any, observed_at: datetime,
) -> None:
    # hash_and_json serialises fields itself, for speed: it must stay byte for byte what
    # the model's JSON mode gives, or stored hashes would stop matching.
    record = record.model_copy(update={"observed_at": observed_at})
    data = record.model_dump(mode="json")
    text = orjson.dumps(data).decode("utf-8")
    del data["observed_at"]
    hashed = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]
    assert record.hash_and_json() == (hashed, text)
    assert record.content_hash() == hashed


def test_content_hash_is_the_sorted_json_of_the_record_without_observed_at() -> None:
    awkward = "".join(chr(i) for i in range(32, 127)) + "\u2028\u2029\ufeff\x7f\x85中文😀"
    record = parse_record(examples()[2].model_dump(mode="json") | {
        "cause": awkward, "summary": "tab\there \"quoted\" back\\slash\nline\x01\x1f"})
    data = record.model_dump(mode="json")
    del data["observed_at"]
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert record.content_hash() == hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
    assert record.hash_and_json()[0] == record.content_hash()


@pytest.mark.parametrize("record", examples(), ids=lambda r: r.kind)
def test_exported_json_schema_accepts_every_kind(record: Any) -> None:
    jsonschema.validate(record.model_dump(mode="json"), record_json_schema())


def test_json_schema_rejects_unknown_kind() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "pet", "source": "court"}, record_json_schema())


def test_identifiers_are_kept_as_written_but_case_folded() -> None:
    enterprise = examples()[1]
    assert enterprise.credit_code == "91330203MA2H0K1P1Y"
    person = examples()[0]
    assert person.id_number == "330203850315123"  # legacy form kept; resolver converts


def test_full_width_identifiers_are_folded_to_ascii() -> None:
    full_width = "３３０２０３１９８５０３１５１２３ｘ"
    data = examples()[0].model_dump(mode="json") | {"id_number": full_width}
    assert parse_record(data).id_number == "33020319850315123X"  # type: ignore[union-attr]


def test_content_hash_ignores_observed_at_but_not_content() -> None:
    person = examples()[0]
    later = person.model_copy(update={"observed_at": datetime(2026, 11, 20)})
    moved = person.model_copy(update={"phone": "13900000000"})
    assert later.content_hash() == person.content_hash()
    assert moved.content_hash() != person.content_hash()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "33020319850315123A", "not an ID number"),
        ("id_number", "12345", "not an ID number"),
        ("phone", "call me", "not a phone number"),
        ("name", "", "at least 1 character"),
        ("source_id", "XF-2026-0001#party0", "may not contain '#'"),
    ],
)
def test_person_field_errors_name_the_field(field: str, value: str, message: str) -> None:
    data = examples()[0].model_dump(mode="json") | {field: value}
    with pytest.raises(ValidationError) as info:
        parse_record(data)
    error = info.value.errors()[0]
    assert error["loc"][-1] == field
    assert message in str(error["msg"])


def test_case_state_must_belong_to_channel() -> None:
    data = examples()[2].model_dump(mode="json") | {"state": "award", "channel": "petition"}
    with pytest.raises(ValidationError, match="does not exist in channel 'petition'"):
        parse_record(data)


def test_credit_code_alphabet_is_enforced() -> None:
    data = examples()[1].model_dump(mode="json") | {"credit_code": "91330203MA2H0K1P1O"}
    with pytest.raises(ValidationError, match="not a unified social credit code"):
        parse_record(data)


def test_relation_parties_must_have_the_right_kinds() -> None:
    data = examples()[4].model_dump(mode="json")
    data["person"], data["enterprise"] = data["enterprise"], data["person"]
    with pytest.raises(ValidationError, match="party of kind"):
        parse_record(data)


def test_credit_event_cannot_expire_before_it_starts() -> None:
    data = examples()[3].model_dump(mode="json") | {"expires_on": "2025-01-01"}
    with pytest.raises(ValidationError, match="before starts_on"):
        parse_record(data)


def test_committed_json_schema_is_current() -> None:
    committed = Path(__file__).parents[2] / "docs" / "record-schema-1.0.json"
    assert json.loads(committed.read_text("utf-8")) == record_json_schema(), (
        "regenerate with: wutong schema --out docs/record-schema-1.0.json"
    )


def test_documented_examples_are_valid_records() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "records.md").read_text("utf-8")
    blocks = re.findall(r"```json\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 5
    kinds = {parse_record(json.loads(block)).kind for block in blocks}
    assert kinds == {"person", "enterprise", "case", "credit_event", "relation"}


def test_amounts_have_one_spelling_so_reexports_hash_alike() -> None:
    case = examples()[2]
    from_csv = case.model_copy(update={"amount_claimed": Decimal("12000")})
    as_json = from_csv.model_dump(mode="json")
    as_json["amount_claimed"] = 12000.0  # what an XLSX cell gives
    assert parse_record(as_json).content_hash() == parse_record(
        from_csv.model_dump(mode="json") | {"amount_claimed": "12000"}
    ).content_hash()


def test_case_parties_need_a_role() -> None:
    data = examples()[2].model_dump(mode="json")
    data["parties"][0]["role"] = None
    with pytest.raises(ValidationError, match=r"parties\[0\] has no role"):
        parse_record(data)
