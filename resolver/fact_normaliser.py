"""The resolver's normalisers, as the dispute network asks for them (graph.network's
`FactNormaliser`): identity phones, address keys, full identifiers, company group keys."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from resolver.addresses import normalise_address
from resolver.company_names import parse_company_name
from resolver.identifiers import parse_credit_code, parse_id_number
from resolver.phones import identity_phones


class ResolverFactNormaliser:
    """Implements graph.network.FactNormaliser with the resolver's own parsers."""

    def __init__(self, default_area: str | None = "574") -> None:
        self.default_area = default_area or None

    def phone_keys(self, raw: str | None) -> tuple[str, ...]:
        return tuple(identity_phones(raw, self.default_area)) if raw else ()

    def address_key(self, raw: str | None) -> str | None:
        address = normalise_address(raw) if raw else None
        # An address without a house number names a road or a district, which many
        # unrelated people share.
        if address is None or address.number is None:
            return None
        return address.key

    def person_id(self, raw: str | None) -> tuple[str | None, date | None]:
        return _person_id(raw) if raw else (None, None)

    def credit_code(self, raw: str | None) -> str | None:
        code = parse_credit_code(raw) if raw else None
        return code.canonical if code is not None else None

    def company_group_key(self, name: str | None) -> str | None:
        return _group_key(name) if name else None


@lru_cache(maxsize=65_536)
def _person_id(raw: str) -> tuple[str | None, date | None]:
    parsed = parse_id_number(raw)
    if parsed is None:
        return None, None
    full = parsed.canonical if parsed.valid and not parsed.masked else None
    return full, parsed.birth_date


@lru_cache(maxsize=65_536)
def _group_key(name: str) -> str | None:
    parsed = parse_company_name(name)
    if parsed is None:
        return None
    return parsed.parent_key if parsed.is_branch and parsed.parent_key else parsed.k0
