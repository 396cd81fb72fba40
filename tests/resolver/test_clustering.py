import numpy as np

from resolver.clustering import ReviewReason, cluster
from resolver.entity_fit import PairEvidence


def _arr(*values: int) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


def test_links_above_threshold_join_and_the_lower_index_labels_the_cluster() -> None:
    result = cluster(4, _arr(0, 2), _arr(1, 3), np.asarray([0.99, 0.2]), _arr(-1, -1, -1, -1),
                     link_threshold=0.9, review_threshold=0.5)
    assert result.labels.tolist() == [0, 0, 2, 3]
    assert result.links_taken == 1
    assert result.review == []


def test_chain_through_a_weak_record_never_joins_two_different_id_numbers() -> None:
    # 0 and 2 hold different valid IDs; 1 has none and links strongly to both.
    result = cluster(3, _arr(0, 1), _arr(1, 2), np.asarray([0.99, 0.98]), _arr(7, -1, 8),
                     link_threshold=0.9, review_threshold=0.5)
    assert result.labels[0] == result.labels[1]
    assert result.labels[2] != result.labels[0]
    assert [(r.pair, r.reason) for r in result.review] == [
        (1, ReviewReason.conflicting_identifiers)]


def test_refused_links_between_the_same_two_entities_are_one_review_item() -> None:
    # Records 0, 1 hold ID 7; records 2, 3 hold ID 8 (a parent and child sharing a phone and
    # an address): four strong cross links, each refused, but one question for a reviewer.
    i, j = _arr(0, 2, 0, 0, 1, 1), _arr(1, 3, 2, 3, 2, 3)
    result = cluster(4, i, j, np.asarray([0.999, 0.999, 0.95, 0.96, 0.97, 0.94]),
                     _arr(7, 7, 8, 8), link_threshold=0.9, review_threshold=0.5)
    assert result.labels.tolist() == [0, 0, 2, 2]
    assert [(r.pair, r.reason) for r in result.review] == [
        (4, ReviewReason.conflicting_identifiers)]


def test_the_stronger_link_wins_the_contested_record() -> None:
    result = cluster(3, _arr(0, 1), _arr(1, 2), np.asarray([0.95, 0.999]), _arr(7, -1, 8),
                     link_threshold=0.9, review_threshold=0.5)
    assert result.labels[1] == result.labels[2] != result.labels[0]


def test_uncertain_pairs_between_entities_are_queued_for_review() -> None:
    result = cluster(3, _arr(0, 0), _arr(1, 2), np.asarray([0.7, 0.3]), _arr(-1, -1, -1),
                     link_threshold=0.9, review_threshold=0.5)
    assert len(set(result.labels.tolist())) == 3
    assert [(r.pair, r.reason) for r in result.review] == [(0, ReviewReason.uncertain)]


def test_reviewer_decisions_beat_scores() -> None:
    result = cluster(4, _arr(0, 2), _arr(1, 3), np.asarray([0.99, 0.1]), _arr(-1, -1, -1, -1),
                     link_threshold=0.9, review_threshold=0.5, merge=[(2, 3)], keep_apart=[(0, 1)])
    assert result.labels[0] != result.labels[1]
    assert result.labels[2] == result.labels[3]
    assert result.review[0].reason == ReviewReason.reviewer_kept_apart


def test_a_reviewer_merge_never_joins_two_different_id_numbers() -> None:
    # A merge decided while record 1 had no ID; it now holds one different from record 0's.
    result = cluster(3, _arr(0), _arr(2), np.asarray([0.99]), _arr(7, 8, -1),
                     link_threshold=0.9, review_threshold=0.5, merge=[(0, 1)])
    assert result.labels[0] != result.labels[1]
    assert result.labels[0] == result.labels[2]


def test_keep_apart_holds_through_a_third_record() -> None:
    # 0–2 and 2–1 are both strong, but 0 and 1 were kept apart by a reviewer.
    result = cluster(3, _arr(0, 1), _arr(2, 2), np.asarray([0.99, 0.98]), _arr(-1, -1, -1),
                     link_threshold=0.9, review_threshold=0.5, keep_apart=[(0, 1)])
    assert result.labels[0] != result.labels[1]


def test_one_review_item_per_pair_of_entities_the_strongest() -> None:
    # 0 and 1 are one entity; both are uncertain matches for 2: one question, not two.
    result = cluster(3, _arr(0, 0, 1), _arr(1, 2, 2), np.asarray([0.99, 0.6, 0.7]),
                     _arr(-1, -1, -1), link_threshold=0.9, review_threshold=0.5)
    assert [(r.pair, r.reason) for r in result.review] == [(2, ReviewReason.uncertain)]


# A parent company (records 0, 1: credit code 7, its address), a record giving only the
# parent's name (2), and its branch (3, 4: credit code 8, the branch's address). Weights
# per pair as (name, address), NaN where a side lacks the field; the prior is -10 bits.
_NAME_EXACT, _NAME_PARENT_BRANCH, _ADDRESS_EXACT, _ADDRESS_ELSE = 22.0, 0.4, 20.0, -15.0
_PRIOR = -10.0
_FAMILY = {
    (0, 1): (_NAME_EXACT, _ADDRESS_EXACT), (0, 2): (_NAME_EXACT, np.nan),
    (1, 2): (_NAME_EXACT, np.nan), (3, 4): (_NAME_PARENT_BRANCH + 20.0, _ADDRESS_EXACT),
    (0, 3): (_NAME_PARENT_BRANCH, _ADDRESS_ELSE), (2, 3): (_NAME_PARENT_BRANCH, np.nan),
}


def _cluster_family(extra: dict[tuple[int, int], tuple[float, float]], n: int
                    ) -> list[int]:
    weights = {**_FAMILY, **extra}
    pairs = sorted(weights)
    i, j = _arr(*(a for a, _ in pairs)), _arr(*(b for _, b in pairs))
    table = np.asarray([weights[p] for p in pairs], dtype=np.float64)
    match_weight = _PRIOR + np.nansum(table, axis=1)
    probabilities = 1.0 / (1.0 + np.exp2(-match_weight))
    def between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        nothing = (np.nan, np.nan)  # a pair blocking never drew: nothing known of it
        return np.asarray([weights.get((min(x, y), max(x, y)), nothing)
                           for x, y in zip(a.tolist(), b.tolist(), strict=True)])

    evidence = PairEvidence(_PRIOR, lambda k: table[k], between)
    strong = _arr(7, 7, -1, 8, 8, *([-1] * (n - 5)))
    result = cluster(n, i, j, probabilities, strong, link_threshold=0.8, review_threshold=0.5,
                     evidence=evidence)
    return [int(x) for x in result.labels]


def test_a_branch_written_by_its_parents_name_goes_to_the_branch_whose_address_it_gives() -> None:
    # Record 5 names the parent and gives the branch's address. Its strongest single link
    # is to the bare parent name (2): taken first, it put 5 with the parent, although both
    # of the parent's records that hold an address disagree with it.
    labels = _cluster_family({
        (2, 5): (_NAME_EXACT, np.nan), (0, 5): (_NAME_EXACT, _ADDRESS_ELSE),
        (1, 5): (_NAME_EXACT, _ADDRESS_ELSE), (3, 5): (_NAME_PARENT_BRANCH, _ADDRESS_EXACT),
        (4, 5): (_NAME_PARENT_BRANCH, _ADDRESS_EXACT)}, 6)
    assert labels[5] == labels[3] == labels[4]
    assert labels[0] == labels[1] == labels[2] != labels[3]  # the bare name stays with the parent


def test_a_parent_record_at_a_new_address_stays_with_the_parent() -> None:
    # Record 5 names the parent at an address no record holds: it fits no entity as a whole,
    # but nothing fits better, so it stays where its name put it.
    labels = _cluster_family({
        (2, 5): (_NAME_EXACT, np.nan), (0, 5): (_NAME_EXACT, _ADDRESS_ELSE),
        (1, 5): (_NAME_EXACT, _ADDRESS_ELSE), (3, 5): (_NAME_PARENT_BRANCH, _ADDRESS_ELSE)}, 6)
    assert labels[5] == labels[0] == labels[2] != labels[3]


def test_a_record_that_fits_its_entity_stays_though_it_links_into_another() -> None:
    # Record 5 is the branch's record of note 1 (parent's name, branch's address); record 6
    # gives only the parent's name: it links to 5 in the branch as strongly as to the
    # parent's records, and fits the parent as a whole.
    labels = _cluster_family({
        (2, 5): (_NAME_EXACT, np.nan), (0, 5): (_NAME_EXACT, _ADDRESS_ELSE),
        (1, 5): (_NAME_EXACT, _ADDRESS_ELSE), (3, 5): (_NAME_PARENT_BRANCH, _ADDRESS_EXACT),
        (4, 5): (_NAME_PARENT_BRANCH, _ADDRESS_EXACT), (5, 6): (_NAME_EXACT, np.nan),
        (0, 6): (_NAME_EXACT, np.nan), (3, 6): (_NAME_PARENT_BRANCH, np.nan)}, 7)
    assert labels[6] == labels[0] != labels[5]
    assert labels[5] == labels[3]


# Two look-alike companies: 0, 1 (credit code 7) write their name …有限责任公司; 2, 3
# (code 8) write …有限公司, and 4 (code 8 too) once …有限责任公司. Record 5 gives only the
# name, written …有限责任公司. Name weights per pair; 5 was drawn with 0 and 4 only.
_EXACT, _SAME, _OTHER_FORM = 22.0, 18.0, 14.0
_WRITTEN = ["LLC", "LLC", "Ltd", "Ltd", "LLC", "LLC"]


def _name_weights(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray([[_SAME if _WRITTEN[x] == _WRITTEN[y] else _OTHER_FORM]
                       for x, y in zip(a.tolist(), b.tolist(), strict=True)])


def test_a_mention_tied_between_look_alikes_goes_to_the_one_that_writes_its_name_so() -> None:
    # Pair by pair 5 ties with 0 and with 4 (exact names); strongest-first took 4's entity
    # because that pair came first. Against each company's identified records as a whole,
    # 5 is written as code 7 writes its name, and as only one record of code 8 does.
    i, j = _arr(4, 0, 0, 2, 2, 3), _arr(5, 5, 1, 3, 4, 4)
    probabilities = 1.0 / (1.0 + np.exp2(-(_PRIOR + _name_weights(i, j)[:, 0])))
    evidence = PairEvidence(_PRIOR, lambda k: _name_weights(i[k], j[k]), _name_weights)
    strong = _arr(7, 7, 8, 8, 8, -1)
    plain = cluster(6, i, j, probabilities, strong, link_threshold=0.8, review_threshold=0.5)
    assert plain.labels[5] == plain.labels[4]
    fitted = cluster(6, i, j, probabilities, strong, link_threshold=0.8,
                     review_threshold=0.5, evidence=evidence)
    assert fitted.labels[5] == fitted.labels[0] != fitted.labels[4]


def test_a_mention_that_fits_two_entities_equally_stays_where_its_links_put_it() -> None:
    # As above, but code 8's identified records all write the name as 5 does.
    i, j = _arr(4, 0, 0, 2, 2, 3), _arr(5, 5, 1, 3, 4, 4)
    weights = np.full((i.size, 1), _SAME)
    probabilities = 1.0 / (1.0 + np.exp2(-(_PRIOR + weights[:, 0])))
    evidence = PairEvidence(_PRIOR, lambda k: weights[k],
                            lambda a, b: np.full((a.size, 1), _SAME))
    result = cluster(6, i, j, probabilities, _arr(7, 7, 8, 8, 8, -1), link_threshold=0.8,
                     review_threshold=0.5, evidence=evidence)
    assert result.labels[5] == result.labels[4]


def test_alike_mentions_linked_among_themselves_still_go_where_they_are_written_so() -> None:
    # Records 5 and 6 give only the name, both written …有限责任公司, and are written
    # exactly alike (the strongest link either has). 5 was drawn with 4 (code 8) and 0
    # (code 7) alike; by their links to each other neither was tied, so the pair held
    # both in whichever entity took them first. Counted by links to identified records
    # only, 5 is tied, and goes to code 7, which writes its name so.
    i, j = _arr(5, 4, 0, 0, 2, 2, 3), _arr(6, 5, 5, 1, 3, 4, 4)
    written = [*_WRITTEN, "LLC"]

    def weights(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray([[_EXACT if {x, y} == {5, 6} else
                            _SAME if written[x] == written[y] else _OTHER_FORM]
                           for x, y in zip(a.tolist(), b.tolist(), strict=True)])

    probabilities = 1.0 / (1.0 + np.exp2(-(_PRIOR + weights(i, j)[:, 0])))
    evidence = PairEvidence(_PRIOR, lambda k: weights(i[k], j[k]), weights)
    result = cluster(7, i, j, probabilities, _arr(7, 7, 8, 8, 8, -1, -1), link_threshold=0.8,
                     review_threshold=0.5, evidence=evidence)
    assert result.labels[5] == result.labels[6] == result.labels[0] != result.labels[4]


# A parent (0: code 7, its address; 1: code 7, name only) and its branch (2, 3: code 8, the
# branch's address); mentions 4 and 5 give the parent's name and an address, alike.
def _parent_named_pair(address_to_branch: float) -> list[int]:
    weights = {
        (0, 1): (_NAME_EXACT, np.nan), (2, 3): (_NAME_PARENT_BRANCH + 20.0, _ADDRESS_EXACT),
        (4, 5): (_NAME_EXACT, _ADDRESS_EXACT),
        (0, 4): (_NAME_EXACT, _ADDRESS_ELSE), (0, 5): (_NAME_EXACT, _ADDRESS_ELSE),
        (1, 4): (_NAME_EXACT, np.nan), (1, 5): (_NAME_EXACT, np.nan),
        **{(b, m): (_NAME_PARENT_BRANCH, address_to_branch) for b in (2, 3) for m in (4, 5)},
    }
    pairs = sorted(weights)
    i, j = _arr(*(a for a, _ in pairs)), _arr(*(b for _, b in pairs))
    table = np.asarray([weights[p] for p in pairs], dtype=np.float64)
    probabilities = 1.0 / (1.0 + np.exp2(-(_PRIOR + np.nansum(table, axis=1))))

    def between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray([weights.get((min(x, y), max(x, y)), (np.nan, np.nan))
                           for x, y in zip(a.tolist(), b.tolist(), strict=True)])

    evidence = PairEvidence(_PRIOR, lambda k: table[k], between)
    result = cluster(6, i, j, probabilities, _arr(7, 7, 8, 8, -1, -1), link_threshold=0.8,
                     review_threshold=0.5, evidence=evidence)
    return [int(x) for x in result.labels]


def test_mentions_that_fit_no_identified_record_of_their_entity_go_where_they_fit() -> None:
    # 4 and 5 give the branch's address. Their strongest links are to each other and to
    # the parent's name-only identified record 1 (stronger than to the branch, whose name
    # they do not write), so the branch never tied and they stayed with the parent, each
    # holding the other there; yet the parent's only identified address (0) disagrees.
    labels = _parent_named_pair(_ADDRESS_EXACT)
    assert labels[4] == labels[5] == labels[2] == labels[3]
    assert labels[0] == labels[1] != labels[2]


def test_mentions_that_fit_nothing_better_stay_where_their_name_put_them() -> None:
    # The same mentions at an address nobody holds: they fit the parent badly, the branch
    # worse; they stay with the parent.
    labels = _parent_named_pair(_ADDRESS_ELSE)
    assert labels[4] == labels[5] == labels[0] == labels[1] != labels[2]


def test_components_are_labelled_by_their_smallest_record() -> None:
    from resolver.clustering import connected_components

    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        m = int(rng.integers(0, 2 * n))
        i, j = rng.integers(0, n, m), rng.integers(0, n, m)
        parent = list(range(n))
        for a, b in zip(i.tolist(), j.tolist(), strict=True):
            ra, rb = _root(parent, a), _root(parent, b)
            parent[max(ra, rb)] = min(ra, rb)
        expected = [_root(parent, x) for x in range(n)]
        assert connected_components(n, i, j).tolist() == expected


def _root(parent: list[int], x: int) -> int:
    while parent[x] != x:
        x = parent[x]
    return x
