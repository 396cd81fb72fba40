import numpy as np

from resolver.columns import Column, columns_of
from resolver.frame import encode


def test_codes_number_values_in_order_of_first_appearance() -> None:
    column = Column.of(["b", None, "a", "b", ""])
    assert column.values == ["b", "a", ""]
    assert column.codes.tolist() == [0, -1, 1, 0, 2]
    assert column.codes.tolist() == encode(["b", None, "a", "b", ""]).tolist()
    assert column.cells() == ["b", None, "a", "b", ""]
    assert column.truthy().tolist() == [True, False, True, True, False]


def test_taking_rows_renumbers_the_values_they_use_as_encoding_them_would() -> None:
    cells = ["x", "y", None, "z", "y", "x"]
    column = Column.of(cells)
    rows = np.asarray([1, 2, 3, 4])
    taken = column.take(rows)
    assert taken.cells() == [cells[k] for k in rows]
    assert taken.codes.tolist() == encode([cells[k] for k in rows]).tolist()
    assert taken.values == ["y", "z"]


def test_parsing_is_once_per_distinct_value_and_follows_taken_rows() -> None:
    calls: list[str] = []

    def parse(value: str) -> str:
        calls.append(value)
        return value.upper()

    column = Column.of(["a", "b", "a", "c"])
    assert column.parsed(parse) == ["A", "B", "C"]
    assert column.parsed(parse) == ["A", "B", "C"]
    assert calls == ["a", "b", "c"]
    assert column.take(np.asarray([3, 1])).parsed(parse) == ["C", "B"]
    assert calls == ["a", "b", "c"]


def test_recoded_merges_values_cleaned_alike() -> None:
    # A dictionary-encoded column whose distinct cells strip to the same value or to none.
    column = Column.recoded(np.asarray([0, 1, 2, 0, 3]), ["a", "a", "b", None])
    assert column.values == ["a", "b"]
    assert column.cells() == ["a", "a", "b", "a", None]


def test_concatenated_columns_read_as_one() -> None:
    first, second = ["a", None, "b"], ["c", "a", None]
    joined = Column.concat([Column.of(first), Column.of(second)])
    assert joined.cells() == first + second
    assert joined.codes.tolist() == encode(first + second).tolist()


def test_columns_of_rows() -> None:
    columns = columns_of([{"name": "王伟"}, {"name": None, "phone": "1"}], ["name", "phone"])
    assert columns["name"].cells() == ["王伟", None]
    assert columns["phone"].cells() == [None, "1"]
