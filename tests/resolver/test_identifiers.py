from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from resolver.identifiers import (
    USCC_ALPHABET,
    IdentifierFormatError,
    id15_to_id18,
    id_check_digit,
    org_code_check_char,
    uscc_check_char,
)

digits17 = st.text(alphabet="0123456789", min_size=17, max_size=17)


@pytest.mark.parametrize(
    ("number", "check"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("33020319850315123", "4")],
)
def test_id_check_digit_on_standard_examples(number: str, check: str) -> None:
    assert id_check_digit(number) == check


@given(digits17)
def test_id_check_digit_satisfies_iso_7064(body: str) -> None:
    """With the check at weight 1, sum(a_i * 2^(i-1)) = 1 (mod 11)."""
    full = body + id_check_digit(body)
    values = [10 if c == "X" else int(c) for c in full]
    assert sum(v * pow(2, 17 - i, 11) for i, v in enumerate(values)) % 11 == 1


@given(digits17)
def test_id_check_digit_agrees_with_python_stdnum(body: str) -> None:
    assert id_check_digit(body) == ric.calc_check_digit(body + "0")  # stdnum wants 18 chars


@given(digits17, st.integers(0, 16), st.integers(1, 9))
def test_id_check_digit_catches_every_single_digit_error(body: str, pos: int, delta: int) -> None:
    changed = body[:pos] + str((int(body[pos]) + delta) % 10) + body[pos + 1:]
    assert id_check_digit(changed) != id_check_digit(body)


def test_legacy_15_digit_conversion() -> None:
    assert id15_to_id18("330203850315123") == "330203198503151234"


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_legacy_conversion_gives_a_valid_number_with_the_century_inserted(legacy: str) -> None:
    full = id15_to_id18(legacy)
    assert full[:6] == legacy[:6] and full[6:8] == "19" and full[8:17] == legacy[6:]
    assert full[17] == id_check_digit(full[:17])


@pytest.mark.parametrize(
    ("body", "check"),
    [("91110000600037341", "L"), ("12440600MB2C07549", "J"), ("91330203MA2H0K1P1", "Y")],
)
def test_uscc_check_on_known_codes(body: str, check: str) -> None:
    assert uscc_check_char(body) == check


@given(st.text(alphabet="0123456789", min_size=8, max_size=8),
       st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=9, max_size=9))
def test_uscc_check_agrees_with_python_stdnum_on_digit_prefixes(head: str, tail: str) -> None:
    body = head + tail
    assert uscc_check_char(body) == uscc.calc_check_digit(body)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_makes_weighted_sum_zero_mod_31(body: str) -> None:
    full = body + uscc_check_char(body)
    weights = [pow(3, i, 31) for i in range(17)] + [1]
    assert sum(USCC_ALPHABET.index(c) * w for c, w in zip(full, weights, strict=True)) % 31 == 0


@pytest.mark.parametrize(("body", "check"), [("60003734", "1"), ("MB2C0754", "9"),
                                             ("MA2H0K1P", "1")])
def test_org_code_check(body: str, check: str) -> None:
    assert org_code_check_char(body) == check


@pytest.mark.parametrize("bad", ["1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"])
def test_id_check_rejects_malformed_bodies(bad: str) -> None:
    with pytest.raises(IdentifierFormatError):
        id_check_digit(bad)


def test_uscc_check_rejects_letters_outside_the_alphabet() -> None:
    with pytest.raises(IdentifierFormatError, match="outside"):
        uscc_check_char("9133020300000000O")
