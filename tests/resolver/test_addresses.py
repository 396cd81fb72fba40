from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from resolver.addresses import (
    Address,
    address_district_key,
    chinese_numeral_to_int,
    normalise_address,
)


def parsed(raw: str) -> Address:
    address = normalise_address(raw)
    assert address is not None
    return address


@pytest.mark.parametrize(("text", "value"), [
    ("八十八", 88), ("十", 10), ("十二", 12), ("二十", 20), ("一百零八", 108), ("两百", 200),
    ("一千二百三十四", 1234), ("二〇八", 208), ("一二八", 128), ("零", 0), ("三", 3),
    ("", None), ("八a", None), ("号", None),
])
def test_chinese_numerals(text: str, value: int | None) -> None:
    assert chinese_numeral_to_int(text) == value


@pytest.mark.parametrize("raw", [
    "宁波市海曙区中山西路88号",
    "浙江省宁波市海曙区中山西路88号",
    "浙江宁波海曙区中山西路88号",
    "宁波海曙区中山西路88号",
    "海曙区中山西路88号",
    "海曙区 中山西路 88 号",
    "海曙区中山西路８８号",
    "海曙区中山西路八十八号",
    "海曙区中山西路88",
    "海曙区中山西路88#",
    "（浙江省）宁波市，海曙区·中山西路88号。",
])
def test_chinese_variants_share_a_key(raw: str) -> None:
    address = parsed(raw)
    assert address.key == "海曙区中山西路88号"
    assert (address.district, address.road, address.number) == ("海曙区", "中山西路", "88号")
    assert address_district_key(address) == "海曙"


def test_township_is_dropped_from_the_key_when_a_road_is_given() -> None:
    a = parsed("宁波市镇海区骆驼街道民和路12弄3号502室")
    b = parsed("镇海区民和路12弄3号502室")
    assert a.key == b.key == "镇海区民和路12弄3号502室"
    assert a.tokens == ("镇海区", "民和路", "12弄", "3号", "502室")
    assert a.number == "3号"


@pytest.mark.parametrize(("raw", "district", "road", "key"), [
    ("宁波市慈溪市三北大街5号", "慈溪市", "三北大街", "慈溪市三北大街5号"),
    ("浙江省慈溪市浒山街道三北大街5号", "慈溪市", "三北大街", "慈溪市三北大街5号"),
    ("慈溪市三北大街5号", "慈溪市", "三北大街", "慈溪市三北大街5号"),
    ("宁波市镇海区庄市大道100号", "镇海区", "庄市大道", "镇海区庄市大道100号"),
    ("宁波市象山县靖南大街7号", "象山县", "靖南大街", "象山县靖南大街7号"),
    ("上海市黄浦区南京东路100号", "黄浦区", "南京东路", "黄浦区南京东路100号"),
    ("新疆维吾尔自治区喀什地区喀什市人民东路3号", "喀什市", "人民东路", "喀什市人民东路3号"),
    ("安徽省阜阳市颍州区颍州中路9号", "颍州区", "颍州中路", "颍州区颍州中路9号"),
    ("宁波杭州湾新区滨海二路1号", "杭州湾新区", "滨海二路", "杭州湾新区滨海二路1号"),
    ("台州市路桥区路桥大道1号", "路桥区", "路桥大道", "路桥区路桥大道1号"),
    ("宁波市海曙区新市路5号", "海曙区", "新市路", "海曙区新市路5号"),
    ("上海市宁波路1号", None, "宁波路", "宁波路1号"),
    ("宁波市中山西路88号", None, "中山西路", "中山西路88号"),
])
def test_chinese_parts(raw: str, district: str | None, road: str | None, key: str) -> None:
    address = parsed(raw)
    assert (address.district, address.road, address.key) == (district, road, key)


def test_compound_addresses_keep_building_and_room() -> None:
    a = parsed("宁波市海曙区天一家园二期十二幢三单元502室")
    b = parsed("海曙区天一家园2期12幢3单元502室")
    assert a.key == b.key == "海曙区天一家园2期12幢3单元502室"
    assert a.road is None and a.number is None
    assert "12幢" in a.tokens and "502室" in a.tokens


def test_residential_compound_is_not_a_district() -> None:
    address = parsed("阳光小区5幢302室")
    assert address.district is None and address_district_key(address) is None


def test_hyphenated_house_numbers_survive() -> None:
    assert parsed("海曙区中山西路88-1号").number == "88-1号"


@pytest.mark.parametrize("raw", [
    "12 Smith St.", "12 smith street", "12 SMITH ST", "12, Smith Street", "  12 Smith   St ",
])
def test_latin_variants_share_a_key(raw: str) -> None:
    address = parsed(raw)
    assert address.key == "12 smith street"
    assert (address.road, address.number, address.district) == ("smith street", "12", None)


@pytest.mark.parametrize(("raw", "key"), [
    ("Unit 5, 12 Smith St", "unit 5 12 smith street"),
    ("Apt 5 12 Smith Street", "unit 5 12 smith street"),
    ("flat 5 12 smith st", "unit 5 12 smith street"),
    ("12 St Kilda Rd", "12 saint kilda road"),
    ("3/14 O'Connor Cres", "3/14 oconnor crescent"),
    ("7 Müller Ave", "7 muller avenue"),
    ("1 Hume Hwy", "1 hume highway"),
    ("9 Ocean Tce", "9 ocean terrace"),
    ("4 Elm Pl", "4 elm place"),
    ("2 Oak Dr", "2 oak drive"),
    ("8 Bay Ct", "8 bay court"),
])
def test_latin_abbreviations(raw: str, key: str) -> None:
    assert parsed(raw).key == key


def test_latin_number_and_road() -> None:
    address = parsed("Unit 5, 12 Smith St")
    assert address.road == "smith street" and address.number == "12"


@pytest.mark.parametrize("raw", [None, "", "   ", "，，。", "---", "!!!"])
def test_nothing_usable_gives_none(raw: str | None) -> None:
    assert normalise_address(raw) is None


@given(st.text())
def test_never_raises(raw: str) -> None:
    address = normalise_address(raw)
    if address is not None:
        address_district_key(address)
        assert address.key
