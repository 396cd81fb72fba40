"""Check characters of Chinese identifiers (shared/domain-china.md §1.2, §1.5, §2.2, §2.3).

These are the arithmetic only; parsing a raw value into a structured result (masked
forms, legacy numbers, warnings) is built on top of them.
"""

from __future__ import annotations

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class IdentifierFormatError(ValueError):
    """A value handed to a check-character function has the wrong length or characters."""


def id_check_digit(body17: str) -> str:
    """GB 11643 MOD 11-2 check character for the first 17 digits of a resident ID."""
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise IdentifierFormatError(f"ID body must be 17 digits, got {body17!r}")
    total = sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def id15_to_id18(legacy: str) -> str:
    """Convert a 1989-style 15-digit number to 18 digits (century 19 inserted)."""
    if len(legacy) != 15 or not (legacy.isascii() and legacy.isdigit()):
        raise IdentifierFormatError(f"legacy ID must be 15 digits, got {legacy!r}")
    body = legacy[:6] + "19" + legacy[6:]
    return body + id_check_digit(body)


def uscc_check_char(body17: str) -> str:
    """GB 32100 MOD 31 check character for the first 17 characters of a credit code."""
    if len(body17) != 17:
        raise IdentifierFormatError(f"credit code body must be 17 characters, got {body17!r}")
    try:
        total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    except ValueError as exc:
        raise IdentifierFormatError(
            f"credit code body {body17!r} has a character outside {USCC_ALPHABET}"
        ) from exc
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an organisation code (USCC positions 9-16)."""
    if len(body8) != 8 or not body8.isalnum() or not body8.isascii():
        raise IdentifierFormatError(f"organisation code body must be 8 letters/digits: {body8!r}")
    total = sum(int(c, 36) * w for c, w in zip(body8.upper(), ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)
