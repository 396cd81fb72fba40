"""Phone numbers: valid mobile segments, Ningbo landlines, and how people write them."""

from __future__ import annotations

import random

# Segments inside the strict libphonenumber pattern (domain-china §3.1).
MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
    "151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176",
    "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191",
    "193", "195", "198", "199",
)
NINGBO_AREA = "0574"


def make_mobile(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
        if number not in taken:
            taken.add(number)
            return number


def make_landline(rng: random.Random, taken: set[str]) -> str:
    """A Ningbo fixed line, stored with its area code: 0574-87654321."""
    while True:
        local = f"{rng.choice('8856')}{rng.randint(0, 9_999_999):07d}"
        number = f"{NINGBO_AREA}-{local}"
        if number not in taken:
            taken.add(number)
            return number


def spaced_mobile(mobile: str, rng: random.Random) -> str:
    """A mobile as people type it: 138 1234 5678, +86 138-1234-5678, +8613812345678."""
    style = rng.randrange(4)
    if style == 0:
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    if style == 1:
        return f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"
    if style == 2:
        return f"+86{mobile}"
    return f"{mobile[:3]}-{mobile[3:7]}-{mobile[7:]}"


def landline_variant(landline: str, rng: random.Random) -> str:
    """0574-87654321 written as 057487654321 or (0574)87654321."""
    area, local = landline.split("-")
    return f"{area}{local}" if rng.random() < 0.5 else f"({area}){local}"


def local_part(landline: str) -> str:
    """87654321: the landline without its area code, as Ningbo clerks often write it."""
    return landline.split("-")[1]


def fullwidth(text: str) -> str:
    """Digits typed with a Chinese input method left in full-width mode."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)
