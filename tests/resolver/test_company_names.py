from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from resolver.company_names import (
    INDIVIDUAL_FORMS,
    INDIVIDUAL_KIND,
    LEGAL_FORMS,
    MAX_SOUND_KEYS,
    TRUNCATED_LEGAL_FORMS,
    CompanyName,
    company_sounds,
    legal_kind,
    parse_company_name,
)
from resolver.gazetteer import (
    PROVINCES,
    REGION_NAMES,
    ZHEJIANG_CITIES,
    is_region,
    strip_region_prefix,
    strip_region_suffix,
)
from resolver.polyphones import READINGS


def parse(raw: str, individual: bool | None = None) -> CompanyName:
    name = parse_company_name(raw, individual)
    assert name is not None, raw
    return name


VARIANTS = [
    "宁波海曙甬达电器有限公司",
    "甬达电器（宁波）有限公司",
    "甬达电器(宁波)有限公司",
    "甬达电器有限公司",
    "宁波甬达电器有限责任公司",
    "宁波甬达电器有限",
    "宁波甬达电器公司",
    "浙江省宁波市海曙区甬达电器有限公司",
    "浙江宁波甬达电器有限公司",
    "宁波市甬达电器有限公司",
    "甬达电器",
    " “甬达” 电器 有限公司 ",
    "甬達電器有限公司",
]


@pytest.mark.parametrize("raw", VARIANTS)
def test_informal_variants_share_k2(raw: str) -> None:
    name = parse(raw)
    assert name.k2 == "甬达电器"
    assert name.k3 == "甬达"
    assert not name.is_branch


def test_keys() -> None:
    name = parse("宁波海曙甬达电器有限公司")
    assert name.k0 == "宁波海曙甬达电器有限公司"
    assert name.k1 == "宁波海曙甬达电器"
    assert name.legal_form == "有限公司"
    assert name.region == "宁波海曙"
    bracketed = parse("甬达电器（宁波）有限公司")
    assert bracketed.k0 == "甬达电器宁波有限公司"
    assert bracketed.region == "宁波"


def test_full_width_and_ascii_brackets_equal() -> None:
    assert parse("甬达电器（宁波）有限公司") == parse("甬达电器(宁波)有限公司")
    assert parse("甬达电器【宁波】有限公司").k2 == "甬达电器"


def test_joint_stock_and_limited_share_k1() -> None:
    a, b = parse("宁波甬达电器股份有限公司"), parse("宁波甬达电器有限公司")
    assert a.k1 == b.k1 == "宁波甬达电器"
    assert a.k0 != b.k0
    assert a.legal_form == "股份有限公司"
    assert parse("甬达集团股份有限公司").k1 == parse("甬达集团有限公司").k1 == "甬达"


@pytest.mark.parametrize(
    ("raw", "form"),
    [("宁波甬达投资管理合伙企业（有限合伙）", "合伙企业(有限合伙)"),
     ("宁波甬达投资管理合伙企业(普通合伙)", "合伙企业(普通合伙)"),
     ("宁波甬达投资管理合伙企业（特殊普通合伙）", "合伙企业(特殊普通合伙)"),
     ("宁波甬达投资管理合伙企业有限合伙", "合伙企业有限合伙")],
)
def test_partnerships(raw: str, form: str) -> None:
    name = parse(raw)
    assert name.k1 == "宁波甬达投资管理"
    assert name.k2 == "甬达投资管理"
    assert name.legal_form == form


def test_branch() -> None:
    parent = parse("甬达科技有限公司")
    branch = parse("甬达科技有限公司宁波分公司")
    assert branch.is_branch and not parent.is_branch
    assert branch.branch == "宁波分公司"
    assert branch.branch_region == "宁波"
    assert branch.parent_key == parent.k0
    assert branch.k0 != parent.k0
    # K1–K3 are the parent's: a branch written as its parent still meets it there.
    assert (branch.k1, branch.k2, branch.k3) == (parent.k1, parent.k2, parent.k3)
    haishu = parse("甬达科技有限公司海曙分公司")
    assert haishu.branch == "海曙分公司" and haishu.parent_key == parent.k0


def test_bank_branches() -> None:
    sub = parse("宁波银行股份有限公司江北支行")
    assert sub.is_branch
    assert sub.parent_key == "宁波银行股份有限公司"
    assert sub.branch == "江北支行"
    boc = parse("中国银行宁波市分行")
    assert boc.parent_key == "中国银行" and boc.branch_region == "宁波市"
    # The region is the 字号 here: it is not stripped down to a generic word.
    assert parse("宁波银行股份有限公司").k2 == "宁波银行"
    assert parse("宁波银行股份有限公司").k3 == "宁波银行"
    assert parse("中国银行").k2 == "中国银行"


def test_the_head_region_is_one_spelling_in_k1() -> None:
    # 宁波市 and 宁波 name one place: "this region, this name" whether the 市 is written.
    assert parse("宁波市启美通信器材有限公司").k1 == parse("宁波启美通信器材有限公司").k1
    assert parse("浙江省宁波市海曙区甬达电器有限公司").k1 == "浙江宁波海曙甬达电器"
    # A more specific region is another K1 (宁波北仑启美 is not 宁波启美), and the
    # region as written stays in `region`.
    assert parse("宁波北仑启美通信器材有限公司").k1 != parse("宁波启美通信器材有限公司").k1
    assert parse("宁波市启美通信器材有限公司").region == "宁波市"
    # Not a region at the head: nothing changes (市中 is no place of the gazetteer here).
    assert parse("甬达电器市场管理有限公司").k1 == "甬达电器市场管理"


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([("宁波市", "宁波"), ("浙江省", "浙江"), ("海曙区", "海曙"),
                        ("宁波市海曙区", "宁波海曙"), ("象山县", "象山"),
                        ("浙江省宁波市", "浙江宁波")]),
       st.text(alphabet="甬达启美兴图联信", min_size=2, max_size=4),
       st.sampled_from(["电器", "科技", "物业服务", ""]),
       st.sampled_from(["有限公司", "有限责任公司", "公司", "有限"]))
def test_k1_does_not_depend_on_the_head_regions_suffix(
    region: tuple[str, str], trade: str, industry: str, form: str,
) -> None:
    written, short = region
    a, b = parse(f"{written}{trade}{industry}{form}"), parse(f"{short}{trade}{industry}{form}")
    assert a.k1 == b.k1 and a.k2 == b.k2
    assert a.k0 != b.k0  # the full name still says how it was written


def test_china_in_brackets() -> None:
    name = parse("甬达(中国)投资有限公司")
    assert name.k2 == "甬达投资"
    assert name.region == "中国"


def test_individual_business_forms() -> None:
    unknown = parse("宁波市江北张三电器商行")
    assert unknown.k1 == "宁波江北张三电器"
    assert unknown.k2 == "张三电器"
    assert unknown.individual_business
    company = parse("宁波市江北张三电器商行", individual=False)
    assert company.k1 == "宁波江北张三电器商行"
    assert not company.individual_business
    assert parse("甬达电器经营部", individual=True).k1 == "甬达电器"
    assert parse("甬达电器门市部").k1 == "甬达电器"
    # Legal-form names never lose an individual form.
    assert parse("甬达服务中心有限公司").k1 == "甬达服务中心"


def test_latin_names() -> None:
    name = parse("Ningbo Yongda Electric Appliance Co., Ltd.")
    assert name.k0 == "NINGBOYONGDAELECTRICAPPLIANCECOLTD"
    assert name.k1 == "NINGBOYONGDAELECTRICAPPLIANCE"
    assert name.k2 == "YONGDAELECTRICAPPLIANCE"
    assert name.k3 == "YONGDA"
    assert name.legal_form == "CO LTD"
    assert name.region == "NINGBO"
    for raw in ["YONGDA ELECTRIC APPLIANCE COMPANY LIMITED",
                "Yongda Electric Appliance (Ningbo) Co Ltd",
                "Zhejiang Ningbo Yongda Electric Appliance Co., Limited",
                "NINGBO CITY YONGDA ELECTRIC APPLIANCE LTD"]:
        assert parse(raw).k2 == "YONGDAELECTRICAPPLIANCE", raw
    assert parse("Yongda Group Co., Ltd.").k1 == "YONGDA"
    branch = parse("Yongda Technology Co Ltd Ningbo Branch")
    assert branch.is_branch and branch.parent_key == "YONGDATECHNOLOGYCOLTD"
    assert branch.k1 == "YONGDATECHNOLOGY"


def test_empty_and_junk() -> None:
    for raw in [None, "", "  ", "（）", "“”", "\ud800"]:
        assert parse_company_name(raw) is None, repr(raw)
    assert parse("有限公司").k1 == "有限公司"  # nothing left to be a 字号: keep it


def test_gazetteer() -> None:
    assert len(PROVINCES) == 34
    assert len(ZHEJIANG_CITIES) == 11
    for name in ["浙江省", "浙江", "宁波市", "海曙区", "江东", "鄞县", "奉化市", "高新区", "保税区",
                 "经济技术开发区", "杭州湾新区", "东钱湖", "中国", "新疆维吾尔自治区", "香港"]:
        assert name in REGION_NAMES, name
    assert strip_region_prefix("浙江宁波海曙甬达") == ("甬达", "浙江宁波海曙")
    assert strip_region_prefix("甬达") == ("甬达", None)
    assert strip_region_suffix("甬达宁波海曙") == ("甬达", "宁波海曙")
    assert is_region("浙江省宁波市") and not is_region("宁波甬达")


def test_legal_kinds_follow_company_law() -> None:
    # 公司法: 有限责任公司 may be written 有限公司 (one kind); 股份有限公司 is another.
    assert legal_kind("有限责任公司") == legal_kind("有限公司") == legal_kind("有限责") \
        == "limited liability"
    assert legal_kind("股份有限公司") == legal_kind("股份公司") == "joint-stock"
    assert legal_kind("集团股份有限公司") == "joint-stock"
    assert legal_kind("股份合作公司") == "joint-stock cooperative"
    assert legal_kind("合伙企业(有限合伙)") == "partnership"
    assert legal_kind("CO LTD") == "limited liability"
    assert legal_kind("公司") is legal_kind("集团公司") is legal_kind(None) is None
    assert legal_kind("店") == legal_kind("商行") == INDIVIDUAL_KIND


@given(st.sampled_from(INDIVIDUAL_FORMS), st.sampled_from(["宁波市鄞州区", "", "江北区"]),
       st.sampled_from(["张三电器", "卓达服装", "甬达五金"]))
def test_an_individual_business_form_is_its_legal_form(
    form: str, region: str, body: str,
) -> None:
    name = parse(f"{region}{body}{form}")
    assert name.individual_business and name.legal_form == form
    assert legal_kind(name.legal_form) == INDIVIDUAL_KIND
    assert name.k2 == body and name.k0.endswith(form)
    # Said to be a company: nothing is stripped, no legal form.
    company = parse(f"{region}{body}{form}", individual=False)
    assert company.legal_form is None and not company.individual_business


@given(st.sampled_from([*LEGAL_FORMS, *TRUNCATED_LEGAL_FORMS]), st.sampled_from(
    ["宁波", "", "(宁波)"]))
def test_a_legal_forms_kind_is_what_the_parsed_name_carries(form: str, region: str) -> None:
    name = parse_company_name(f"{region}甬达电器{form}")
    assert name is not None
    kind = legal_kind(name.legal_form)
    assert kind == legal_kind(form)
    if "股份" in form:
        assert kind is not None and kind.startswith("joint-stock")


@settings(max_examples=400, deadline=None)
@given(st.text(), st.sampled_from([None, True, False]))
def test_never_raises_and_keys_shrink(raw: str, individual: bool | None) -> None:
    name = parse_company_name(raw, individual)
    if name is None:
        return
    assert len(name.k3) <= len(name.k2) <= len(name.k1) <= len(name.k0)
    assert _subsequence(name.k1, name.k0)
    assert _subsequence(name.k2, name.k1)
    again = parse_company_name(name.k0, individual)
    assert again is not None and again.k0 == name.k0


_PARTS = st.sampled_from([
    "宁波", "浙江省", "海曙区", "(宁波)", "（中国）", "甬达", "电器", "科技", "有限公司",
    "股份有限公司", "分公司", "商行", "Co., Ltd.", "NINGBO", " ", "·", "“", "(有限合伙)",
    "合伙企业", "银行",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PARTS, max_size=8), st.sampled_from([None, True, False]))
def test_structured_names(parts: list[str], individual: bool | None) -> None:
    name = parse_company_name("".join(parts), individual)
    if name is None:
        return
    assert len(name.k3) <= len(name.k2) <= len(name.k1) <= len(name.k0)
    assert _subsequence(name.k2, name.k1) and _subsequence(name.k1, name.k0)
    again = parse_company_name(name.k0, individual)
    assert again is not None and again.k0 == name.k0
    if name.is_branch and name.parent_key is not None:
        assert _subsequence(name.parent_key, name.k0)


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


# Sound keys ---------------------------------------------------------------------------------


def _sounds(raw: str) -> tuple[str, ...]:
    return company_sounds(parse(raw))


def test_a_polyphonic_trade_name_character_is_keyed_by_each_reading_in_use() -> None:
    # pypinyin reads 长 in 岸长 as zhang; a clerk hearing 安昌 (an chang) wrote 岸长.
    assert _sounds("宁波岸长装饰工程有限公司")[0] == "anzhangzhuangshigongcheng"
    assert set(_sounds("宁波岸长装饰工程有限公司")) & set(_sounds("宁波安昌装饰工程有限公司"))
    assert set(_sounds("柏长物业服务(宁波)有限责任公司")) & set(_sounds("博昌物业服务有限公司"))


def test_readings_out_of_use_and_other_sounds_do_not_meet() -> None:
    # 甬 was once also read dòng; no word reads it so today, so 甬图 does not sound like 冬图.
    assert _sounds("甬图物业服务有限公司") == ("yongtuwuyefuwu",)
    assert not set(_sounds("甬图物业服务有限公司")) & set(_sounds("冬图物业服务有限公司"))
    assert not set(_sounds("宁波岸长装饰工程有限公司")) & set(_sounds("宁波安康装饰工程有限公司"))
    # Industry words keep the reading their word has (会 in 会展 is hui, not kuai).
    assert "会" in READINGS
    assert set(_sounds("宁波长兴会展有限公司")) == {"changxinghuizhan", "zhangxinghuizhan"}


def test_names_without_han_characters_have_no_sound_keys() -> None:
    assert _sounds("Ningbo Yongda Electric Co., Ltd.") == ()
    assert _sounds("宁波3D打印科技有限公司") == (_sounds("宁波3D打印科技有限公司")[0],)


_TRADE = st.text(alphabet="长柏行重乐和调盛信安昌岸博冬甬图达兴", min_size=2, max_size=4)
_INDUSTRY = st.sampled_from(["装饰工程", "物业服务", "科技", "食品", ""])


@settings(max_examples=300, deadline=None)
@given(_TRADE, _INDUSTRY, st.sampled_from(["宁波", "", "浙江省"]),
       st.sampled_from(["有限公司", "有限责任公司", "公司"]))
def test_sound_keys_are_bounded_distinct_and_ignore_region_and_legal_form(
    trade: str, industry: str, region: str, form: str,
) -> None:
    name = parse(f"{region}{trade}{industry}{form}")
    keys = company_sounds(name)
    assert 1 <= len(keys) <= MAX_SOUND_KEYS
    assert len(set(keys)) == len(keys)
    assert all(k.isascii() and k.isalpha() for k in keys)
    # The first key is the reading in context: what a single sound key used to be.
    assert keys[0] == "".join(lazy_pinyin(name.k2, style=Style.NORMAL, errors="ignore"))
    # Region and legal form do not change the keys (they are K2's).
    assert company_sounds(parse(f"{trade}{industry}有限公司")) == keys


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="长柏行重乐和调盛信冬甬达兴", min_size=1, max_size=2), _INDUSTRY)
def test_a_homophone_of_one_reading_shares_a_key(trade: str, industry: str) -> None:
    # Replace one character of the trade name by a character read only one of its ways:
    # the two names share a key (the change is within the first characters tried).
    name = parse(f"宁波启{trade}{industry}有限公司")
    for at, ch in enumerate(trade, start=1):
        for reading in READINGS.get(ch, ()):
            alike = _ONLY_READ.get(reading)
            if alike is None or len(trade) > 1:
                continue
            other = name.k2[:at] + alike + name.k2[at + 1:]
            assert set(company_sounds(name)) & set(company_sounds(parse(f"宁波{other}有限公司")))


# Characters with one reading only, by that reading (for the property above).
_ONLY_READ = {"zhang": "张", "chang": "昌", "bai": "百", "bo": "博", "xing": "星", "hang": "杭",
              "zhong": "中", "chong": "冲", "le": "勒", "yue": "月", "sheng": "生",
              "cheng": "成", "xin": "新", "tiao": "挑", "diao": "掉", "he": "河", "hu": "湖",
              "huo": "活"}
