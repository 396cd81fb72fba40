"""Chinese identifiers: check characters and parsing (shared/domain-china.md §1, §2).

The check-character functions are the arithmetic only and raise on malformed input; the
`parse_*` functions take raw field values, never raise, and return None or a result
flagged invalid. An 18-character value is an ID or a credit code according to the field
it came from: some strings pass both checks (§1.3 example 5), so nothing here guesses.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_DIGITS = "0123456789"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
# GB 11714 reads letters on the full alphabet (A=10 ... Z=35), unlike GB 32100.
_ORG_VALUE = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


class IdentifierFormatError(ValueError):
    """A value handed to a check-character function has the wrong length or characters."""


def id_check_digit(body17: str) -> str:
    """GB 11643 MOD 11-2 check character for the first 17 digits of a resident ID."""
    if len(body17) != 17 or not (body17.isascii() and body17.isdigit()):
        raise IdentifierFormatError(f"ID body must be 17 digits, got {body17!r}")
    # Same as ID_CHECK[sum(d * w for ID_WEIGHTS) % 11], in one C call: 13 = 2 (mod 11), so
    # reading the body in base 13 weights digit i by 2^(16-i) (python-stdnum's trick).
    value = (1 - 2 * int(body17, 13)) % 11
    return "X" if value == 10 else _DIGITS[value]


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
        total = sum(_USCC_VALUE[c] * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    except KeyError as exc:
        raise IdentifierFormatError(
            f"credit code body {body17!r} has a character outside {USCC_ALPHABET}"
        ) from exc
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an organisation code (USCC positions 9-16)."""
    if len(body8) != 8 or not body8.isalnum() or not body8.isascii():
        raise IdentifierFormatError(f"organisation code body must be 8 letters/digits: {body8!r}")
    total = sum(_ORG_VALUE[c] * w for c, w in zip(body8.upper(), ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


# --- parsing raw values ----------------------------------------------------------------
#
# Everything below runs once per record in the resolver, so it works on plain strings with
# precompiled tables and caches results: the same ID or code recurs across departments.

_CACHE_SIZE = 1 << 16

# NFKC leaves these alone; they are typed for X (×) or are dashes people put in numbers.
_ID_TRANSLATE = str.maketrans({"×": "X", "x": "X"})
_ASCII_COMPACT = str.maketrans(dict.fromkeys(" \t\n\r\f\v-_"))
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_]+")
_ID18 = re.compile(r"[0-9*]{17}[0-9X*]")
_ID15 = re.compile(r"[0-9]{15}")
# A mask shortened by the source system: visible head, one run of stars, visible tail.
_SHORT_MASK = re.compile(r"([0-9]*)(\*+)([0-9]*[0-9X]?)")
# GB/T 2260 province codes, plus the 81/82/83 residence-permit prefixes; the foreign
# permanent-resident card (first digit 9) is handled on its own.
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})
_SPECIAL = {"81": "hk", "82": "macau", "83": "taiwan"}
_FIRST_BIRTH_YEAR = 1800


class _TodayCache:
    __slots__ = ("expires", "value")

    def __init__(self) -> None:
        self.value = _dt.date.min
        self.expires = 0.0


_TODAY = _TodayCache()


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A parsed resident ID number (GB 11643). `canonical` is 18 characters, `*` where masked."""

    canonical: str
    valid: bool
    masked: bool
    legacy15: bool
    birth_date: _dt.date | None
    sex: Literal["M", "F"] | None
    special: str | None
    warnings: tuple[str, ...]


def _compact(raw: str) -> str:
    """NFKC without spaces and hyphens."""
    if raw.isascii():
        # NFKC is the identity on ASCII; one translate does the rest.
        return raw.translate(_ASCII_COMPACT)
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))


def _clean(raw: str) -> str:
    return _compact(raw).translate(_ID_TRANSLATE)


def _today() -> _dt.date:
    # date.today() costs more than the rest of a parse; a minute of staleness is harmless.
    now = time.monotonic()
    if now >= _TODAY.expires:
        _TODAY.value, _TODAY.expires = _dt.date.today(), now + 60.0
    return _TODAY.value


def parse_id_number(raw: str | None) -> IdNumber | None:
    """Parse a resident ID as written; None when it cannot be an ID at all.

    Accepts full-width forms, spaces and hyphens, `x`/`×` for the check X, masks with `*`
    (a shortened mask such as `330203****1234` is widened to 18 characters with a warning),
    and 15-digit legacy numbers (converted to 18 digits, `legacy15=True`). A 15-character
    value with stars is read as a shortened 18-digit mask, not a masked legacy number.
    """
    if not raw:
        return None
    return _parse_id(raw)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_id(raw: str) -> IdNumber | None:
    text = _clean(raw).upper()
    warnings: list[str] = []
    legacy = False
    if len(text) == 18 and _ID18.fullmatch(text):
        canonical = text
    elif len(text) == 15 and _ID15.fullmatch(text):
        legacy = True
        canonical = id15_to_id18(text)
    else:
        match = _SHORT_MASK.fullmatch(text)
        head, tail = (match.group(1), match.group(3)) if match else ("", "")
        if not match or len(head) + len(tail) >= 18 or len(head) + len(tail) < 4:
            return None
        canonical = head + "*" * (18 - len(head) - len(tail)) + tail
        warnings.append("mask_length_normalised")
    if canonical.count("*") == 18:
        return None
    return _id_from_canonical(canonical, legacy, warnings)


def _id_from_canonical(canonical: str, legacy: bool, warnings: list[str]) -> IdNumber:
    masked = "*" in canonical
    check_ok = False
    if not masked:
        check_ok = id_check_digit(canonical[:17]) == canonical[17]
        if not check_ok:
            warnings.append("check_digit_mismatch")
    birth = _birth_date(canonical[6:14], warnings)
    seq = canonical[14:17]
    if legacy and seq in ("996", "997", "998", "999"):
        # The 1989 standard used these for centenarians, so the century "19" may be wrong.
        warnings.append("legacy_centenarian_sequence")
    digit17 = canonical[16]
    sex: Literal["M", "F"] | None = None
    if digit17 != "*":
        sex = "M" if int(digit17) % 2 else "F"
    special: str | None = None
    head = canonical[:2]
    if "*" not in head:
        if head[0] == "9":
            special = "foreign"
        elif head in _SPECIAL:
            special = _SPECIAL[head]
        elif head not in _PROVINCES:
            warnings.append("unknown_province_code")
    valid = not masked and check_ok and birth is not None
    return IdNumber(canonical, valid, masked, legacy, birth, sex, special, tuple(warnings))


def _birth_date(digits: str, warnings: list[str]) -> _dt.date | None:
    if "*" in digits:
        return None
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    try:
        born = _dt.date(year, month, day)
    except ValueError:
        warnings.append("invalid_birth_date")
        return None
    if year < _FIRST_BIRTH_YEAR:
        warnings.append("birth_year_before_1800")
        return None
    if born > _today():
        warnings.append("birth_date_in_future")
        return None
    return born


def id_numbers_compatible(a: str, b: str) -> bool:
    """True when two canonical IDs have the same length and agree wherever both are visible."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    return all(x == y or x == "*" or y == "*" for x, y in zip(a, b, strict=True))


# --- unified social credit codes -------------------------------------------------------

_USCC_CHARS = frozenset(USCC_ALPHABET)
_ORG_CODE = re.compile(r"[0-9A-Z]{8}[0-9X]")


@dataclass(frozen=True, slots=True)
class CreditCode:
    """A parsed unified social credit code (GB 32100); `valid` needs both check characters."""

    canonical: str
    valid: bool
    warnings: tuple[str, ...]

    @property
    def org_code(self) -> str:
        """Embedded organisation code (positions 9-17), the join key to pre-2015 records."""
        return self.canonical[8:17]

    @property
    def region(self) -> str:
        """Registration authority's GB/T 2260 region code (positions 3-8)."""
        return self.canonical[2:8]


def parse_credit_code(raw: str | None) -> CreditCode | None:
    """Parse a credit code; None unless it is 18 characters of the GB 32100 alphabet.

    A failing check character is a warning, not a rejection: real codes (e.g. some Xiamen
    codes issued before 2016) fail the MOD 31 check.
    """
    if not raw:
        return None
    return _parse_credit(raw)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_credit(raw: str) -> CreditCode | None:
    text = _compact(raw).upper()
    if len(text) != 18 or not _USCC_CHARS.issuperset(text):
        return None
    warnings: list[str] = []
    mod31_ok = uscc_check_char(text[:17]) == text[17]
    if not mod31_ok:
        warnings.append("check_char_mismatch")
    org_ok = org_code_check_char(text[8:16]) == text[16]
    if not org_ok:
        warnings.append("org_code_check_mismatch")
    if not text[2:8].isdigit():
        warnings.append("region_code_not_numeric")
    return CreditCode(text, mod31_ok and org_ok, tuple(warnings))


def parse_org_code(raw: str | None) -> str | None:
    """Parse a legacy organisation code `XXXXXXXX-X` into its 9-character compact form.

    Returns None unless the GB 11714 check character matches, so the result can be joined
    directly to `CreditCode.org_code`.
    """
    if not raw:
        return None
    text = _compact(raw).upper()
    if len(text) != 9 or not _ORG_CODE.fullmatch(text):
        return None
    return text if org_code_check_char(text[:8]) == text[8] else None
