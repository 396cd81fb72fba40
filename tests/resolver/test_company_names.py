from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolver.company_names import (
    LEGAL_FORMS,
    TRUNCATED_LEGAL_FORMS,
    CompanyName,
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


def test_china_in_brackets() -> None:
    name = parse("甬达(中国)投资有限公司")
    assert name.k2 == "甬达投资"
    assert name.region == "中国"


def test_individual_business_forms() -> None:
    unknown = parse("宁波市江北张三电器商行")
    assert unknown.k1 == "宁波市江北张三电器"
    assert unknown.k2 == "张三电器"
    assert unknown.individual_business
    company = parse("宁波市江北张三电器商行", individual=False)
    assert company.k1 == "宁波市江北张三电器商行"
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
