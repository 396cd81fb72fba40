from hypothesis import given
from hypothesis import strategies as st

from graph.chunks import chunked


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=7))
def test_chunks_keep_every_row_in_order_and_fill_all_but_the_last(rows: list[int],
                                                                  size: int) -> None:
    chunks = list(chunked(iter(rows), size))
    assert [row for chunk in chunks for row in chunk] == rows
    assert all(len(chunk) == size for chunk in chunks[:-1])
    assert all(0 < len(chunk) <= size for chunk in chunks)
