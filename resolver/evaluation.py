"""Scoring a resolution against ground truth: pairwise, B-cubed and exact-cluster measures.

A resolution and its truth are both maps from record id to a cluster id (entity id); they
must cover the same records. Every measure is computed from the contingency table of the
two clusterings (how many records each pair of predicted and true cluster share), never by
listing pairs, so scoring a million records takes a second, not a day:

- a pair of records is *predicted* when both share a predicted cluster, and *true* when
  both share a true cluster; predicted pairs = Σ C(aᵢ, 2) over predicted cluster sizes,
  true pairs = Σ C(bⱼ, 2), true positives = Σ C(nᵢⱼ, 2) over the table's cells;
- B-cubed averages, over records, the share of the record's predicted cluster that is truly
  its entity (precision) and the share of its entity that its predicted cluster holds
  (recall): Σ nᵢⱼ² / aᵢ and Σ nᵢⱼ² / bⱼ, divided by the number of records.

A measure with nothing to measure (no predicted pairs for precision, no true pairs for
recall, no records at all) is 1.0: no mistake was possible. F1 is 0.0 when both precision
and recall are 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 1.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


@dataclass(frozen=True)
class PairScores:
    """Pairwise precision, recall and F1, with the pair counts they come from."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class ClusterScores:
    """B-cubed precision/recall/F1 and how many true entities came out exactly."""

    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    exact_clusters: int  # true entities reproduced exactly by one predicted cluster
    true_clusters: int
    predicted_clusters: int

    @property
    def exact_ratio(self) -> float:
        return _ratio(self.exact_clusters, self.true_clusters)


@dataclass(frozen=True)
class GroupScores:
    """Pairwise scores restricted to pairs in which at least one record carries a tag."""

    tag: str
    records: int  # records carrying the tag
    true_pairs: int
    predicted_pairs: int
    tp: int

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.predicted_pairs)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.true_pairs)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True)
class Contingency:
    """Cluster sizes and their overlaps: all the measures need."""

    cells: Counter[tuple[str, str]]  # (predicted, true) -> records in both
    predicted: Counter[str]
    true: Counter[str]

    @property
    def records(self) -> int:
        return self.predicted.total()


def contingency(pred: Mapping[str, str], truth: Mapping[str, str]) -> Contingency:
    """The contingency table; raises ValueError unless both cover the same records."""
    if len(pred) != len(truth) or any(record not in pred for record in truth):
        missing = sum(1 for record in truth if record not in pred)
        extra = sum(1 for record in pred if record not in truth)
        raise ValueError(
            f"prediction and truth cover different records: {missing} records of the "
            f"truth have no prediction, {extra} predicted records are not in the truth"
        )
    cells: Counter[tuple[str, str]] = Counter()
    for record, true_cluster in truth.items():
        cells[(pred[record], true_cluster)] += 1
    predicted: Counter[str] = Counter()
    true: Counter[str] = Counter()
    for (p, t), n in cells.items():
        predicted[p] += n
        true[t] += n
    return Contingency(cells, predicted, true)


def pairwise_scores(pred: Mapping[str, str], truth: Mapping[str, str]) -> PairScores:
    """Pairwise precision, recall and F1 of `pred` against `truth`."""
    return pairwise_from(contingency(pred, truth))


def pairwise_from(table: Contingency) -> PairScores:
    tp = sum(_pairs(n) for n in table.cells.values())
    predicted = sum(_pairs(n) for n in table.predicted.values())
    true = sum(_pairs(n) for n in table.true.values())
    precision, recall = _ratio(tp, predicted), _ratio(tp, true)
    return PairScores(precision=precision, recall=recall, f1=_f1(precision, recall),
                      tp=tp, fp=predicted - tp, fn=true - tp)


def cluster_scores(pred: Mapping[str, str], truth: Mapping[str, str]) -> ClusterScores:
    """B-cubed measures and the exact-cluster count of `pred` against `truth`."""
    return cluster_from(contingency(pred, truth))


def cluster_from(table: Contingency) -> ClusterScores:
    records = table.records
    precision_sum = sum(n * n / table.predicted[p] for (p, _), n in table.cells.items())
    recall_sum = sum(n * n / table.true[t] for (_, t), n in table.cells.items())
    precision, recall = _ratio(precision_sum, records), _ratio(recall_sum, records)
    exact = sum(1 for (p, t), n in table.cells.items()
                if n == table.predicted[p] == table.true[t])
    return ClusterScores(
        bcubed_precision=precision, bcubed_recall=recall, bcubed_f1=_f1(precision, recall),
        exact_clusters=exact, true_clusters=len(table.true),
        predicted_clusters=len(table.predicted),
    )


def _tags_of(value: str | Iterable[str]) -> set[str]:
    return {value} if isinstance(value, str) else set(value)


def breakdown_by(groups: Mapping[str, str | Iterable[str]], pred: Mapping[str, str],
                 truth: Mapping[str, str]) -> dict[str, GroupScores]:
    """Pairwise scores per tag, over the pairs in which at least one record carries it.

    `groups` gives each record one tag (an entity kind: read `precision`) or several (noise
    tags: read `recall`, the share of true matches involving a noisy record that were
    found). Records absent from `groups` carry no tag. Per tag, the pairs touching it in a
    cluster of n records of which k carry it are C(n, 2) - C(n - k, 2).
    """
    table = contingency(pred, truth)
    tagged: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for record, value in groups.items():
        if record not in truth:
            continue
        cell = (pred[record], truth[record])
        for tag in _tags_of(value):
            tagged[tag][cell] += 1
    result: dict[str, GroupScores] = {}
    for tag in sorted(tagged):
        cells = tagged[tag]
        by_pred: Counter[str] = Counter()
        by_true: Counter[str] = Counter()
        for (p, t), k in cells.items():
            by_pred[p] += k
            by_true[t] += k
        result[tag] = GroupScores(
            tag=tag,
            records=cells.total(),
            true_pairs=sum(_pairs(table.true[t]) - _pairs(table.true[t] - k)
                           for t, k in by_true.items()),
            predicted_pairs=sum(_pairs(table.predicted[p]) - _pairs(table.predicted[p] - k)
                                for p, k in by_pred.items()),
            tp=sum(_pairs(table.cells[c]) - _pairs(table.cells[c] - k) for c, k in cells.items()),
        )
    return result


def namesake_false_merges(pred: Mapping[str, str], truth: Mapping[str, str],
                          true_name: Mapping[str, str]) -> int:
    """False-positive pairs whose two records are different true entities of the same name.

    `true_name` maps a true entity id to its true name; entities missing from it have no
    name and are namesakes of nobody. Counted per predicted cluster: pairs among records
    whose entities share a name, less the pairs within one entity.
    """
    table = contingency(pred, truth)
    by_name: Counter[tuple[str, str]] = Counter()  # (predicted, true name) -> records
    same_entity: Counter[tuple[str, str]] = Counter()
    for (p, t), n in table.cells.items():
        name = true_name.get(t)
        if name is None:
            continue
        by_name[(p, name)] += n
        same_entity[(p, name)] += _pairs(n)
    return sum(_pairs(n) - same_entity[key] for key, n in by_name.items())


def namesake_pairs(truth: Mapping[str, str], true_name: Mapping[str, str]) -> int:
    """Pairs of records of different true entities that share a true name: the pairs a
    resolver could wrongly merge on the name alone."""
    return namesake_false_merges(dict.fromkeys(truth, ""), truth, true_name)
