"""What a caller without full view sees of personal values: one policy for the API, the
command line and error messages.

- ID numbers (`id_number`, `legal_rep_id_number`, `other_id`) and phones keep their first
  and last digits: 330203198503151234 → 330203********1234, 13812345678 → 138****5678.
  The eight hidden ID digits are exactly the birth date, so
- birth dates are masked in full (`****-**-**`): with the year alone, the check character
  would narrow the hidden digits to about thirty candidates.
- Credit codes are public for companies and shown, except an individual business's
  (个体工商户: a unified social credit code starting with "92"), which identifies a person
  and is masked like an ID number.
"""

from __future__ import annotations

ID_FIELDS = frozenset({"id_number", "legal_rep_id_number", "other_id", "phone"})
BIRTH_DATE_FIELDS = frozenset({"birth_date"})
CREDIT_CODE_FIELDS = frozenset({"credit_code"})
MASKED_FIELDS = ID_FIELDS | BIRTH_DATE_FIELDS | CREDIT_CODE_FIELDS
MASKED_BIRTH_DATE = "****-**-**"
INDIVIDUAL_BUSINESS_PREFIX = "92"


def mask_identifier(value: str | None) -> str | None:
    """330203198503151234 → 330203********1234; 13812345678 → 138****5678."""
    if not value:
        return value
    if len(value) >= 15:
        return value[:6] + "*" * (len(value) - 10) + value[-4:]
    if len(value) >= 7:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * len(value)


def is_individual_business(credit_code: str) -> bool:
    return credit_code.strip().upper().startswith(INDIVIDUAL_BUSINESS_PREFIX)


def mask_credit_code(value: str | None) -> str | None:
    """Shown for companies; masked for an individual business (code starting with 92)."""
    if not value or not is_individual_business(value):
        return value
    return mask_identifier(value)


def mask_field(field: str, value: str | None) -> str | None:
    """The value of a record or mention field as a caller without full view sees it."""
    if value is None:
        return None
    if field in BIRTH_DATE_FIELDS:
        return MASKED_BIRTH_DATE if value else value
    if field in CREDIT_CODE_FIELDS:
        return mask_credit_code(value)
    if field in ID_FIELDS:
        return mask_identifier(value)
    return value


def mask_strong_identifier(kind: str | None, value: str | None) -> str | None:
    """An entity's strong identifier: a person's ID number, an enterprise's credit code."""
    return mask_credit_code(value) if kind == "enterprise" else mask_identifier(value)
