"""Splitting work between this process and forked children.

A forked child sees the parent's frame and pairs without copying them (copy-on-write).
`run_split` splits array work in slices: each child writes its rows of the result into an
anonymous shared mapping the parent allocated before forking, so nothing is pickled either
way, and the parent works on the last slice itself instead of waiting. `in_child` runs one
independent task whose compact result comes back pickled. Where fork is not available
everything runs in this process.
"""

from __future__ import annotations

import mmap
import multiprocessing as mp
from collections.abc import Callable
from itertools import pairwise
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

R = TypeVar("R")


class ForkedWorkerFailed(RuntimeError):
    """A forked worker exited without finishing its share (its traceback is on stderr)."""


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def shared_array(shape: tuple[int, ...], dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """A zeroed array in memory that forked children write to and this process reads."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    if size == 0:
        return np.zeros(shape, dtype=dtype)
    buffer = mmap.mmap(-1, size)  # anonymous and MAP_SHARED: children's writes are seen here
    return np.frombuffer(buffer, dtype=dtype).reshape(shape)


def run_split(work: Callable[[int, int], None], n: int, workers: int) -> None:
    """Call `work(start, stop)` on `workers` contiguous slices of range(n): all but the
    last in forked children, the last here; return once every slice is done."""
    edges = np.linspace(0, n, max(workers, 1) + 1).astype(int).tolist()
    if workers < 2 or not can_fork():
        work(0, n)
        return
    context = mp.get_context("fork")
    children = [context.Process(target=work, args=(start, stop), daemon=True)
                for start, stop in pairwise(edges[:-1])]
    for child in children:
        child.start()
    try:
        work(edges[-2], edges[-1])
    finally:
        for child in children:
            child.join()
    failed = [child.exitcode for child in children if child.exitcode != 0]
    if failed:
        raise ForkedWorkerFailed(f"a forked worker exited with status {failed[0]}")


def in_child(work: Callable[[], R]) -> Callable[[], R]:
    """Start `work` in a forked child now; the function returned waits for its result.

    The result comes back pickled, so it should be compact (arrays of codes, distinct
    values), not per-record Python objects. Without fork, `work` runs here at once.
    """
    if not can_fork():
        value = work()
        return lambda: value
    receive, send = mp.get_context("fork").Pipe(duplex=False)
    child = mp.get_context("fork").Process(target=_send_result, args=(work, send), daemon=True)
    child.start()
    send.close()  # the child holds the only writing end: its exit ends our recv

    def result() -> R:
        try:
            value: R = receive.recv()
        except EOFError:
            child.join()
            raise ForkedWorkerFailed(
                f"a forked worker exited with status {child.exitcode}") from None
        finally:
            receive.close()
        child.join()
        return value

    return result


def _send_result(work: Callable[[], object], send: Connection) -> None:
    send.send(work())
    send.close()
