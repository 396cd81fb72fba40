"""Candidate pairs: each pair once, capped blocks, link-only mode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from resolver.blocking import BlockingRule, block_pairs, candidate_pairs, record_keys, rules_for
from resolver.fields import Field
from resolver.frame import Frame, build_frame

FIELDS = frozenset({Field.name, Field.id_number, Field.phone, Field.birth_date})


def _frame(rows: Sequence[Mapping[Field, str | None]], sources: list[int] | None = None
           ) -> Frame:
    plain = [{f.value: v for f, v in row.items()} for row in rows]
    return build_frame("person", [str(k) for k in range(len(rows))], sources or [0] * len(rows),
                       plain, FIELDS, "574")


def test_pairs_found_by_several_rules_are_kept_once() -> None:
    rows = [{Field.name: "张伟", Field.phone: "13812345678", Field.birth_date: "1985-03-15",
             Field.id_number: "330203198503151234"}] * 3
    found = candidate_pairs(_frame(rows), rules_for(_frame(rows)), 200, 20, False)
    pairs = set(zip(found.i.tolist(), found.j.tolist(), strict=True))
    assert pairs == {(0, 1), (0, 2), (1, 2)}
    assert found.report.unique_pairs == 3
    assert sum(r.pairs for r in found.report.rules) > 3  # every rule found them
    assert all(mask.all() for mask in found.by_rule.values())


def test_large_blocks_are_windowed_not_exploded() -> None:
    rows = [{Field.name: "王芳", Field.birth_date: "1990-01-01"} for _ in range(500)]
    frame = _frame(rows)
    rule = BlockingRule("name_sound_birth_year", ("name_fuzzy", "birth_year"))
    pairs, report = block_pairs(frame, rule, [np.arange(frame.n)], max_block_size=100, window=5)
    assert report.capped_blocks == 1 and report.largest_block == 500
    assert pairs.size == sum(min(5, 499 - k) for k in range(500))  # not 500*499/2
    i, j = pairs // frame.n, pairs % frame.n
    assert (i < j).all()


def test_link_mode_keeps_only_pairs_across_inputs() -> None:
    rows = [{Field.name: "李娜", Field.phone: "13900000000"}] * 4
    frame = _frame(rows, sources=[0, 0, 1, 1])
    found = candidate_pairs(frame, rules_for(frame), 200, 20, link_only=True)
    assert set(zip(found.i.tolist(), found.j.tolist(), strict=True)) == {
        (0, 2), (0, 3), (1, 2), (1, 3)}


def test_record_keys_name_rule_and_values() -> None:
    frame = _frame([{Field.name: "张伟", Field.phone: "138 1234 5678",
                     Field.id_number: "330203198503151234"}])
    keys = record_keys(frame, 0, rules_for(frame))
    assert "id_number:330203198503151234" in keys
    assert "phone:+8613812345678" in keys
    assert "id_region_last4:3302031234" in keys


def test_capped_company_blocks_also_pair_names_alike_from_the_end() -> None:
    # Sorted by name, the three region-less 正美…有限责任公司 sit between the 杭州 and 浙江
    # spellings, far from 宁波正美…有限责任公司; read from the end they sit next to it.
    names = (["宁波正美物业服务有限责任公司"] * 5 + ["杭州正美物业服务有限公司"] * 150
             + ["正美物业服务有限责任公司"] * 3 + ["浙江正美物业服务有限公司"] * 150)
    rows = [{"company_name": name} for name in names]
    frame = build_frame("enterprise", [str(k) for k in range(len(rows))], [0] * len(rows),
                        rows, frozenset({Field.company_name}), "574")
    found = candidate_pairs(frame, rules_for(frame), 100, 5, False)
    report = {r.rule: r for r in found.report.rules}
    assert report["company_without_region"].capped_blocks == 1
    pairs = set(zip(found.i.tolist(), found.j.tolist(), strict=True))
    bare, regional = range(155, 158), range(5)
    assert any((r, b) in pairs for r in regional for b in bare)


def test_company_names_alike_in_any_reading_in_use_are_blocked_together() -> None:
    rows = [{"company_name": name} for name in (
        "宁波安昌装饰工程有限公司", "岸长装饰工程有限责任公司", "冬图物业服务有限公司",
        "甬图物业服务有限公司")]
    frame = build_frame("enterprise", [str(k) for k in range(len(rows))], [0] * len(rows),
                        rows, frozenset({Field.company_name}), "574")
    rule = next(r for r in rules_for(frame) if r.name == "name_sound")
    pairs, _ = block_pairs(frame, rule, [np.arange(frame.n)], 100, 5)
    assert sorted(pairs.tolist()) == [0 * frame.n + 1]
    assert "name_sound:anchangzhuangshigongcheng" in record_keys(frame, 1, [rule])
