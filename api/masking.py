"""Masking ID numbers and phones for callers who may not see them in full.

Applied to every JSON value the API returns about people: any key named in
`MASKED_FIELDS`, at any depth (a case's parties, a relation's person, a mention's fields).
"""

from __future__ import annotations

from typing import Any

from api.entity_command import mask_identifier

MASKED_FIELDS = frozenset({"id_number", "legal_rep_id_number", "phone", "other_id"})


def masked(value: Any) -> Any:
    """A copy of a JSON-like value with every ID number and phone masked."""
    if isinstance(value, dict):
        return {k: (mask_identifier(v) if k in MASKED_FIELDS and isinstance(v, str)
                    else masked(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def shown(value: Any, full: bool) -> Any:
    return value if full else masked(value)
