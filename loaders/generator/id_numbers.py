"""Making valid identifiers, and writing them the ways departments do.

Check characters come from `resolver.identifiers`, the same arithmetic the resolver
validates with, so a generated number is valid by the project's own definition.
"""

from __future__ import annotations

import random
from datetime import date

from graph.vocabulary import Sex
from resolver.identifiers import USCC_ALPHABET, id_check_digit, org_code_check_char, uscc_check_char

# Characters a post-2015 organisation code uses after its 'MA'/'MB' prefix: the USCC
# alphabet, since the code is embedded in a USCC.
_ORG_TAIL_ALPHABET = USCC_ALPHABET


def make_id_number(region: str, birth: date, sex: Sex, rng: random.Random, taken: set[str]) -> str:
    """An 18-digit resident ID not in `taken`: sequence parity follows sex (odd = male)."""
    for _ in range(1000):
        sequence = rng.randint(0, 99) * 10 + rng.choice(
            (1, 3, 5, 7, 9) if sex is Sex.MALE else (0, 2, 4, 6, 8)
        )
        body = f"{region}{birth:%Y%m%d}{sequence:03d}"
        number = body + id_check_digit(body)
        if number not in taken:
            taken.add(number)
            return number
    raise RuntimeError(f"no free ID sequence for {region} {birth}")  # 500 same-day births


def legacy_id15(id18: str) -> str:
    """The 15-digit number a person born before 2000 carried before 1999: no century, no check."""
    return id18[:6] + id18[8:17]


def mask_middle(id18: str) -> str:
    """330203********1234: the common UI and report masking."""
    return id18[:6] + "*" * 8 + id18[14:]


def mask_birthday(id18: str) -> str:
    """3302031985****1234: month and day hidden, as on railway tickets."""
    return id18[:10] + "****" + id18[14:]


def make_credit_code(
    prefix: str, region: str, rng: random.Random, taken: set[str], *, modern: bool
) -> str:
    """A GB 32100 code not in `taken`.

    `prefix` is authority + type (91 enterprise, 92 individual business, 12 public
    institution). Post-2015 registrations carry new-style organisation codes beginning
    'MA' (market regulation) or 'MB' (institutions); older ones the digits of their old
    organisation code.
    """
    for _ in range(1000):
        if modern:
            head = "MB" if prefix.startswith("1") else "MA"
            body8 = head + "".join(rng.choice(_ORG_TAIL_ALPHABET) for _ in range(6))
        else:
            body8 = f"{rng.randint(10_000_000, 79_999_999)}"
        body17 = prefix + region + body8 + org_code_check_char(body8)
        code = body17 + uscc_check_char(body17)
        if code not in taken:
            taken.add(code)
            return code
    raise RuntimeError("credit code space exhausted")
