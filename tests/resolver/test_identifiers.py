from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from resolver.identifiers import (
    USCC_ALPHABET,
    IdentifierFormatError,
    id15_to_id18,
    id_check_digit,
    id_numbers_compatible,
    org_code_check_char,
    parse_credit_code,
    parse_id_number,
    parse_org_code,
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


# --- parse_id_number -------------------------------------------------------------------

regions = st.sampled_from(["330203", "330212", "330282", "110105", "440524", "650102",
                           "810000", "820000", "830000", "911234"])
birth_dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date.today())
sequences = st.text(alphabet="0123456789", min_size=3, max_size=3)


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    body = draw(regions) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)
    return body + id_check_digit(body)


@pytest.mark.parametrize(
    ("raw", "born", "sex"),
    [("11010519491231002X", dt.date(1949, 12, 31), "F"),
     ("440524188001010014", dt.date(1880, 1, 1), "M"),
     ("330203198503151234", dt.date(1985, 3, 15), "M")],
)
def test_worked_examples_are_valid(raw: str, born: dt.date, sex: str) -> None:
    parsed = parse_id_number(raw)
    assert parsed is not None
    assert parsed.valid and parsed.canonical == raw and parsed.warnings == ()
    assert parsed.birth_date == born and parsed.sex == sex
    assert not parsed.masked and not parsed.legacy15 and parsed.special is None


def test_a_correct_checksum_on_an_impossible_date_is_invalid() -> None:
    parsed = parse_id_number("330282199002290017")
    assert parsed is not None
    assert not parsed.valid and parsed.birth_date is None
    assert "invalid_birth_date" in parsed.warnings


def test_future_and_pre_1800_birth_dates_are_invalid() -> None:
    body = "33020320990101123"
    parsed = parse_id_number(body + id_check_digit(body))
    assert parsed is not None and not parsed.valid and "birth_date_in_future" in parsed.warnings
    body = "33020317990101123"
    parsed = parse_id_number(body + id_check_digit(body))
    assert parsed is not None and not parsed.valid and "birth_year_before_1800" in parsed.warnings


@pytest.mark.parametrize("raw", [
    "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002×",
    " 110105 19491231 002X ", "110105-19491231-002X",
])
def test_written_forms_normalise(raw: str) -> None:
    parsed = parse_id_number(raw)
    assert parsed is not None and parsed.canonical == "11010519491231002X" and parsed.valid


def test_wrong_check_digit_is_returned_flagged() -> None:
    parsed = parse_id_number("330203198503151235")
    assert parsed is not None and not parsed.valid
    assert parsed.warnings == ("check_digit_mismatch",)
    assert parsed.birth_date == dt.date(1985, 3, 15)  # still partial evidence


def test_legacy_15_digit_number_is_converted() -> None:
    parsed = parse_id_number("330203850315123")
    assert parsed is not None
    assert parsed.canonical == "330203198503151234" and parsed.legacy15 and parsed.valid


def test_legacy_centenarian_sequence_is_flagged() -> None:
    parsed = parse_id_number("330203050315997")
    assert parsed is not None and "legacy_centenarian_sequence" in parsed.warnings


@pytest.mark.parametrize(("raw", "canonical", "born", "sex"), [
    ("330203********1234", "330203********1234", None, "M"),
    ("3302031985****1234", "3302031985****1234", None, "M"),
    ("330***********1234", "330***********1234", None, "M"),
    ("330203＊＊＊＊＊＊＊＊1234", "330203********1234", None, "M"),
    ("33020319850315***X", "33020319850315***X", dt.date(1985, 3, 15), None),
])
def test_masked_numbers(raw: str, canonical: str, born: dt.date | None,
                        sex: str | None) -> None:
    parsed = parse_id_number(raw)
    assert parsed is not None
    assert parsed.canonical == canonical and parsed.masked and not parsed.valid
    assert parsed.birth_date == born and parsed.sex == sex


def test_shortened_mask_is_widened_with_a_warning() -> None:
    parsed = parse_id_number("330203****1234")
    assert parsed is not None
    assert parsed.canonical == "330203********1234"
    assert "mask_length_normalised" in parsed.warnings


@pytest.mark.parametrize(("prefix", "special"), [
    ("810000", "hk"), ("820000", "macau"), ("830000", "taiwan"), ("933156", "foreign"),
])
def test_special_prefixes(prefix: str, special: str) -> None:
    body = prefix + "19900101123"
    parsed = parse_id_number(body + id_check_digit(body))
    assert parsed is not None and parsed.valid and parsed.special == special


@pytest.mark.parametrize("raw", [
    None, "", "   ", "abc", "1234", "3302031985031512345", "33020319850315123",
    "3302031985X3151234", "330203198503151X34", "******************", "3302O3198503151234",
    "Smith", "不详", "330203850315", "12345678901234567",
])
def test_hopeless_input_gives_none(raw: str | None) -> None:
    assert parse_id_number(raw) is None


def test_an_18_digit_string_passing_both_checks_is_whatever_the_field_says() -> None:
    raw = "362322198709086409"
    idn, code = parse_id_number(raw), parse_credit_code(raw)
    assert idn is not None and idn.valid
    assert code is not None and code.canonical == raw  # no auto-detection either way


@given(valid_ids())
def test_a_body_with_its_check_digit_is_valid(number: str) -> None:
    parsed = parse_id_number(number)
    assert parsed is not None and parsed.valid and parsed.canonical == number


@given(valid_ids(), st.integers(0, 17), st.integers(1, 10))
def test_any_single_character_change_makes_it_invalid(number: str, pos: int, delta: int) -> None:
    chars = "0123456789X" if pos == 17 else "0123456789"
    old = chars.index(number[pos])
    new = chars[(old + delta) % len(chars)]
    if new == number[pos]:
        return
    parsed = parse_id_number(number[:pos] + new + number[pos + 1:])
    assert parsed is not None and not parsed.valid


@given(regions, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)),
       sequences)
def test_legacy_round_trip_keeps_the_birth_date(region: str, born: dt.date, seq: str) -> None:
    parsed = parse_id_number(region + born.strftime("%y%m%d") + seq)
    assert parsed is not None and parsed.legacy15
    assert parsed.birth_date == born and parsed.canonical[14:17] == seq


@given(valid_ids(), st.sets(st.integers(0, 17), min_size=1, max_size=14))
def test_masking_any_positions_stays_compatible(number: str, hidden: set[int]) -> None:
    masked = "".join("*" if i in hidden else c for i, c in enumerate(number))
    parsed = parse_id_number(masked)
    assert parsed is not None and parsed.masked and parsed.canonical == masked
    assert id_numbers_compatible(parsed.canonical, number)
    assert id_numbers_compatible(number, parsed.canonical)


def test_compatibility_needs_equal_length_and_agreeing_visible_digits() -> None:
    assert id_numbers_compatible("330203********1234", "3302031985****1234")
    assert not id_numbers_compatible("330203********1234", "330205********1234")
    assert not id_numbers_compatible("330203********1234", "330203****1234")
    assert id_numbers_compatible("", "")


@given(st.text())
def test_parse_id_number_never_raises(raw: str) -> None:
    parse_id_number(raw)


# --- credit codes ----------------------------------------------------------------------

@pytest.mark.parametrize("code", ["91110000600037341L", "12440600MB2C07549J",
                                  "91330203MA2H0K1P1Y"])
def test_worked_credit_codes_are_valid(code: str) -> None:
    parsed = parse_credit_code(code)
    assert parsed is not None and parsed.valid and parsed.warnings == ()
    assert parsed.org_code == code[8:17]


def test_xiamen_code_failing_mod31_is_kept_but_flagged() -> None:
    parsed = parse_credit_code("91350203M0001QKT19")
    assert parsed is not None and not parsed.valid
    assert parsed.warnings == ("check_char_mismatch",)


def test_bad_org_check_is_flagged() -> None:
    parsed = parse_credit_code("91330203MA2H0K1P2Y")
    assert parsed is not None and not parsed.valid
    assert "org_code_check_mismatch" in parsed.warnings


@pytest.mark.parametrize("raw", ["９１３３０２０３ＭＡ２Ｈ０Ｋ１Ｐ１Ｙ", "91330203ma2h0k1p1y",
                                 " 9133 0203 MA2H 0K1P 1Y", "913302-03MA2H0K1P-1Y"])
def test_credit_code_written_forms(raw: str) -> None:
    parsed = parse_credit_code(raw)
    assert parsed is not None and parsed.canonical == "91330203MA2H0K1P1Y" and parsed.valid


@pytest.mark.parametrize("raw", [None, "", "60003734-1", "9133020300000000O0",
                                 "91330203MA2H0K1PIY", "91330203MA2H0K1P1", "统一社会信用代码"])
def test_credit_code_rejects_wrong_length_or_alphabet(raw: str | None) -> None:
    assert parse_credit_code(raw) is None


@given(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8),
       st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
def test_random_codes_with_both_checks_validate(head: str, org_body: str) -> None:
    body = head + org_body + org_code_check_char(org_body)
    code = body + uscc_check_char(body)
    parsed = parse_credit_code(code)
    assert parsed is not None and parsed.valid and parsed.org_code == code[8:17]


@given(st.text())
def test_parse_credit_code_never_raises(raw: str) -> None:
    parse_credit_code(raw)
    parse_org_code(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("60003734-1", "600037341"), ("MA2H0K1P-1", "MA2H0K1P1"), ("ma2h0k1p1", "MA2H0K1P1"),
    ("60003734-2", None), ("6000373-41", "600037341"), ("91330203MA2H0K1P1Y", None),
    ("", None), (None, None), ("6000373@-1", None),
])
def test_parse_org_code(raw: str | None, expected: str | None) -> None:
    assert parse_org_code(raw) == expected
