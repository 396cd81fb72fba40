"""Canonical records: what every department's data becomes before it reaches the store.

A record keeps values as the source recorded them (a masked or 15-digit ID number, a
landline without its area code, a company name with full-width brackets): normalising is
the resolver's job, and the raw value is the evidence a reviewer reads. Validation here
only rejects what cannot be a value of the field at all.

The schema is versioned by `SCHEMA_VERSION`; `record_json_schema()` exports it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from graph.vocabulary import (
    CHANNEL_STATES,
    CaseState,
    Channel,
    CreditEventType,
    Department,
    DisputeCategory,
    PartyKind,
    PartyRole,
    RelationType,
    Sex,
)

SCHEMA_VERSION: Literal["1.0"] = "1.0"

# An ID number as departments write it: 18 characters (last may be X), legacy 15 digits,
# or either with some digits masked by '*'. Checksums are the resolver's concern.
_ID_NUMBER = re.compile(r"^(?:[0-9*]{17}[0-9Xx*]|[0-9*]{15})$")
# A unified social credit code: 18 characters of the GB 32100 alphabet (case-folded).
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18}$")
_PHONE_CHARS = re.compile(r"^[0-9０-９+＋()（）\-－ #*转extEXT/,，;；、或]+$")
# Three digits somewhere; of the characters _PHONE_CHARS lets through only these are digits.
_THREE_DIGITS = re.compile(r"(?:[^0-9０-９]*[0-9０-９]){3}")


def _strip_or_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _compact(value: str) -> str:
    """NFKC (full-width digits and letters become ASCII) without spaces or hyphens."""
    return unicodedata.normalize("NFKC", value).replace(" ", "").replace("-", "")


def _check_id_number(value: str | None) -> str | None:
    if value is None:
        return None
    # '×' for the check character X is a common data-entry slip (domain-china.md §1.4).
    compact = _compact(value).replace("×", "X")
    if not _ID_NUMBER.match(compact):
        raise ValueError(
            f"{value!r} is not an ID number: expected 18 characters (digits, last may be X) "
            "or 15 digits, with '*' for masked digits"
        )
    return compact.upper()


def _check_credit_code(value: str | None) -> str | None:
    if value is None:
        return None
    compact = _compact(value)
    if not _CREDIT_CODE.match(compact):
        raise ValueError(
            f"{value!r} is not a unified social credit code: expected 18 characters "
            "from 0-9 and A-Y without I, O, S, V, Z"
        )
    return compact.upper()


def _check_phone(value: str | None) -> str | None:
    if value is None:
        return None
    if not _PHONE_CHARS.match(value) or not _THREE_DIGITS.match(value):
        raise ValueError(f"{value!r} is not a phone number")
    return value


def _quantized(value: Decimal | None, step: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return value.quantize(Decimal(step))
    except InvalidOperation:  # more digits than decimal arithmetic keeps (28)
        raise ValueError(f"{value} is too large an amount") from None


def _to_fen(value: Decimal | None) -> Decimal | None:
    # One spelling per amount ("12000" from CSV, 12000.0 from XLSX), so the content hash
    # does not take a re-export for a change.
    return _quantized(value, "0.01")


def _to_ten_thousandths(value: Decimal | None) -> Decimal | None:
    return _quantized(value, "0.0001")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RecordBase(_Model):
    """What every canonical record carries, whatever its kind."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    source: Department = Field(description="Code of the department that recorded it")
    source_id: str = Field(min_length=1, max_length=200,
                           description="The department's own id (no '#')")
    observed_at: datetime = Field(description="When the department recorded or last saw it")

    @field_validator("source_id")
    @classmethod
    def _no_slot_separator(cls, value: str) -> str:
        # A mention id is "source:source_id#slot" (graph.entities.mention_id): a '#' in the
        # source id would make two mentions' ids ambiguous.
        if "#" in value:
            raise ValueError(f"source_id {value!r} may not contain '#' (it separates a "
                             "record's id from the slot in mention ids)")
        return value

    def content_hash(self) -> str:
        """Hash of what the record says, so a re-sent identical record is recognised.

        `observed_at` is left out: a department re-exporting the same facts later has not
        told us anything new.
        """
        data = dict(self.__dict__)
        del data["observed_at"]
        return _hash_of(data)

    def hash_and_json(self) -> tuple[str, str]:
        """`content_hash()` and the record as JSON (what `parse_record_json` reads back):
        a bulk load needs both for every record."""
        data = dict(self.__dict__)
        text = orjson.dumps(data, default=_json_default, option=orjson.OPT_UTC_Z).decode("utf-8")
        del data["observed_at"]
        return _hash_of(data), text


# A record is serialised by orjson straight from its fields (`__dict__`: the fields only,
# in their order, as `extra="forbid"` allows nothing else), not from `model_dump(mode=
# "json")`, which took about half of the time a load spends per record on hash and JSON.
# The text is the same: orjson writes strings, enums (their values), dates and date-times
# (UTC as "Z") as pydantic's JSON mode does; what it does not know comes here: a nested
# model (a Party) as its fields, a Decimal as `str()`, as pydantic writes it.
def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.__dict__
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"a record holds a {type(value).__name__}, which has no JSON form here")


def _hash_of(fields: dict[str, Any]) -> str:
    # The hashed text is what `json.dumps(payload, ensure_ascii=False, sort_keys=True,
    # separators=(",", ":"))` wrote of `model_dump(mode="json")` before orjson (same bytes
    # for these payloads; a record never holds a lone surrogate, pydantic refuses them), so
    # the hashes of records already stored stay valid. A load hashes every record.
    text = orjson.dumps(fields, default=_json_default,
                        option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)
    return hashlib.sha256(text).hexdigest()[:32]


class PersonRecord(RecordBase):
    """A person as one department knows them."""

    kind: Literal["person"] = "person"
    name: str = Field(min_length=1, max_length=100, examples=["张伟", "阿依古丽·买买提"])
    id_number: str | None = Field(
        default=None, examples=["330203198503151234", "330203********1234", "330203850315123"]
    )
    phone: str | None = Field(default=None, examples=["13812345678", "0574-87654321", "87654321"])
    sex: Sex | None = None
    birth_date: date | None = None
    address: str | None = Field(default=None, max_length=300, examples=["宁波市海曙区中山西路88号"])

    _blank = field_validator("id_number", "phone", "address", mode="before")(_strip_or_none)
    _id = field_validator("id_number")(_check_id_number)
    _phone = field_validator("phone")(_check_phone)


class EnterpriseRecord(RecordBase):
    """An enterprise (or individual business) as one department knows it."""

    kind: Literal["enterprise"] = "enterprise"
    name: str = Field(min_length=1, max_length=200, examples=["宁波海曙某某电器有限公司"])
    credit_code: str | None = Field(default=None, examples=["91330203MA2H0K1P1Y"])
    legal_rep_name: str | None = Field(default=None, max_length=100)
    legal_rep_id_number: str | None = None
    phone: str | None = None
    address: str | None = Field(default=None, max_length=300)
    registered_on: date | None = None
    status: str | None = Field(default=None, max_length=40, examples=["存续", "注销", "吊销"])

    _blank = field_validator(
        "credit_code", "legal_rep_name", "legal_rep_id_number", "phone", "address", "status",
        mode="before",
    )(_strip_or_none)
    _code = field_validator("credit_code")(_check_credit_code)
    _id = field_validator("legal_rep_id_number")(_check_id_number)
    _phone = field_validator("phone")(_check_phone)


class Party(_Model):
    """A party to a case or the subject of a credit event, exactly as the source wrote it."""

    role: PartyRole | None = Field(default=None, description="Required for case parties")
    kind: PartyKind
    name: str = Field(min_length=1, max_length=200)
    id_number: str | None = None
    credit_code: str | None = None
    phone: str | None = None
    address: str | None = Field(default=None, max_length=300)

    _blank = field_validator("id_number", "credit_code", "phone", "address", mode="before")(
        _strip_or_none
    )
    _id = field_validator("id_number")(_check_id_number)
    _code = field_validator("credit_code")(_check_credit_code)
    _phone = field_validator("phone")(_check_phone)

    @model_validator(mode="after")
    def _identifier_fits_kind(self) -> Party:
        if self.kind is PartyKind.PERSON and self.credit_code is not None:
            raise ValueError("a person party cannot carry a credit_code")
        return self


class CaseRecord(RecordBase):
    """A dispute or matter, with its parties inline as the source recorded them."""

    kind: Literal["case"] = "case"
    channel: Channel
    category: DisputeCategory
    state: CaseState
    filed_on: date = Field(description="受理日期 / 登记日期: when the department took it in")
    closed_on: date | None = None
    cause: str | None = Field(default=None, max_length=500, description="案由 as written")
    summary: str | None = Field(default=None, max_length=4000)
    amount_claimed: Decimal | None = Field(default=None, ge=0, description="In yuan, to the fen")
    parties: tuple[Party, ...] = Field(min_length=1)
    escalated_from: str | None = Field(
        default=None, description="Case number of the earlier case this one continues, if known"
    )

    _blank = field_validator("cause", "summary", "escalated_from", mode="before")(_strip_or_none)
    _fen = field_validator("amount_claimed")(_to_fen)

    @model_validator(mode="after")
    def _state_fits_channel(self) -> CaseRecord:
        for index, party in enumerate(self.parties):
            if party.role is None:
                raise ValueError(
                    f"parties[{index}] has no role (applicant, respondent or third_party)"
                )
        allowed = CHANNEL_STATES[self.channel]
        if self.state not in allowed:
            names = ", ".join(s.value for s in allowed)
            raise ValueError(
                f"state {self.state.value!r} does not exist in channel {self.channel.value!r}; "
                f"expected one of: {names}"
            )
        if self.closed_on is not None and self.closed_on < self.filed_on:
            raise ValueError(f"closed_on {self.closed_on} is before filed_on {self.filed_on}")
        return self


class CreditEventRecord(RecordBase):
    """A credit listing, penalty or commendation about a person or enterprise."""

    kind: Literal["credit_event"] = "credit_event"
    event_type: CreditEventType
    subject: Party
    starts_on: date
    expires_on: date | None = None
    authority: str | None = Field(default=None, max_length=200)
    reason: str | None = Field(default=None, max_length=1000)
    case_number: str | None = Field(default=None, description="执行案号 or decision number")

    _blank = field_validator("authority", "reason", "case_number", mode="before")(_strip_or_none)

    @model_validator(mode="after")
    def _expiry_after_start(self) -> CreditEventRecord:
        if self.expires_on is not None and self.expires_on < self.starts_on:
            raise ValueError(f"expires_on {self.expires_on} is before starts_on {self.starts_on}")
        return self


class RelationRecord(RecordBase):
    """A person's role in an enterprise: legal representative, shareholder or employee."""

    kind: Literal["relation"] = "relation"
    relation_type: RelationType
    person: Party
    enterprise: Party
    starts_on: date | None = None
    ends_on: date | None = None
    share_ratio: Decimal | None = Field(default=None, ge=0, le=1)

    _ratio = field_validator("share_ratio")(_to_ten_thousandths)

    @model_validator(mode="after")
    def _kinds(self) -> RelationRecord:
        if self.person.kind is not PartyKind.PERSON:
            raise ValueError("person must be a party of kind 'person'")
        if self.enterprise.kind is not PartyKind.ENTERPRISE:
            raise ValueError("enterprise must be a party of kind 'enterprise'")
        return self


CanonicalRecord = Annotated[
    PersonRecord | EnterpriseRecord | CaseRecord | CreditEventRecord | RelationRecord,
    Field(discriminator="kind"),
]
RecordKind = Literal["person", "enterprise", "case", "credit_event", "relation"]
RECORD_KINDS: tuple[RecordKind, ...] = ("person", "enterprise", "case", "credit_event", "relation")

_ADAPTER: TypeAdapter[CanonicalRecord] = TypeAdapter(CanonicalRecord)


def parse_record(data: dict[str, Any]) -> CanonicalRecord:
    """Validate a dict (e.g. a JSON object) into the canonical record of its `kind`."""
    return _ADAPTER.validate_python(data)


def parse_record_json(text: str | bytes) -> CanonicalRecord:
    return _ADAPTER.validate_json(text)


def record_json_schema() -> dict[str, Any]:
    """The JSON Schema of a canonical record (all kinds, discriminated by `kind`)."""
    schema = _ADAPTER.json_schema()
    schema["$id"] = f"https://wutong.local/schema/record-{SCHEMA_VERSION}.json"
    schema["title"] = f"Wutong canonical record, schema {SCHEMA_VERSION}"
    return schema
