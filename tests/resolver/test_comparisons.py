"""Comparison levels on small frames, including the traps named in the issue."""

from __future__ import annotations

import numpy as np

from resolver.comparisons import COMPARISONS, comparison_matrix, comparisons_for
from resolver.fields import Field
from resolver.frame import Frame, Kind, build_frame

PERSON = frozenset({Field.name, Field.id_number, Field.phone, Field.birth_date, Field.address})


def _frame(rows: list[dict[Field, str | None]], fields: frozenset[Field] = PERSON) -> Frame:
    kind: Kind = "enterprise" if Field.company_name in fields else "person"
    plain = [{f.value: v for f, v in row.items()} for row in rows]
    return build_frame(kind, [str(k) for k in range(len(rows))], [0] * len(rows), plain, fields,
                       "574")


def _level(frame: Frame, comparison: str, a: int, b: int) -> str:
    chosen = COMPARISONS[comparison][1]
    levels, _ = comparison_matrix(frame, [chosen], np.asarray([a]), np.asarray([b]))
    level = int(levels[0, 0])
    return "missing" if level < 0 else chosen.labels[level]


def test_one_character_typo_ranks_above_a_longer_different_name() -> None:
    # Raw Jaro-Winkler scores 张伟/张玮 below 张伟/张伟华; per-character comparison must not.
    frame = _frame([{Field.name: "张伟"}, {Field.name: "张玮"}, {Field.name: "张伟华"}])
    labels = COMPARISONS["name"][1].labels
    typo = labels.index(_level(frame, "name", 0, 1))
    longer = labels.index(_level(frame, "name", 0, 2))
    assert typo < longer
    assert _level(frame, "name", 0, 2) == "else"


def test_chinese_name_levels() -> None:
    frame = _frame([{Field.name: "张伟"}, {Field.name: "張偉"}, {Field.name: "章伟"},
                    {Field.name: "吴雨燕"}, {Field.name: "吴燕雨"}, {Field.name: "张先生"},
                    {Field.name: "王芳"}])
    assert _level(frame, "name", 0, 1) == "exact"  # traditional folded to simplified
    assert _level(frame, "name", 0, 2) == "same pinyin"
    assert _level(frame, "name", 3, 4) == "one character differs"  # transposed
    assert _level(frame, "name", 0, 5) == "surname only agrees"
    assert _level(frame, "name", 0, 6) == "else"


def test_latin_names_compare_by_similarity_and_swapped_fields() -> None:
    fields = frozenset({Field.given_name, Field.surname})
    frame = _frame([{Field.given_name: "Katherine", Field.surname: "Smith"},
                    {Field.given_name: "Kathrine", Field.surname: "Smith"},
                    {Field.given_name: "Smith", Field.surname: "Katherine"}], fields)
    assert _level(frame, "given_name", 0, 1) == "one character differs"
    assert _level(frame, "given_name", 0, 2) == "written in the other name field"


def test_id_numbers_exact_masked_legacy_and_typo() -> None:
    frame = _frame([{Field.id_number: "330203198503151234"},
                    {Field.id_number: "330203********1234"},
                    {Field.id_number: "330203850315123"},
                    {Field.id_number: "330203198503151243"},
                    {Field.id_number: "110105194912310021"}])
    assert _level(frame, "id_number", 0, 1) == "visible digits agree"
    assert _level(frame, "id_number", 0, 2) == "exact"  # 15 digits converted to 18
    assert _level(frame, "id_number", 0, 3) == "one character differs"
    assert _level(frame, "id_number", 0, 4) == "else"


def test_birth_dates_swapped_and_partial() -> None:
    frame = _frame([{Field.birth_date: "1985-03-05"}, {Field.birth_date: "1985-05-03"},
                    {Field.birth_date: "1985年3月"}, {Field.birth_date: "1986-03-05"},
                    {Field.birth_date: None}])
    assert _level(frame, "birth_date", 0, 1) == "day and month swapped"
    assert _level(frame, "birth_date", 0, 2) == "same year and month"
    assert _level(frame, "birth_date", 0, 3) == "one part differs"
    assert _level(frame, "birth_date", 0, 4) == "missing"


def test_service_numbers_are_never_shared_phone_evidence() -> None:
    frame = _frame([{Field.phone: "81890"}, {Field.phone: "81890"},
                    {Field.phone: "138 1234 5678"}, {Field.phone: "+86 13812345678"}])
    assert _level(frame, "phone", 0, 1) == "missing"
    assert _level(frame, "phone", 2, 3) == "shared number"


def test_legal_forms_compared_where_the_name_levels_set_them_aside() -> None:
    fields = frozenset({Field.company_name})
    frame = _frame([{Field.company_name: "宁波信达物业服务有限责任公司"},
                    {Field.company_name: "信达物业服务有限责任公司"},
                    {Field.company_name: "信达物业服务有限公司"},
                    {Field.company_name: "信达物业服务股份有限公司"},
                    {Field.company_name: "信达物业服务公司"},
                    {Field.company_name: "宁波信达物业服务有限公司"},
                    {Field.company_name: "信达物业服务"}], fields)
    assert _level(frame, "legal_form", 0, 1) == "same as written"
    assert _level(frame, "legal_form", 0, 2) == "same kind"
    assert _level(frame, "legal_form", 0, 3) == "else"
    assert _level(frame, "legal_form", 0, 4) == "same kind"  # 公司 does not say which
    # The name levels already say how the forms compare: exact, or only the form differs.
    assert _level(frame, "legal_form", 1, 1) == "missing"
    assert _level(frame, "legal_form", 0, 5) == "missing"
    assert _level(frame, "legal_form", 0, 6) == "missing"  # no legal form written


def test_an_individual_business_is_never_a_company_of_any_kind() -> None:
    # 个体工商户 forms (店, 商行) name no company: "else" against 公司 too, which otherwise
    # may stand for any kind; two 个体 forms are one kind.
    fields = frozenset({Field.company_name})
    frame = _frame([{Field.company_name: "宁波市鄞州区卓大服装店"},
                    {Field.company_name: "宁波卓达服装股份有限公司"},
                    {Field.company_name: "卓达服装公司"},
                    {Field.company_name: "宁波市鄞州区卓达服装商行"},
                    {Field.company_name: "宁波卓达服装有限公司"}], fields)
    assert _level(frame, "legal_form", 0, 1) == "else"
    assert _level(frame, "legal_form", 0, 2) == "else"
    assert _level(frame, "legal_form", 0, 3) == "same kind"
    assert _level(frame, "legal_form", 2, 4) == "same kind"  # 公司 still any company


def test_company_branch_never_agrees_with_its_parent_on_name_keys() -> None:
    # A parent against its branch is a level of its own (a branch is often written by its
    # parent's name), never one of the name-agreement levels; two branches are just "else".
    fields = frozenset({Field.company_name})
    frame = _frame([{Field.company_name: "宁波某某电器有限公司"},
                    {Field.company_name: "某某电器（宁波）有限公司"},
                    {Field.company_name: "宁波某某电器有限公司海曙分公司"},
                    {Field.company_name: "宁波某某电器有限公司鄞州分公司"},
                    {Field.company_name: "慈溪某某电器有限公司"}], fields)
    assert _level(frame, "company_name", 0, 1) == "same without region"
    assert _level(frame, "company_name", 0, 2) == "a parent and its branch"
    assert _level(frame, "company_name", 1, 3) == "a parent and its branch"
    assert _level(frame, "company_name", 2, 3) == "else"
    assert _level(frame, "company_name", 4, 2) == "else"  # another region: another parent


def test_company_names_sound_alike_when_a_polyphone_is_read_another_way() -> None:
    # 长 in 岸长 is read zhang in context; the company it stands for is 安昌 (an chang).
    fields = frozenset({Field.company_name})
    frame = _frame([{Field.company_name: "宁波安昌装饰工程有限公司"},
                    {Field.company_name: "宁波岸长装饰工程有限公司"},
                    {Field.company_name: "宁波安康装饰工程有限公司"},
                    {Field.company_name: "甬图物业服务有限公司"},
                    {Field.company_name: "冬图物业服务有限公司"},
                    {Field.company_name: "慈溪岸长装饰工程有限公司"},
                    {Field.company_name: "宁波启兴房地产开发有限公司"},
                    {Field.company_name: "宁波启星房地产开发有限公司"},
                    {Field.company_name: "宁波启昇房地产开发有限公司"}], fields)
    assert _level(frame, "company_name", 0, 1) == "same sound"
    # A long name with one homophone is similar too: the sound is the more telling level.
    assert _level(frame, "company_name", 6, 7) == "same sound"
    assert _level(frame, "company_name", 6, 8) == "similar"
    assert _level(frame, "company_name", 1, 0) == "same sound"
    assert _level(frame, "company_name", 1, 2) == "else"
    # 甬 is no longer read dòng: not the sound of 冬图.
    assert _level(frame, "company_name", 3, 4) == "else"
    # Written with another region: another company, however it sounds.
    assert _level(frame, "company_name", 0, 5) == "else"


def test_comparisons_follow_the_fields_present() -> None:
    frame = _frame([{Field.name: "张伟", Field.phone: "13812345678"}, {Field.name: "李娜"}],
                   frozenset({Field.name, Field.phone}))
    assert [c.name for c in comparisons_for(frame)] == ["name", "phone"]


def test_a_shared_phone_is_told_apart_by_a_shared_address() -> None:
    # Phone and address both describe a household: the phone's levels are conditioned on
    # whether the address agrees too, so the pair does not collect both weights in full.
    flat, other = "宁波市江北区青林家园25幢1704室", "宁波市海曙区望春华庭7幢1504室"
    frame = _frame([
        {Field.name: "沈林金", Field.phone: "18440022019", Field.address: flat},
        {Field.name: "沈佳慧", Field.phone: "184-4002-2019", Field.address: "浙江省" + flat},
        {Field.name: "沈林金", Field.phone: "18440022019", Field.address: other},
        {Field.name: "沈林金", Field.phone: "13014669154", Field.address: flat},
        {Field.name: "沈林金", Field.phone: "18440022019"},
    ])
    assert _level(frame, "phone", 0, 1) == "shared number at the same address"
    assert _level(frame, "phone", 0, 2) == "shared number"
    assert _level(frame, "phone", 0, 3) == "another number at the same address"
    assert _level(frame, "phone", 2, 3) == "else"
    assert _level(frame, "phone", 0, 4) == "shared number"  # no address: not the same place
    without_address = _frame([{Field.phone: "18440022019"}, {Field.phone: "18440022019"}],
                             frozenset({Field.name, Field.phone}))
    assert _level(without_address, "phone", 0, 1) == "shared number"


def test_a_name_agreeing_without_its_region_is_weighed_by_that_shorter_names_frequency() -> None:
    # 第二医院 is a name every district has: agreeing on it once the region is dropped is
    # adjusted by how common that shorter name is, as agreeing on a full name is.
    fields = frozenset({Field.company_name})
    frame = _frame([{Field.company_name: "宁波市第二医院"},
                    {Field.company_name: "宁波市鄞州区第二医院"},
                    {Field.company_name: "宁波市海曙区第二医院"},
                    {Field.company_name: "宁波市第二医院"}], fields)
    chosen = COMPARISONS["company_name"][1]
    levels, tf = comparison_matrix(frame, [chosen], np.asarray([0, 0]), np.asarray([1, 3]))
    assert [chosen.labels[v] for v in levels[:, 0]] == ["same without region", "exact"]
    assert tf[:, 0].tolist() == [4, 2]  # 第二医院 in four records, the full name in two
