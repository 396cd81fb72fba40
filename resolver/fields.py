"""The fields a resolver input can map its columns to (the `--map FIELD=COLUMN` contract)."""

from __future__ import annotations

from enum import StrEnum

from graph.errors import MappingError


class Field(StrEnum):
    name = "name"
    given_name = "given_name"
    surname = "surname"
    birth_date = "birth_date"
    sex = "sex"
    id_number = "id_number"
    other_id = "other_id"
    phone = "phone"
    address = "address"
    street_number = "street_number"
    street = "street"
    locality = "locality"
    city = "city"
    postcode = "postcode"
    state = "state"
    company_name = "company_name"
    credit_code = "credit_code"


PERSON_NAME_FIELDS = frozenset({Field.name, Field.given_name, Field.surname})
ENTERPRISE_FIELDS = frozenset({Field.company_name, Field.credit_code})


class UnknownField(MappingError):
    """A mapping names a field the resolver does not know."""

    def __init__(self, name: str) -> None:
        known = ", ".join(f.value for f in Field)
        super().__init__(f"unknown resolver field {name!r}; known fields: {known}")


def parse_field(name: str) -> Field:
    try:
        return Field(name.strip().lower())
    except ValueError:
        raise UnknownField(name) from None
