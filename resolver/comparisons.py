"""Comparison levels per field, computed for whole arrays of candidate pairs at once.

Each comparison turns a pair of records into one level: 0 is the strongest agreement, the
last level is "else" (disagreement), and -1 means the field is missing on either side and
says nothing. Fuzzy levels call rapidfuzz's `cpdist` on the pairs that still need them,
never a Python loop over pairs (masked ID numbers, a small minority, are the exception).

Chinese names are compared per character and by pinyin, never by raw Jaro-Winkler: on two
or three characters 张伟/张玮 (one typo) would otherwise score below 张伟/张伟华 (two people).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, Hamming, Indel, JaroWinkler

from resolver.arrays import BoolArray, CountMatrix, FloatArray, IntArray, LevelMatrix
from resolver.company_names import INDIVIDUAL_KIND
from resolver.forked import can_fork, in_background, run_split, shared_array
from resolver.frame import SOUND_COLUMNS, Frame
from resolver.identifiers import id_numbers_compatible
from resolver.model import layout, tf_levels

Levels = npt.NDArray[np.int8]


@dataclass(frozen=True)
class Outcome:
    """Levels for each pair, and for term-frequency levels the agreeing value's frequency."""

    levels: Levels
    tf_counts: IntArray | None = None


@dataclass(frozen=True)
class Comparison:
    name: str
    labels: tuple[str, ...]  # strongest first; the last one is "else"
    compute: Callable[[Frame, IntArray, IntArray], Outcome]
    tf_level: int | None = None  # the level whose weight is adjusted by term frequency
    groups: tuple[int, ...] | None = None  # levels conditioned on another field (model.layout)
    tf_also: tuple[int, ...] = ()  # further levels adjusted by their own key's frequency

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def layout(self) -> tuple[int, ...]:
        return layout(self.size, self.groups)

    def tf_hits(self, levels: Levels) -> BoolArray:
        """Where a pair sits at a term-frequency-adjusted level."""
        return np.isin(levels, tf_levels(self.tf_level, self.groups) + self.tf_also)


# --- column helpers -------------------------------------------------------------------


def present(frame: Frame, column: str, i: IntArray, j: IntArray) -> BoolArray:
    codes = frame.codes(column)
    return np.asarray((codes[i] >= 0) & (codes[j] >= 0))


def equal(frame: Frame, column: str, i: IntArray, j: IntArray) -> BoolArray:
    codes = frame.codes(column)
    return np.asarray((codes[i] == codes[j]) & (codes[i] >= 0))


def similarity(
    frame: Frame, column: str, i: IntArray, j: IntArray, where: BoolArray,
    scorer: Callable[..., float],
) -> FloatArray:
    """Scorer's similarity for the pairs selected by `where`; 0 elsewhere."""
    out = np.zeros(len(i), dtype=np.float64)
    if where.any():
        out[where] = _scores(frame, column, i[where], j[where], scorer)
    return out


def distance(
    frame: Frame, column: str, i: IntArray, j: IntArray, where: BoolArray,
    scorer: Callable[..., int],
) -> IntArray:
    out = np.full(len(i), 1 << 30, dtype=np.int64)
    if where.any():
        out[where] = _scores(frame, column, i[where], j[where], scorer)
    return out


def _scores(frame: Frame, column: str, i: IntArray, j: IntArray,
            scorer: Callable[..., float]) -> npt.NDArray[np.generic]:
    """rapidfuzz's score of each pair of (present) values.

    Where the same two values meet many times (random pairs among the records of a few
    hundred enterprises, candidate pairs among an enterprise's hundred mentions), each
    distinct pair of values is scored once.
    """
    codes = frame.codes(column)
    size = int(codes.max()) + 1
    ci, cj = codes[i], codes[j]
    if ci.min() >= 0 and cj.min() >= 0 and _repeating(ci * size + cj, size):
        pairs, inverse = _distinct_pairs(ci, cj, size)
        values = frame.distinct(column)
        scores = process.cpdist(list(values[pairs // size]), list(values[pairs % size]),
                                scorer=scorer, workers=1)
        return np.asarray(scores[inverse])
    values = frame.text[column]
    return np.asarray(process.cpdist(list(values[i]), list(values[j]), scorer=scorer,
                                     workers=1))


def _repeating(keys: IntArray, size: int) -> bool:
    """Do these pairs of codes repeat enough to score each distinct pair once? Certainly
    when there are fewer possible pairs than half the pairs; else as a sample says."""
    if size * size < keys.size // 2:
        return True
    sample = keys[::max(1, keys.size // 10_000)]
    return sample.size >= 1_000 and np.unique(sample).size < sample.size // 2


def _distinct_pairs(ci: IntArray, cj: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """The distinct pairs of codes (each as ci * size + cj, ascending) and, per pair, the
    position of its own among them. A table over all size² combinations when that is no
    bigger than a few times the pairs (no sorting), else np.unique."""
    key = ci * size + cj
    if size * size > 4 * key.size:
        pairs, inverse = np.unique(key, return_inverse=True)
        return pairs, inverse.reshape(-1)
    seen = np.zeros(size * size, dtype=bool)
    seen[key] = True
    pairs = np.flatnonzero(seen)
    position = np.zeros(size * size, dtype=np.int64)
    position[pairs] = np.arange(pairs.size)
    return pairs, position[key]


def lengths(frame: Frame, column: str) -> IntArray:
    key = f"{column}#len"
    if key not in frame.numbers:
        frame.numbers[key] = np.fromiter(
            (len(v) if v is not None else 0 for v in frame.text[column]), dtype=np.int64,
            count=frame.n)
    return frame.numbers[key]


def assign(size: int, n: int, masks: list[BoolArray], null: BoolArray) -> Levels:
    """Level k where masks[k] holds (first match wins), else the last level; -1 where null."""
    levels = np.full(n, size - 1, dtype=np.int8)
    for k in range(len(masks) - 1, -1, -1):
        levels[masks[k]] = k
    levels[null] = -1
    return levels


def tf_of(frame: Frame, column: str, i: IntArray, hit: BoolArray) -> IntArray:
    """How many records hold the agreeing value, where the pair agrees exactly."""
    return np.where(hit, frame.tf(column)[i], 0)


# --- person names ---------------------------------------------------------------------


def _name_levels(frame: Frame, prefix: str, i: IntArray, j: IntArray) -> tuple[
        list[BoolArray], BoolArray, BoolArray]:
    key = f"{prefix}_key"
    both = present(frame, key, i, j)
    exact = equal(frame, key, i, j)
    folded = equal(frame, f"{prefix}_fold", i, j)
    same_pinyin = equal(frame, f"{prefix}_pinyin", i, j)
    han = frame.numbers[f"{prefix}_han"]
    both_han = (han[i] == 1) & (han[j] == 1) & both
    size = lengths(frame, key)
    todo = both & ~exact & ~folded & ~same_pinyin
    one_char = np.zeros(len(i), dtype=bool)
    han_todo = todo & both_han & (size[i] == size[j]) & (size[i] >= 2)
    one_char |= distance(frame, key, i, j, han_todo, Hamming.distance) == 1
    one_char |= han_todo & equal(frame, f"{prefix}_sorted", i, j)  # 吴雨燕 / 吴燕雨
    latin_todo = todo & ~both_han
    jw = similarity(frame, key, i, j, latin_todo, JaroWinkler.similarity)
    one_char |= latin_todo & (jw >= 0.92)
    sound = equal(frame, f"{prefix}_fuzzy", i, j) | (latin_todo & (jw >= 0.8))
    return [exact, folded, same_pinyin, one_char, sound], both, exact


def person_name(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    masks, _, exact = _name_levels(frame, "name", i, j)
    surname, first = frame.shared_codes(("surname_only", "first_char"))
    si, sj = surname[i], surname[j]
    has_si, has_sj = si >= 0, sj >= 0
    surname_agrees = (
        (has_si & has_sj & (si == sj))
        | (has_si & ~has_sj & (si == first[j]))
        | (has_sj & ~has_si & (sj == first[i]))
    )
    masks.append(np.asarray(surname_agrees))
    either_known = present(frame, "first_char", i, j)
    return Outcome(assign(7, len(i), masks, ~either_known), tf_of(frame, "name_key", i, exact))


def name_part(part: str, other: str) -> Callable[[Frame, IntArray, IntArray], Outcome]:
    """Given name or surname, with a level for a value written in the other name field."""

    def compute(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
        masks, both, exact = _name_levels(frame, part, i, j)
        swapped = np.zeros(len(i), dtype=bool)
        if f"{other}_key" in frame.text:
            mine, theirs = frame.shared_codes((f"{part}_key", f"{other}_key"))
            swapped = np.asarray(((mine[i] >= 0) & (mine[i] == theirs[j]))
                                 | ((mine[j] >= 0) & (mine[j] == theirs[i])))
        masks.append(swapped & ~exact)
        return Outcome(assign(7, len(i), masks, ~(both | swapped)),
                       tf_of(frame, f"{part}_key", i, exact))

    return compute


NAME_LABELS = ("exact", "same after variant characters", "same pinyin",
               "one character differs", "similar sound")


# --- identifiers ----------------------------------------------------------------------


def id_number(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    both = present(frame, "id", i, j)
    masked = frame.numbers["id_masked"]
    any_masked = (masked[i] == 1) | (masked[j] == 1)
    exact = equal(frame, "id", i, j) & ~any_masked
    compatible = np.zeros(len(i), dtype=bool)
    check = np.flatnonzero(both & any_masked)
    if check.size:  # decided once per distinct pair of values
        codes, values = frame.codes("id"), frame.distinct("id")
        pairs, inverse = _distinct_pairs(codes[i[check]], codes[j[check]], values.size)
        verdict = np.asarray([id_numbers_compatible(values[a], values[b]) for a, b in zip(
            (pairs // values.size).tolist(), (pairs % values.size).tolist(), strict=True)],
            dtype=bool)
        compatible[check] = verdict[inverse]
    near = distance(frame, "id", i, j, both & ~any_masked & ~exact, OSA.distance) <= 1
    return Outcome(assign(4, len(i), [exact, compatible, near], ~both))


def plain_identifier(column: str) -> Callable[[Frame, IntArray, IntArray], Outcome]:
    def compute(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
        both = present(frame, column, i, j)
        exact = equal(frame, column, i, j)
        near = distance(frame, column, i, j, both & ~exact, OSA.distance) <= 1
        return Outcome(assign(3, len(i), [exact, near], ~both))

    return compute


# --- dates, sex -----------------------------------------------------------------------


def birth_date(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    y, m, d = (frame.numbers[f"birth_{p}"] for p in ("year", "month", "day"))
    known = (y[i] > 0) & (y[j] > 0)
    full = known & (m[i] > 0) & (m[j] > 0) & (d[i] > 0) & (d[j] > 0)
    same_y, same_m, same_d = y[i] == y[j], m[i] == m[j], d[i] == d[j]
    exact = full & same_y & same_m & same_d
    swapped = full & same_y & (d[i] == m[j]) & (m[i] == d[j]) & ~same_m
    agreeing = same_y.astype(np.int8) + same_m.astype(np.int8) + same_d.astype(np.int8)
    one_part = full & (agreeing == 2)
    year_month = known & same_y & same_m & (m[i] > 0)
    return Outcome(assign(6, len(i), [exact, swapped, one_part, year_month, known & same_y],
                          ~known))


def sex(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    return Outcome(assign(2, len(i), [equal(frame, "sex", i, j)], ~present(frame, "sex", i, j)))


# --- contact and place ----------------------------------------------------------------


def phone(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    """A shared number, told apart by whether the two records also share an address.

    A phone and an address both belong to a household (family members share a landline,
    or one member's mobile is left for all), so among records of different people they
    agree together far more often than each agreeing alone predicts. Fellegi–Sunter
    adds the fields' weights as if independent, and two members of one household would
    collect both in full. Conditioning the phone on the address (the chain rule:
    P(phone, address) = P(address) · P(phone | address)) gives the levels at the same
    address their own m and u: sharing a number there is weaker evidence.
    """
    t1, t2 = frame.shared_codes(("phone_1", "phone_2"))
    known = (t1[i] >= 0) & (t1[j] >= 0)
    hit11 = known & (t1[i] == t1[j])
    hit12 = known & ~hit11 & (t2[j] >= 0) & (t1[i] == t2[j])
    hit21 = known & ~hit11 & ~hit12 & (t2[i] >= 0) & (t2[i] == t1[j])
    hit22 = known & ~hit11 & ~hit12 & ~hit21 & (t2[i] >= 0) & (t2[i] == t2[j])
    tf1, tf2 = frame.tf("phone_1"), frame.tf("phone_2")
    tf = np.where(hit11 | hit12, tf1[i], np.where(hit21 | hit22, tf2[i], 0))
    shared = np.asarray(hit11 | hit12 | hit21 | hit22)
    if "address" not in frame.text:
        same_place = np.zeros(len(i), dtype=bool)
    else:
        same_place = equal(frame, "address", i, j)
    levels = np.where(same_place, np.where(shared, 0, 1), np.where(shared, 2, 3)).astype(np.int8)
    levels[~known] = -1
    return Outcome(levels, tf)


def address(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    both = present(frame, "address", i, j)
    exact = equal(frame, "address", i, j)
    sim = similarity(frame, "address", i, j, both & ~exact, Indel.normalized_similarity)
    area = equal(frame, "address_area", i, j)
    return Outcome(assign(4, len(i), [exact, sim >= 0.85, area], ~both),
                   tf_of(frame, "address", i, exact))


def text_field(column: str, fuzzy: bool) -> Callable[[Frame, IntArray, IntArray], Outcome]:
    def compute(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
        both = present(frame, column, i, j)
        exact = equal(frame, column, i, j)
        masks = [exact]
        if fuzzy:
            jw = similarity(frame, column, i, j, both & ~exact, JaroWinkler.similarity)
            masks += [jw >= 0.92, jw >= 0.8]
        size = len(masks) + 1
        return Outcome(assign(size, len(i), masks, ~both), tf_of(frame, column, i, exact))

    return compute


def postcode(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    both = present(frame, "postcode", i, j)
    exact = equal(frame, "postcode", i, j)
    size = lengths(frame, "postcode")
    todo = both & ~exact & (size[i] == size[j])
    near = distance(frame, "postcode", i, j, todo, Hamming.distance) == 1
    return Outcome(assign(3, len(i), [exact, near], ~both), tf_of(frame, "postcode", i, exact))


# --- enterprises ----------------------------------------------------------------------


def _regions_differ(frame: Frame, i: IntArray, j: IntArray) -> BoolArray:
    """Both names carry a region and neither region contains the other (宁波北仑 / 北仑
    agree; 慈溪 / 余姚 do not). Decided once per distinct pair of regions."""
    codes = frame.codes("company_region")
    ci, cj = codes[i], codes[j]
    check = np.flatnonzero((ci >= 0) & (cj >= 0) & (ci != cj))
    out = np.zeros(len(i), dtype=bool)
    if check.size == 0:
        return out
    region = frame.distinct("company_region")
    distinct, inverse = _distinct_pairs(ci[check], cj[check], region.size)
    verdict = np.asarray([x not in y and y not in x for x, y in zip(
        region[distinct // region.size], region[distinct % region.size], strict=True)],
        dtype=bool)
    out[check] = verdict[inverse]
    return out


def _sound_alike(frame: Frame, i: IntArray, j: IntArray) -> BoolArray:
    """The two names share a sound key (a polyphonic character may be read either way)."""
    columns = tuple(c for c in SOUND_COLUMNS if c in frame.text)
    codes = frame.shared_codes(columns)
    out = np.zeros(len(i), dtype=bool)
    for a in codes:
        held = a[i] >= 0
        if not held.any():
            continue
        for b in codes:
            out |= held & (a[i] == b[j])
    return out


def company_name(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    both = present(frame, "company_k0", i, j)
    k0, k1, k2 = (equal(frame, f"company_{k}", i, j) for k in ("k0", "k1", "k2"))
    k3 = equal(frame, "company_k3", i, j)
    branch = frame.numbers["company_branch"]
    # A branch is its own enterprise: it shares the parent's keys (k1-k3), so agreeing on
    # them says nothing unless both are the parent, or both the same branch.
    names = frame.codes("company_branch_name")  # equal codes, equal names (not per object)
    parent_and_branch = branch[i] != branch[j]
    other_branch = parent_and_branch | ((branch[i] == 1) & (names[i] != names[j]))
    sound = _sound_alike(frame, i, j)
    # 慈溪市人民医院 and 余姚市人民医院 agree once their regions are dropped; two names
    # written with different regions are different enterprises.
    regions_differ = _regions_differ(frame, i, j)
    apart = other_branch | regions_differ
    todo = both & ~k2 & present(frame, "company_k2", i, j) & ~apart  # sim counts only there
    sim = similarity(frame, "company_k2", i, j, todo, Indel.normalized_similarity)
    # A department may write a branch by its parent's name (domain-china.md §4.2): a
    # parent's name against one of its branches is a level of its own, learnt like the
    # others, so that the branch's address or phone can outweigh the missing branch part.
    branch_of = parent_and_branch & k2 & ~regions_differ
    # Names that sound alike are "same sound" even where they are also "similar" (one
    # character in seven differs): the specific evidence (what differs sounds the same)
    # before the general, or a long name's homophone would be weighed as any near spelling
    # while a short name's gets the sound's weight.
    masks = [k0, k1 & ~apart, k2 & ~apart, (sim >= 0.85) & ~sound & ~apart, sound & ~apart,
             k3 & ~apart, branch_of]
    levels = assign(8, len(i), masks, ~both)
    # The name without its legal form or region is itself a value some entities share (a
    # 第二医院 in every district): agreeing on it is weighed by how common it is, as the
    # full name is, or a common full name would weigh less than the shorter key it implies.
    # Each level implies its key agrees, so only the pairs at it look their count up.
    tf = np.zeros(len(i), dtype=np.int64)
    for level, key in enumerate(("company_k0", "company_k1", "company_k2")):
        at = np.flatnonzero(levels == level)
        tf[at] = frame.tf(key)[i[at]]
    return Outcome(levels, tf)


def legal_form(frame: Frame, i: IntArray, j: IntArray) -> Outcome:
    """The legal forms of two names that are not written alike, as written and by kind.

    Two look-alike companies may differ only in their legal form (…有限公司 and
    …有限责任公司, or …股份有限公司), and an enterprise usually writes its own one way:
    a mention written the way one of them usually writes it fits that one better, where
    the name levels, which set the legal form aside, tie. Not compared when the full names
    agree (the name's exact level already says so) or when either name has no legal form.
    An individual business's 个体 form (店, 商行) counts as its legal form: such a business
    is never a company, so against any company form it is "else".
    """
    both = present(frame, "company_legal_form", i, j) & ~equal(frame, "company_k1", i, j)
    same = equal(frame, "company_legal_form", i, j)
    kinds = frame.codes("company_legal_kind")
    # 公司 may stand for any kind of company, but not for an individual business (店).
    individual = np.flatnonzero(frame.distinct("company_legal_kind") == INDIVIDUAL_KIND)
    either = np.isin(kinds[i], individual) | np.isin(kinds[j], individual)
    unsaid = ((kinds[i] < 0) | (kinds[j] < 0)) & ~either
    return Outcome(assign(3, len(i), [same, unsaid | (kinds[i] == kinds[j])], ~both))


# --- the comparisons a frame gets ----------------------------------------------------


def _registry() -> dict[str, tuple[str, Comparison]]:
    """Every comparison by name, with the column whose presence makes it useful."""
    text_labels = ("exact", "similar", "somewhat similar", "else")
    entries = [
        ("company_k0", Comparison("company_name", (
            "exact", "same without legal form", "same without region", "similar",
            "same sound", "same trade name", "a parent and its branch", "else"), company_name,
            tf_level=0, tf_also=(1, 2))),
        ("company_legal_form", Comparison("legal_form", (
            "same as written", "same kind", "else"), legal_form)),
        ("credit_code", Comparison("credit_code", ("exact", "one character differs", "else"),
                                   plain_identifier("credit_code"))),
        ("first_char", Comparison("name", (*NAME_LABELS, "surname only agrees", "else"),
                                  person_name, tf_level=0)),
        ("given_name_key", Comparison("given_name", (
            *NAME_LABELS, "written in the other name field", "else"),
            name_part("given_name", "surname"), tf_level=0)),
        ("surname_key", Comparison("surname", (
            *NAME_LABELS, "written in the other name field", "else"),
            name_part("surname", "given_name"), tf_level=0)),
        ("id", Comparison("id_number", (
            "exact", "visible digits agree", "one character differs", "else"), id_number)),
        ("birth_year", Comparison("birth_date", (
            "exact", "day and month swapped", "one part differs", "same year and month",
            "same year", "else"), birth_date)),
        ("sex", Comparison("sex", ("same", "else"), sex)),
        ("other_id", Comparison("other_id", ("exact", "one character differs", "else"),
                                plain_identifier("other_id"))),
        ("phone_1", Comparison("phone", (
            "shared number at the same address", "another number at the same address",
            "shared number", "else"), phone, tf_level=0, groups=(0, 0, 1, 1))),
        ("address", Comparison("address", ("exact", "similar", "same district and road",
                                           "else"), address, tf_level=0)),
        ("street_number", Comparison("street_number", ("exact", "else"),
                                     text_field("street_number", False), tf_level=0)),
        ("street", Comparison("street", text_labels, text_field("street", True), tf_level=0)),
        ("locality", Comparison("locality", text_labels, text_field("locality", True),
                                tf_level=0)),
        ("city", Comparison("city", text_labels, text_field("city", True), tf_level=0)),
        ("state", Comparison("state", ("exact", "else"), text_field("state", False),
                             tf_level=0)),
        ("postcode", Comparison("postcode", ("exact", "one digit differs", "else"), postcode,
                                tf_level=0)),
    ]
    return {comparison.name: (column, comparison) for column, comparison in entries}


COMPARISONS = _registry()

_NAME_ORDER = (("exact", "same after variant characters"),
               ("same after variant characters", "same pinyin"), ("same pinyin", "similar sound"))
LEVEL_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    # (stronger, weaker): pairs of levels where the first is, by how the levels are
    # defined, the stronger evidence of a match (it agrees on everything the second agrees
    # on, and more). Training keeps their weights in this order (training.monotone); a
    # level's weight is never below its group's "else" anyway (model.weights).
    # Not the three strongest name levels among themselves: each is adjusted by its own
    # key's term frequency and the legal form is weighed apart where the name levels leave
    # it open (legal_form), so their base weights are not the whole evidence; and "same
    # without legal form" includes forms of different kinds (股份 against 有限), a conflict,
    # where "same without region" may be a region left out. Pooled at 100k, region-less
    # 盛华服装股份有限公司 went to the look-alike 盛华服装有限公司 (F1 0.99003 -> 0.98998).
    "company_name": (
        ("same without region", "similar"), ("same without region", "same sound"),
        # the same keys, but one of the two is a branch: another enterprise
        ("same without region", "a parent and its branch")),
    "legal_form": (("same as written", "same kind"),),
    "credit_code": (("exact", "one character differs"),),
    "other_id": (("exact", "one character differs"),),
    "name": _NAME_ORDER,
    "given_name": _NAME_ORDER,
    "surname": _NAME_ORDER,
    "id_number": (("exact", "visible digits agree"), ("exact", "one character differs")),
    "birth_date": (("exact", "day and month swapped"), ("exact", "one part differs"),
                   ("exact", "same year and month"), ("same year and month", "same year")),
    "address": (("exact", "similar"), ("exact", "same district and road")),
    "street": (("exact", "similar"), ("similar", "somewhat similar")),
    "locality": (("exact", "similar"), ("similar", "somewhat similar")),
    "city": (("exact", "similar"), ("similar", "somewhat similar")),
    "postcode": (("exact", "one digit differs"),),
}
PERSON_ONLY = frozenset({"name", "given_name", "surname", "id_number", "birth_date", "sex",
                         "other_id"})
ENTERPRISE_ONLY = frozenset({"company_name", "legal_form", "credit_code"})


def comparisons_for(frame: Frame) -> list[Comparison]:
    """The comparisons whose fields this frame actually holds data for."""
    excluded = ENTERPRISE_ONLY if frame.kind == "person" else PERSON_ONLY
    return [comparison for name, (column, comparison) in COMPARISONS.items()
            if name not in excluded and frame.has(column)]


class UnknownComparison(KeyError):
    """A saved model names a comparison this version does not have."""


def comparisons_named(names: list[str]) -> list[Comparison]:
    """The comparisons a saved model was trained with, in its order."""
    try:
        return [COMPARISONS[name][1] for name in names]
    except KeyError as exc:
        raise UnknownComparison(f"the model uses comparison {exc}, unknown here") from None


def refresh_term_counts(frame: Frame, comparisons: list[Comparison], levels: LevelMatrix,
                        i: IntArray, j: IntArray, workers: int = 2) -> CountMatrix:
    """Agreeing-value counts again, after the frame's term frequencies were recounted
    (split like `comparison_matrix`: it compares the agreeing pairs again)."""
    parallel = workers >= 2 and len(i) >= PARALLEL_FROM and can_fork()
    tf: CountMatrix = (shared_array if parallel else np.zeros)(levels.shape, np.int64)

    def work(start: int, stop: int) -> None:
        for c, comparison in enumerate(comparisons):
            if comparison.tf_level is None:
                continue
            hit = start + np.flatnonzero(comparison.tf_hits(levels[start:stop, c]))
            if hit.size:
                outcome = comparison.compute(frame, i[hit], j[hit])
                if outcome.tf_counts is not None:
                    tf[hit, c] = outcome.tf_counts

    run_split(work, len(i), workers if parallel else 1)
    return tf


PARALLEL_FROM = 400_000
"""Candidate pairs from which the comparisons are split with a forked process."""


def comparison_matrix(frame: Frame, comparisons: list[Comparison], i: IntArray, j: IntArray,
                      workers: int = 2) -> tuple[LevelMatrix, CountMatrix]:
    """Levels (pairs × comparisons) and agreeing-value counts for term-frequency levels."""
    levels, tf = _matrices(frame, comparisons, i, j, workers, with_tf=True)
    assert tf is not None
    return levels, tf


def level_matrix(frame: Frame, comparisons: list[Comparison], i: IntArray, j: IntArray,
                 workers: int = 2) -> LevelMatrix:
    """Levels only: what training needs of its random pairs."""
    return _matrices(frame, comparisons, i, j, workers, with_tf=False)[0]


def _matrices(frame: Frame, comparisons: list[Comparison], i: IntArray, j: IntArray,
              workers: int, with_tf: bool) -> tuple[LevelMatrix, CountMatrix | None]:
    """Millions of pairs are split with forked processes (resolver.forked): they inherit
    the frame without copying it and write their rows of the result into shared memory.
    The parent first fills the frame's caches so the workers do not each rebuild them."""
    shape = (len(i), len(comparisons))
    parallel = workers >= 2 and len(i) >= PARALLEL_FROM and can_fork()
    if parallel:
        _fill(frame, comparisons, i[:64], j[:64], np.empty((64, shape[1]), dtype=np.int8),
              None)  # warm the caches
    allocate = shared_array if parallel else np.zeros
    levels: LevelMatrix = allocate(shape, np.int8)
    tf: CountMatrix | None = allocate(shape, np.int64) if with_tf else None

    def work(start: int, stop: int) -> None:
        _fill(frame, comparisons, i[start:stop], j[start:stop], levels[start:stop],
              None if tf is None else tf[start:stop])

    run_split(work, len(i), workers if parallel else 1)
    return levels, tf


@contextmanager
def levels_in_background(frame: Frame, comparisons: list[Comparison], i: IntArray,
                         j: IntArray) -> Iterator[Callable[[], LevelMatrix]]:
    """`level_matrix` of these pairs, started now in a forked child and finished here by
    the function given (resolver.forked.in_background), so this process can do other work
    first. Below PARALLEL_FROM pairs they are computed here when asked for."""
    shape = (len(i), len(comparisons))
    if len(i) < PARALLEL_FROM or not can_fork():
        yield lambda: level_matrix(frame, comparisons, i, j, workers=1)
        return
    _fill(frame, comparisons, i[:64], j[:64], np.empty((64, shape[1]), dtype=np.int8),
          None)  # warm the frame's caches before the fork, for both processes
    levels: LevelMatrix = shared_array(shape, np.int8)

    def work(start: int, stop: int) -> None:
        _fill(frame, comparisons, i[start:stop], j[start:stop], levels[start:stop], None)

    with in_background(work, len(i), BACKGROUND_SLICES) as finish:
        def done() -> LevelMatrix:
            finish()
            return levels

        yield done


BACKGROUND_SLICES = 8
"""Slices of `levels_in_background`: enough that neither process waits long for the other's
last one, few enough that each is still a large array operation."""


def _fill(frame: Frame, comparisons: list[Comparison], i: IntArray, j: IntArray,
          levels: LevelMatrix, tf: CountMatrix | None) -> None:
    for c, comparison in enumerate(comparisons):
        outcome = comparison.compute(frame, i, j)
        levels[:, c] = outcome.levels
        if (tf is not None and outcome.tf_counts is not None
                and comparison.tf_level is not None):
            tf[:, c] = np.where(comparison.tf_hits(outcome.levels), outcome.tf_counts, 0)
