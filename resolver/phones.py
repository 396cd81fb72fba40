"""Chinese phone numbers: normalise to E.164 plus extension (shared/domain-china.md §3.2).

Only Chinese patterns are recognised. Anything else (a foreign number, a masked
`138****5678`, free text) comes back as kind "invalid" with no E.164 form; foreign data
can still be compared through `phone_digits`. Service numbers (hotlines, 400/800, 95xxx,
96xxx, 81890, 12345, 110...) are kept as kind "service" and are never identity evidence:
they are the channel someone called through, not the caller.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

PhoneKind = Literal["mobile", "landline", "service", "invalid"]

_CACHE_SIZE = 1 << 16

# NFKC has already turned ，；／ into , ; /. 或 is "or"; newlines separate values too.
_SPLIT = re.compile(r"[/,;、\n\r|]|或")
_EXTENSION = re.compile(r"(?:转|轉|分机|ext\.?|x|#)\s*([0-9]{1,6})\s*$", re.IGNORECASE)
_DASHES = re.compile(r"[-‐‑‒–—―~]")
# The number itself: an optional + or (, then digits and the separators allowed in between.
_SPAN = re.compile(r"(?:[+(][+(\s]*)?[0-9][0-9\s.()\-‐‑‒–—―]*")
# ASCII digits only: other scripts' digits survive NFKC and must not reach an E.164 string.
_NOT_DIGIT = re.compile(r"[^0-9]")
_MOBILE_LOOSE = re.compile(r"1[3-9]\d{9}")
# libphonenumber metadata (8.13.48); 141/144/154/194 and 1741... fail it.
_MOBILE_STRICT = re.compile(
    r"1740[0-5]\d{6}|1(?:[38]\d|4[57]|[59][0-35-9]|6[25-7]|7[0-35-8])\d{8}"
)
# IP-dialling carrier prefixes (metadata national_prefix_for_parsing) before a mobile.
_IP_PREFIX = re.compile(r"1(?:[12]\d|79)\d\d(1[3-9]\d{9})")
# Short or prefixed numbers that reach an organisation, never a person.
_SERVICE = re.compile(r"11[0249]|12[02]|9[56]\d{5,6}|[48]00\d{7}")
_SERVICE_LOCAL = re.compile(r"81890|12345|11[0249]|12[02]|9[56]\d{3,6}")


@dataclass(frozen=True, slots=True)
class Phone:
    """One normalised phone number. `e164` is None for invalid and short service numbers."""

    e164: str | None
    extension: str | None
    kind: PhoneKind
    area_inferred: bool
    strict: bool


_INVALID = Phone(None, None, "invalid", False, False)


def parse_phones(raw: str | None, default_area: str | None = "574") -> list[Phone]:
    """Split a phone field into numbers and normalise each one.

    `default_area` ("574" or "0574") is assumed for a bare 8-digit local number, flagged
    `area_inferred`: pass None for sources outside that area and for foreign data.
    """
    if not raw:
        return []
    return list(_parse_field(raw, _area(default_area)))


def identity_phones(raw: str | None, default_area: str | None = "574") -> list[str]:
    """E.164 strings of the mobile and landline numbers in a field (no service numbers)."""
    if not raw:
        return []
    return list(_identity(raw, _area(default_area)))


def _area(default_area: str | None) -> str | None:
    # Accept "0574" as well as "574"; the trunk 0 is not part of E.164.
    return default_area.lstrip("0") or None if default_area else None


def phone_digits(raw: str | None) -> str | None:
    """All digits of a field after NFKC, for comparing foreign numbers as plain strings."""
    if not raw:
        return None
    digits = _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", raw))
    return digits or None


@lru_cache(maxsize=_CACHE_SIZE)
def _identity(raw: str, default_area: str | None) -> tuple[str, ...]:
    out: list[str] = []
    for phone in _parse_field(raw, default_area):
        if phone.e164 and phone.kind in ("mobile", "landline") and phone.e164 not in out:
            out.append(phone.e164)
    return tuple(out)


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_field(raw: str, default_area: str | None) -> tuple[Phone, ...]:
    text = unicodedata.normalize("NFKC", raw)
    out: list[Phone] = []
    for chunk in _SPLIT.split(text):
        if chunk.strip():
            out.extend(_parse_chunk(chunk, default_area))
    return tuple(out)


def _parse_chunk(chunk: str, default_area: str | None) -> list[Phone]:
    extension: str | None = None
    match = _EXTENSION.search(chunk)
    if match:
        extension = match.group(1)
        chunk = chunk[: match.start()]
    spans = [s.strip() for s in _SPAN.findall(chunk)]
    if not spans:
        return [_INVALID]
    if len(spans) > 1:
        # Several numbers separated by words, or digits broken by junk or a mask
        # ("138****5678"): keep only pieces that are complete numbers on their own.
        each = [_classify(_NOT_DIGIT.sub("", s), _has_plus(s), None) for s in spans]
        return [p for p in each if p.kind in ("mobile", "landline")] or [_INVALID]
    body = spans[0]
    plus = _has_plus(body)
    whole = _classify(_NOT_DIGIT.sub("", body), plus, default_area)
    if whole.kind in ("mobile", "landline"):
        return [_with_extension(whole, extension)]
    # "0574-8765 4321-8001": the last dash group is an extension when the rest is a landline.
    groups = _DASHES.split(body)
    if extension is None and len(groups) >= 2:
        last = groups[-1].strip()
        if 1 <= len(last) <= 6 and last.isascii() and last.isdigit():
            head = _classify(_NOT_DIGIT.sub("", "".join(groups[:-1])), plus, default_area)
            if head.kind == "landline":
                return [_with_extension(head, last)]
    # Two numbers written with only spaces between them.
    parts = body.split()
    if len(parts) >= 2:
        each = [_classify(_NOT_DIGIT.sub("", p), _has_plus(p), None) for p in parts]
        if all(p.kind in ("mobile", "landline") for p in each):
            return each
    return [_with_extension(whole, extension)]


def _has_plus(span: str) -> bool:
    return span.lstrip("( ").startswith("+")


def _with_extension(phone: Phone, extension: str | None) -> Phone:
    if extension is None or phone.kind == "invalid":
        return phone
    return Phone(phone.e164, extension, phone.kind, phone.area_inferred, phone.strict)


def _classify(digits: str, plus: bool, default_area: str | None) -> Phone:
    if not digits:
        return _INVALID
    international = False
    if digits.startswith("0086"):
        digits, international = digits[4:], True
    elif plus:
        if not digits.startswith("86"):
            return _INVALID  # another country's number
        digits, international = digits[2:], True
    elif len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    if len(digits) == 16:
        ip = _IP_PREFIX.fullmatch(digits)
        if ip:
            digits = ip.group(1)
    if _MOBILE_LOOSE.fullmatch(digits):
        return Phone("+86" + digits, None, "mobile", False,
                     _MOBILE_STRICT.fullmatch(digits) is not None)
    if international and not digits.startswith("0"):
        digits = "0" + digits  # +86 574 ... drops the trunk 0
    if digits.startswith("0"):
        return _with_trunk(digits[1:])
    if _SERVICE.fullmatch(digits) or 5 <= len(digits) <= 6:
        return _service(digits)
    if len(digits) == 8 and default_area and digits[0] in "23456789":
        return Phone(f"+86{default_area}{digits}", None, "landline", True, True)
    return _INVALID


def _with_trunk(rest: str) -> Phone:
    if _MOBILE_LOOSE.fullmatch(rest):
        # A mobile dialled with a leading 0 from a landline.
        return Phone("+86" + rest, None, "mobile", False,
                     _MOBILE_STRICT.fullmatch(rest) is not None)
    lengths: tuple[int, ...]
    if rest.startswith(("10", "2")):
        area, local, lengths = rest[:2], rest[2:], (8,)  # 010 and 02x have 8-digit locals
    elif rest[:1] in ("3", "4", "5", "6", "7", "8", "9"):
        area, local, lengths = rest[:3], rest[3:], (7, 8)
    else:
        return _INVALID
    if _SERVICE_LOCAL.fullmatch(local):
        return Phone(f"+86{area}{local}", None, "service", False, True)
    if len(local) in lengths and local[0] in "23456789":
        return Phone(f"+86{area}{local}", None, "landline", False, True)
    return _INVALID


def _service(digits: str) -> Phone:
    # 400/800 numbers are nationally dialable; short codes have no E.164 form of their own.
    e164 = "+86" + digits if len(digits) == 10 and digits[:3] in ("400", "800") else None
    return Phone(e164, None, "service", False, True)
