from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolver.phones import Phone, PhoneKind, identity_phones, parse_phones, phone_digits

MOBILE = "+8613812345678"
NINGBO = "+8657487654321"


def one(raw: str, default_area: str | None = "574") -> Phone:
    phones = parse_phones(raw, default_area)
    assert len(phones) == 1, phones
    return phones[0]


# The test-vector table of domain-china §3.2, one row per case.
@pytest.mark.parametrize(("raw", "e164", "kind", "extension", "inferred", "strict"), [
    ("138 1234 5678", MOBILE, "mobile", None, False, True),
    ("+86 138-1234-5678", MOBILE, "mobile", None, False, True),
    ("0086 13812345678", MOBILE, "mobile", None, False, True),
    ("8613812345678", MOBILE, "mobile", None, False, True),
    ("１３８１２３４５６７８", MOBILE, "mobile", None, False, True),
    ("1795113812345678", MOBILE, "mobile", None, False, True),
    ("0574-87654321", NINGBO, "landline", None, False, True),
    ("(0574)87654321", NINGBO, "landline", None, False, True),
    ("+86 574 8765 4321", NINGBO, "landline", None, False, True),
    ("87654321", NINGBO, "landline", None, True, True),
    ("0574-87654321转8001", NINGBO, "landline", "8001", False, True),
    ("0574-87654321-8001", NINGBO, "landline", "8001", False, True),
    ("81890", None, "service", None, False, True),
    ("12345", None, "service", None, False, True),
    ("400-123-4567", "+864001234567", "service", None, False, True),
    ("0574-96178", "+8657496178", "service", None, False, True),
    ("14112345678", "+8614112345678", "mobile", None, False, False),
])
def test_spec_vectors(raw: str, e164: str | None, kind: PhoneKind, extension: str | None,
                      inferred: bool, strict: bool) -> None:
    assert one(raw) == Phone(e164, extension, kind, inferred, strict)


@pytest.mark.parametrize(("raw", "e164", "extension"), [
    ("0574-8765 4321-8001", NINGBO, "8001"),
    ("0574 87654321 ext. 12", NINGBO, "12"),
    ("0574-87654321#66", NINGBO, "66"),
    ("０５７４－８７６５４３２１", NINGBO, None),
    ("+86(0)574-87654321", NINGBO, None),
    ("(+86) 138 1234 5678", MOBILE, None),
    ("013812345678", MOBILE, None),
    ("17911 138 1234 5678", MOBILE, None),
    ("010-62345678", "+861062345678", None),
    ("021 6234 5678", "+862162345678", None),
    ("0571-8123456", "+865718123456", None),
    ("手机：13812345678（本人）", MOBILE, None),
    ("87654321-8001", NINGBO, "8001"),
])
def test_more_written_forms(raw: str, e164: str, extension: str | None) -> None:
    phone = one(raw)
    assert phone.e164 == e164 and phone.extension == extension


@pytest.mark.parametrize("raw", [
    "110", "119", "120", "122", "95588", "95105588", "96178", "800-123-4567", "0574-81890",
    "0574-12345",
])
def test_service_numbers_are_never_identity_evidence(raw: str) -> None:
    assert one(raw).kind == "service"
    assert identity_phones(raw) == []


def test_multi_value_fields_are_split() -> None:
    raw = "13812345678/0574-87654321，13987654321；87654321或15912345678、0574-96178"
    assert [p.kind for p in parse_phones(raw)] == [
        "mobile", "landline", "mobile", "landline", "mobile", "service"]
    assert identity_phones(raw) == [MOBILE, NINGBO, "+8613987654321", "+8615912345678"]


def test_two_numbers_with_only_a_space_between() -> None:
    assert identity_phones("13812345678 13987654321") == [MOBILE, "+8613987654321"]


def test_default_area_is_a_parameter() -> None:
    assert one("87654321", "571").e164 == "+8657187654321"
    assert one("87654321", "0571").e164 == "+8657187654321"
    assert one("87654321", None).kind == "invalid"


@pytest.mark.parametrize("raw", [
    "02 9999 1234", "0412 345 678", "+61 2 9999 1234", "(08) 8123 4567", "138****5678",
    "abc", "1234", "12345678901234567890", "0", "+", "x1", "7654321",
])
def test_non_chinese_or_broken_numbers_are_invalid(raw: str) -> None:
    assert identity_phones(raw) == []
    assert all(p.kind in ("invalid", "service") for p in parse_phones(raw))
    assert all(p.e164 is None for p in parse_phones(raw) if p.kind == "invalid")


def test_empty_input() -> None:
    assert parse_phones(None) == [] and parse_phones("") == []
    assert identity_phones(None) == [] and phone_digits(None) is None
    assert phone_digits("n/a") is None


def test_phone_digits_for_foreign_data() -> None:
    assert phone_digits("02 9999 1234") == "0299991234"
    assert phone_digits("０２ ９９９９") == "029999"


mobiles = st.builds(
    lambda seg, rest: seg + rest,
    st.sampled_from(["130", "138", "139", "150", "159", "166", "177", "186", "189", "199"]),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@given(mobiles, st.sampled_from([
    "{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "+86 {a} {b} {c}", "+86{a}{b}{c}",
    "0086-{a}-{b}-{c}", "86{a}{b}{c}", "+86-{a}-{b}-{c}", "({a}) {b} {c}", "0{a}{b}{c}",
]), st.booleans())
def test_formatting_variations_of_a_mobile_agree(mobile: str, template: str,
                                                 fullwidth: bool) -> None:
    raw = template.format(a=mobile[:3], b=mobile[3:7], c=mobile[7:])
    if fullwidth:
        raw = _fullwidth(raw)
    assert identity_phones(raw) == ["+86" + mobile]


@given(st.text())
def test_never_raises(raw: str) -> None:
    parse_phones(raw)
    parse_phones(raw, None)
    identity_phones(raw)
    phone_digits(raw)
