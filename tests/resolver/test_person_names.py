from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resolver.person_names import (
    DOT,
    PersonName,
    blocking_key,
    han_name_similarity,
    names_swapped,
    parse_person_name,
    romanised_key,
    romanised_matches_han,
    surname_candidates,
    to_simplified,
    wu_dialect_keys,
)


def parse(raw: str) -> PersonName:
    name = parse_person_name(raw)
    assert name is not None, raw
    return name


def test_full_width_and_spaces() -> None:
    assert parse("张　三").key == "张三"
    assert parse(" 张 伟 ").key == "张伟"
    latin = parse("ＺＨＡＮＧ　Ｗｅｉ")
    assert latin.script == "latin"
    assert latin.key == "zhang wei"


@pytest.mark.parametrize(
    "raw",
    [
        "阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽‧买买提",
        "阿依古丽．买买提", "阿依古丽∙买买提", "阿依古丽●买买提", "阿依古丽.买买提",
        "阿依古丽･买买提", "阿依古丽-买买提", "阿依古丽··买买提", "·阿依古丽·买买提·",
    ],
)
def test_middle_dot_variants(raw: str) -> None:
    name = parse(raw)
    assert name.key == f"阿依古丽{DOT}买买提"
    assert name.nodot == "阿依古丽买买提"
    assert name.tokens == ("阿依古丽", "买买提")
    assert name.script == "han"


def test_dotless_minority_name_shares_nodot() -> None:
    assert parse("阿依古丽买买提").nodot == parse("阿依古丽·买买提").nodot
    assert han_name_similarity(parse("阿依古丽买买提"), parse("阿依古丽·买买提")) == 1.0


def test_traditional_to_simplified() -> None:
    assert parse("張偉").key == "张伟"
    assert parse("張偉").pinyin == "zhangwei"


def test_titles_stripped() -> None:
    assert parse("李友琴先生").key == "李友琴"
    assert not parse("李友琴先生").surname_only
    assert parse("张三(总经理)").key == "张三"
    assert parse("李四（家属）").key == "李四"
    assert parse("陈静女士").key == "陈静"
    assert parse_person_name("先生") is None


@pytest.mark.parametrize(
    ("raw", "surname"),
    [("王先生", "王"), ("李女士", "李"), ("王总", "王"), ("欧阳女士", "欧阳"), ("张**", "张"),
     ("张某某", "张"), ("张某", "张"), ("张XX", "张"), ("王", "王"), ("张**先生", "张")],
)
def test_surname_only(raw: str, surname: str) -> None:
    name = parse(raw)
    assert name.surname_only
    assert name.key == surname


def test_not_surname_only() -> None:
    assert not parse("王伟").surname_only
    assert not parse("Zhang Wei").surname_only
    assert parse("Mr Smith").surname_only


@pytest.mark.parametrize(
    ("raw", "pinyin"),
    [("单雄", "shanxiong"), ("曾国藩", "zengguofan"), ("解缙", "xiejin"), ("仇英", "qiuying"),
     ("区明", "ouming"), ("查良镛", "zhaliangyong"), ("朴树", "piaoshu"), ("覃伟", "qinwei"),
     ("翟林", "zhailin"), ("尉迟恭", "yuchigong"), ("万俟卨", "moqixie"),
     ("单于丹", "chanyudan"), ("长孙无忌", "zhangsunwuji"), ("吕布", "lvbu"),
     ("张长青", "zhangchangqing")],
)
def test_surname_readings(raw: str, pinyin: str) -> None:
    assert parse(raw).pinyin == pinyin


def test_surname_reading_only_at_head() -> None:
    # 单 in a given name keeps pypinyin's reading; a given-name field gets no surname reading.
    assert parse("王单").pinyin == "wangdan"
    given = parse_person_name("单单", part="given")
    assert given is not None
    assert given.pinyin == "dandan"


def test_fuzzy_pinyin() -> None:
    assert parse("陈伟").fuzzy == parse("程伟").fuzzy  # chen/cheng
    assert parse("张三").fuzzy == parse("藏三").fuzzy  # zhang/zang
    assert parse("刘宁").fuzzy == parse("牛林").fuzzy  # n/l, ing/in
    assert parse("胡芳").fuzzy == parse("符芳").fuzzy  # f → h
    assert parse("陈伟").pinyin != parse("程伟").pinyin


def test_variant_characters_block_but_keep_key() -> None:
    zhong = parse("锺南山")
    assert zhong.key == "锺南山"  # simplified 锺 is not folded into 钟 by t2s
    assert zhong.key != parse("钟南山").key
    assert blocking_key(zhong) == blocking_key(parse("钟南山"))
    for a, b in [("於丹", "于丹"), ("李昇", "李升"), ("甯静", "宁静"), ("徐乾学", "徐干学"),
                 ("郑汎", "郑泛")]:
        assert parse(a).key != parse(b).key, a
        assert blocking_key(parse(a)) == blocking_key(parse(b)), a
    assert parse("徐乾學").key == "徐乾学"
    assert to_simplified("於丹乾隆") == "於丹乾隆"


def test_similarity_ordering() -> None:
    base = parse("张伟")
    assert han_name_similarity(base, parse("张伟")) == 1.0
    homophone = han_name_similarity(base, parse("张玮"))
    longer = han_name_similarity(base, parse("张伟华"))
    assert longer < homophone
    assert han_name_similarity(base, parse("李强")) < longer
    assert 0.0 <= longer <= 1.0
    assert han_name_similarity(parse("钟伟"), parse("锺伟")) > homophone


def test_similarity_segments() -> None:
    a = parse("阿依古丽·买买提")
    assert han_name_similarity(a, parse("买买提·阿依古丽")) > 0.9
    assert 0 < han_name_similarity(a, parse("阿依古丽·吐尔逊")) < 0.9


def test_surname_candidates() -> None:
    assert surname_candidates(parse("欧阳修")) == ("欧阳", "欧")
    assert surname_candidates(parse("张王丽")) == ("张", "张王")
    assert surname_candidates(parse("张伟")) == ("张",)
    assert surname_candidates(parse("王先生")) == ("王",)
    assert surname_candidates(parse("阿依古丽·买买提")) == ()


def test_wu_dialect_keys() -> None:
    assert wu_dialect_keys(parse("王伟")) == wu_dialect_keys(parse("黄伟"))
    assert wu_dialect_keys(parse("胡明")) == wu_dialect_keys(parse("何明"))
    chen = wu_dialect_keys(parse("陈晨"))
    assert chen == wu_dialect_keys(parse("岑晨")) == wu_dialect_keys(parse("郑晨"))
    assert wu_dialect_keys(parse("赵红")) == wu_dialect_keys(parse("曹洪"))  # hong/hong
    assert wu_dialect_keys(parse("钱斌")) == wu_dialect_keys(parse("徐冰"))  # bin/bing
    assert wu_dialect_keys(parse("孙丽")) == wu_dialect_keys(parse("沈丽"))
    assert wu_dialect_keys(parse("王伟")) != wu_dialect_keys(parse("李伟"))
    assert wu_dialect_keys(parse("王先生")) == ()


def test_latin_names() -> None:
    name = parse("  José  O'Brien-Smith ")
    assert name.script == "latin"
    assert name.key == "jose obrien smith"
    assert name.tokens == ("jose", "obrien", "smith")
    assert name.nodot == "joseobriensmith"
    assert parse("Katherine").fuzzy == parse("Catherine").fuzzy
    assert parse("Smith").fuzzy == parse("Smyth").fuzzy


def test_names_swapped() -> None:
    assert names_swapped("John", "Smith", "smith", "JOHN")
    assert not names_swapped("John", "Smith", "John", "Smith")
    assert not names_swapped("John", None, None, "John")


def test_romanised() -> None:
    assert romanised_key("LYU Xiaoming") == "lv xiaoming"
    assert romanised_key("Lǚ Bu") == "lv bu"
    assert romanised_key("NYU Jinyu") == "nv jinyu"
    han = parse("张晓明")
    for roman in ["ZHANG Xiaoming", "Zhang Xiao Ming", "Xiaoming Zhang", "zhang xiao-ming"]:
        assert romanised_matches_han(parse(roman), han), roman
    assert not romanised_matches_han(parse("Zhang Xiaomin"), han)
    assert not romanised_matches_han(parse("Li Xiaoming"), han)
    assert romanised_matches_han(parse("LYU Bu"), parse("吕布"))
    assert romanised_matches_han(parse("Ouyang Xiu"), parse("欧阳修"))
    assert romanised_matches_han(parse("Shan Xiong"), parse("单雄"))


def test_empty_and_junk() -> None:
    for raw in [None, "", "   ", "123", "()", "***", "\x00", "\ud800"]:
        assert parse_person_name(raw) is None, repr(raw)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_raises_and_key_idempotent(raw: str) -> None:
    name = parse_person_name(raw)
    if name is None:
        return
    assert name.key
    again = parse_person_name(name.key)
    assert again is not None
    assert again.key == name.key
    assert blocking_key(name) == blocking_key(again)
    surname_candidates(name)
    wu_dialect_keys(name)
    assert 0.0 <= han_name_similarity(name, again) <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1,
               max_size=5),
       st.text(alphabet="·• ．-先生女士()", max_size=3))
def test_han_names_idempotent(core: str, noise: str) -> None:
    name = parse_person_name(core + noise)
    if name is None:
        return
    again = parse_person_name(name.key)
    assert again is not None
    assert again.key == name.key
    assert again.pinyin == name.pinyin
    bare = parse_person_name(core)
    if bare is not None:
        assert 0.0 <= han_name_similarity(name, bare) <= 1.0
