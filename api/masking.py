"""Masking personal values for callers who may not see them in full (graph.masking has
the policy: ID numbers and phones, birth dates, individual businesses' credit codes).

Applied to every JSON value the API returns about people: any key named in
`MASKED_FIELDS`, at any depth (a record's fields, a case's parties, a relation's person, a
mention's fields).
"""

from __future__ import annotations

from typing import Any

from graph.masking import MASKED_FIELDS, mask_field

__all__ = ["MASKED_FIELDS", "masked", "shown"]


def masked(value: Any) -> Any:
    """A copy of a JSON-like value with every personal value masked."""
    if isinstance(value, dict):
        return {k: (mask_field(k, v) if k in MASKED_FIELDS and isinstance(v, str)
                    else masked(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [masked(v) for v in value]
    return value


def shown(value: Any, full: bool) -> Any:
    return value if full else masked(value)
