from resolver.stable_ids import reconcile


def _ids(prefix: str):  # type: ignore[no-untyped-def]
    counter = iter(range(1, 1000))
    return lambda n: [f"{prefix}{next(counter)}" for _ in range(n)]


def test_first_run_creates_one_entity_per_group() -> None:
    result = reconcile({"a": 0, "b": 0, "c": 1}, {}, _ids("N"))
    assert result.entity_of_group == {0: "N1", 1: "N2"}
    assert result.created == ["N1", "N2"] and not result.merges and not result.splits


def test_unchanged_grouping_keeps_every_id() -> None:
    previous = {"a": "P1", "b": "P1", "c": "P2"}
    result = reconcile({"a": 0, "b": 0, "c": 1}, previous, _ids("N"))
    assert result.entity_of_group == {0: "P1", 1: "P2"}
    assert not (result.created or result.merges or result.splits)


def test_merge_keeps_the_id_holding_most_mentions_and_absorbs_the_other() -> None:
    previous = {"a": "P1", "b": "P2", "c": "P2"}
    result = reconcile({"a": 0, "b": 0, "c": 0}, previous, _ids("N"))
    assert result.entity_of_group == {0: "P2"}
    assert result.merges == [("P1", "P2")]


def test_split_keeps_the_id_on_the_larger_part() -> None:
    previous = {"a": "P1", "b": "P1", "c": "P1"}
    result = reconcile({"a": 0, "b": 1, "c": 1}, previous, _ids("N"))
    assert result.entity_of_group[1] == "P1"
    assert result.entity_of_group[0] == "N1"
    assert result.splits == [("P1", "N1")]


def test_new_mentions_join_their_group_without_changing_its_id() -> None:
    previous = {"a": "P1"}
    result = reconcile({"a": 0, "new": 0, "other": 1}, previous, _ids("N"))
    assert result.entity_of_group == {0: "P1", 1: "N1"}
    assert result.created == ["N1"]
