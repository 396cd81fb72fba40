"""Candidate pairs from blocking keys: only records sharing a key are ever compared.

Several rules each give a key per record (or several, for multi-valued fields such as
phones). Records with equal keys form a block; every pair inside a block is a candidate.
A block larger than `max_block_size` (a very common value: 张伟 born 1985, a switchboard
number) is not expanded in full: its records are sorted by a secondary key and each is
paired only with its next `window` neighbours, so a frequent value costs O(size·window)
pairs instead of O(size²) while a chain of true matches inside it still connects; company
names are sorted a second way too (multi-pass sorted neighbourhood). Pairs found by
several rules are kept once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from resolver.arrays import IntArray
from resolver.forked import in_child
from resolver.frame import SOUND_COLUMNS, Frame, unique_pairs


@dataclass(frozen=True)
class BlockingRule:
    name: str
    columns: tuple[str, ...]  # all must be present; alternatives in `any_of`
    any_of: tuple[str, ...] = ()  # multi-valued: one key per present column (e.g. phones)
    # Comparisons every pair of this rule agrees on by construction: EM training on the
    # rule's pairs must not learn their m from it.
    uses: tuple[str, ...] = ()

    def usable(self, frame: Frame) -> bool:
        columns_ok = all(frame.has(c) for c in self.columns)
        return columns_ok and (not self.any_of or any(frame.has(c) for c in self.any_of))


@dataclass
class RuleReport:
    rule: str
    pairs: int = 0
    blocks: int = 0
    largest_block: int = 0
    capped_blocks: int = 0


@dataclass
class BlockingReport:
    rules: list[RuleReport] = field(default_factory=list)
    unique_pairs: int = 0


PERSON_RULES = (
    BlockingRule("id_number", ("id",), uses=("id_number",)),
    BlockingRule("id_region_last4", ("id_region_last4",), uses=("id_number",)),
    BlockingRule("name_sound_birth_year", ("name_fuzzy", "birth_year"),
                 uses=("name", "birth_date")),
    BlockingRule("name_area", ("name_fuzzy", "address_area"), uses=("name", "address")),
    BlockingRule("name_dialect_area", ("name_wu", "address_area"), uses=("name", "address")),
    BlockingRule("phone", (), any_of=("phone_1", "phone_2"), uses=("phone",)),
    BlockingRule("other_id", ("other_id",), uses=("other_id",)),
    BlockingRule("given_surname", ("given_name_fuzzy", "surname_fuzzy"),
                 uses=("given_name", "surname")),
    BlockingRule("surname_birth_year", ("surname_fuzzy", "birth_year"),
                 uses=("surname", "birth_date")),
    BlockingRule("given_birth_year", ("given_name_fuzzy", "birth_year"),
                 uses=("given_name", "birth_date")),
    BlockingRule("surname_postcode", ("surname_fuzzy", "postcode"), uses=("surname", "postcode")),
    BlockingRule("birth_postcode", ("birth_full", "postcode"), uses=("birth_date", "postcode")),
    BlockingRule("street_postcode", ("street_number", "postcode", "street"),
                 uses=("street_number", "postcode", "street")),
    BlockingRule("address", ("address",), uses=("address",)),
)

ENTERPRISE_RULES = (
    BlockingRule("credit_code", ("credit_code",), uses=("credit_code",)),
    BlockingRule("company_without_region", ("company_k2",), uses=("company_name",)),
    BlockingRule("trade_name_area", ("company_k3", "address_area"),
                 uses=("company_name", "address")),
    BlockingRule("trade_name", ("company_k3",), uses=("company_name",)),
    BlockingRule("name_sound", (), any_of=SOUND_COLUMNS, uses=("company_name",)),
    BlockingRule("phone", (), any_of=("phone_1", "phone_2"), uses=("phone",)),
    BlockingRule("address", ("address",), uses=("address",)),
)


def rules_for(frame: Frame) -> list[BlockingRule]:
    rules = PERSON_RULES if frame.kind == "person" else ENTERPRISE_RULES
    return [r for r in rules if r.usable(frame)]


def _keys(frame: Frame, rule: BlockingRule) -> tuple[IntArray, IntArray]:
    """(record index, key) for every record the rule gives a key to."""
    if rule.any_of:
        columns = tuple(c for c in rule.any_of if c in frame.text)
        index = np.tile(np.arange(frame.n), len(columns))
        key = np.concatenate(frame.shared_codes(columns))
    else:
        index = np.arange(frame.n)
        key = frame.codes(rule.columns[0])
        for column in rule.columns[1:]:
            codes = frame.codes(column)
            combined = key * (int(codes.max()) + 1) + codes
            combined[(key < 0) | (codes < 0)] = -1
            key = dense_codes(combined)
    keep = key >= 0
    index, key = index[keep], key[keep]
    if rule.any_of:  # one record holding the same value twice is one key
        key, index = unique_pairs(key, index)
    return index, key


def dense_codes(values: IntArray) -> IntArray:
    """Equal values get equal codes 0..k-1; -1 stays -1 (missing)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]] if ordered.size else np.empty(0, bool)
    codes = np.empty(values.size, dtype=np.int64)
    codes[order] = np.cumsum(starts) - 1
    if ordered.size and ordered[0] < 0:
        codes -= 1  # the missing values took code 0
    return codes


def block_pairs(
    frame: Frame, rule: BlockingRule, orders: Sequence[IntArray], max_block_size: int,
    window: int,
) -> tuple[IntArray, RuleReport]:
    """Candidate pairs of one rule, encoded as i * n + j with i < j.

    A capped block is windowed once per sort order in `orders` (multi-pass sorted
    neighbourhood): a group of alike records that one order scatters, or strands between
    larger groups of other spellings, another order can bring together.
    """
    report = RuleReport(rule.name)
    index, key = _keys(frame, rule)
    if index.size < 2:
        return np.empty(0, dtype=np.int64), report
    found: list[IntArray] = []
    for number, order in enumerate(orders):
        ranked = np.lexsort((order[index], key))
        run_index, run_key = index[ranked], key[ranked]
        starts = np.flatnonzero(np.r_[True, run_key[1:] != run_key[:-1]])
        sizes = np.diff(np.r_[starts, run_key.size])
        if number == 0:
            report.blocks = int((sizes >= 2).sum())
            report.largest_block = int(sizes.max())
            report.capped_blocks = int((sizes > max_block_size).sum())
        elif not (sizes > max_block_size).any():
            break  # later orders only window capped blocks: small ones are already complete
        found.extend(_neighbours(frame.n, run_index, starts, sizes, max_block_size, window,
                                 capped_only=number > 0))
    pairs = np.concatenate(found) if found else np.empty(0, dtype=np.int64)
    report.pairs = int(pairs.size)
    return pairs, report


def _neighbours(
    n: int, index: IntArray, starts: IntArray, sizes: IntArray, max_block_size: int,
    window: int, capped_only: bool,
) -> list[IntArray]:
    """Pairs of records in sorted blocks: every pair within a small block, each record with
    its next `window` within a capped one (only the capped blocks if `capped_only`)."""
    run_size = np.repeat(sizes, sizes)
    run_end = np.repeat(starts + sizes, sizes)
    position = np.arange(index.size)
    alive = position[(run_size > max_block_size) if capped_only else (run_size >= 2)]
    found: list[IntArray] = []
    offset = 1
    while alive.size:
        # Within a small block every later record; within a capped block only a window.
        alive = alive[(run_end[alive] - alive > offset)
                      & ((run_size[alive] <= max_block_size) | (offset <= window))]
        if not alive.size:
            break
        a, b = index[alive], index[alive + offset]
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
        offset += 1
    return found


@dataclass
class CandidatePairs:
    i: IntArray
    j: IntArray
    by_rule: dict[str, npt.NDArray[np.bool_]]  # which pairs each rule generated
    report: BlockingReport


def sorted_unique(values: IntArray) -> IntArray:
    """np.unique by sorting: much faster than numpy's hashing on tens of millions of ints."""
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def candidate_pairs(
    frame: Frame,
    rules: Sequence[BlockingRule],
    max_block_size: int,
    window: int,
    link_only: bool,
) -> CandidatePairs:
    """Unique candidate pairs (i < j) over all rules; in link mode only across inputs."""
    report = BlockingReport()
    orders = _sort_orders(frame)

    def run(chosen: Sequence[BlockingRule]) -> list[tuple[IntArray, RuleReport]]:
        found = [block_pairs(frame, rule, orders, max_block_size, window)
                 for rule in chosen]
        unique = [(sorted_unique(pairs), rule_report) for pairs, rule_report in found]
        for pairs, rule_report in unique:  # a pair near in both sort orders counts once
            rule_report.pairs = int(pairs.size)
        return unique

    if frame.n >= PARALLEL_FROM:
        # Every other rule in a forked child: its pairs come back as plain integer arrays.
        with in_child(lambda: run(rules[1::2])) as theirs:
            mine = run(rules[0::2])
            done = dict(zip(rules[0::2], mine, strict=True)) | dict(
                zip(rules[1::2], theirs(), strict=True))
    else:
        done = dict(zip(rules, run(rules), strict=True))
    per_rule: dict[str, IntArray] = {}
    for rule in rules:
        pairs, rule_report = done[rule]
        report.rules.append(rule_report)
        per_rule[rule.name] = pairs
    encoded = (sorted_unique(np.concatenate(list(per_rule.values()))) if per_rule
               else np.empty(0, dtype=np.int64))
    n = max(frame.n, 1)
    i, j = encoded // n, encoded % n
    if link_only:
        keep = frame.sources[i] != frame.sources[j]
        encoded, i, j = encoded[keep], i[keep], j[keep]
    by_rule = {name: _members(encoded, pairs) for name, pairs in per_rule.items()}
    report.unique_pairs = int(i.size)
    return CandidatePairs(i, j, by_rule, report)


PARALLEL_FROM = 200_000
"""Records from which half the rules run in a forked child."""


def _members(encoded: IntArray, pairs: IntArray) -> npt.NDArray[np.bool_]:
    """Which of the sorted `encoded` pairs are among the sorted `pairs` (np.isin would sort
    both again, once per rule)."""
    at = np.searchsorted(encoded, pairs)
    found = at < encoded.size
    found[found] = encoded[at[found]] == pairs[found]
    out = np.zeros(encoded.size, dtype=bool)
    out[at[found]] = True
    return out


SORT_COLUMNS = ("name_key", "surname_key", "company_k0", "id")
"""Sort key inside a capped block, the first the frame has: by name, so that near-identical
records sit together."""

READ_BACKWARDS = frozenset({"company_k0"})
"""Columns also sorted read from the end, as a second order: a company name puts what
may be left out or varied (the region) before what identifies it (trade name, industry,
legal form), so names agreeing on those sort together whatever region precedes them."""


def _sort_orders(frame: Frame) -> list[IntArray]:
    """Ranks of the records in each sort order used inside capped blocks."""
    for column in SORT_COLUMNS:
        if frame.has(column):
            orders = [_rank(frame, column, backwards=False)]
            if column in READ_BACKWARDS:
                orders.append(_rank(frame, column, backwards=True))
            return orders
    return [np.arange(frame.n, dtype=np.int64)]


def _rank(frame: Frame, column: str, backwards: bool) -> IntArray:
    """Records in order of their value (missing values last), ties in record order; the
    distinct values are sorted once rather than a key per record."""
    codes = frame.codes(column)
    distinct = frame.distinct(column)
    if backwards:  # a new array: the frame's distinct values are cached
        distinct = np.array([value[::-1] for value in distinct], dtype=object)
    value_rank = np.empty(distinct.size + 1, dtype=np.int64)
    value_rank[sorted(range(distinct.size), key=distinct.__getitem__)] = np.arange(
        distinct.size)
    value_rank[-1] = distinct.size  # code -1: missing, after every value
    ranked = np.argsort(value_rank[codes], kind="stable")
    rank = np.empty(frame.n, dtype=np.int64)
    rank[ranked] = np.arange(frame.n)
    return rank


def rules_with_columns(frame: Frame) -> list[BlockingRule]:
    """Rules whose columns this frame has, whether or not they hold data (for the index)."""
    rules = PERSON_RULES if frame.kind == "person" else ENTERPRISE_RULES
    return [r for r in rules
            if all(c in frame.text for c in r.columns)
            and (not r.any_of or any(c in frame.text for c in r.any_of))]


def record_keys(frame: Frame, row: int, rules: Sequence[BlockingRule]) -> list[str]:
    """The blocking keys of one record as strings, for a store's candidate index."""
    keys: list[str] = []
    for rule in rules:
        if rule.any_of:
            keys.extend(f"{rule.name}:{frame.text[c][row]}" for c in rule.any_of
                        if c in frame.text and frame.text[c][row] is not None)
            continue
        values = [frame.text[c][row] for c in rule.columns]
        if all(v is not None for v in values):
            keys.append(f"{rule.name}:" + "|".join(str(v) for v in values))
    return list(dict.fromkeys(keys))
