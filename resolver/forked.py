"""Splitting work between this process and forked children.

A forked child sees the parent's frame and pairs without copying them (copy-on-write).
`run_split` splits array work in slices: each child writes its rows of the result into an
anonymous shared mapping the parent allocated before forking, so nothing is pickled either
way, and the parent works on the last slice itself instead of waiting. `in_background`
does the same for work the parent joins only after doing something else. `in_child` runs
one independent task whose compact result comes back pickled. Where fork is not available
(or not safe: graph.forking.can_fork) everything runs in this process.
"""

from __future__ import annotations

import mmap
import multiprocessing as mp
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from multiprocessing.connection import Connection
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from graph.forking import can_fork

R = TypeVar("R")

__all__ = ["ForkedWorkerFailed", "can_fork", "in_background", "in_child", "run_split",
           "shared_array"]


class ForkedWorkerFailed(RuntimeError):
    """A forked worker exited without finishing its share (its traceback is on stderr)."""


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


@contextmanager
def in_child(work: Callable[[], R]) -> Iterator[Callable[[], R]]:
    """Start `work` in a forked child; inside the block, the function yielded waits for its
    result. Leaving the block without it (this process raised first) ends the child and
    waits for it, so none outlives the block.

    The result comes back pickled, so it should be compact (arrays of codes, distinct
    values), not per-record Python objects. Without fork, `work` runs here when its
    result is asked for.
    """
    if not can_fork():
        yield _once(work)
        return
    context = mp.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_send_result, args=(work, send), daemon=True)
    child.start()
    send.close()  # the child holds the only writing end: its exit ends our recv

    def result() -> R:
        try:
            value: R = receive.recv()
        except EOFError:
            child.join()
            raise ForkedWorkerFailed(
                f"a forked worker exited with status {child.exitcode}") from None
        child.join()
        return value

    try:
        yield _once(result)
    finally:
        _end(child)
        receive.close()


def _once(work: Callable[[], R]) -> Callable[[], R]:
    """`work`, called at most once: later calls return the first call's value."""
    done: list[R] = []

    def call() -> R:
        if not done:
            done.append(work())
        return done[0]

    return call


def _end(child: Any) -> None:
    """Wait for a child, stopping it first if it is still at work (its result unwanted)."""
    if child.exitcode is None:
        child.terminate()
    child.join()


@contextmanager
def in_background(work: Callable[[int, int], None], n: int, chunks: int
                  ) -> Iterator[Callable[[], None]]:
    """Start `work(start, stop)` over `chunks` slices of range(n) in a forked child, which
    takes them from the first on; the function yielded does here, from the last back, the
    slices the child has not taken yet, and returns once every slice is done.

    For work that writes into `shared_array`s while this process has its own work to do
    first: however long that takes, the two end together (a fixed split would leave one
    waiting for the other). Leaving the block without finishing ends the child.
    """
    edges = np.linspace(0, n, max(chunks, 1) + 1).astype(int).tolist()
    slices = list(pairwise(edges))
    if not can_fork() or len(slices) < 2:
        yield _once(lambda: work(0, n))
        return
    context = mp.get_context("fork")
    lock = context.Lock()
    bounds = shared_array((2,), np.int64)  # the next slice from the front, the end of those left
    bounds[1] = len(slices)

    def take(front: bool) -> int | None:
        with lock:
            first, end = int(bounds[0]), int(bounds[1])
            if first >= end:
                return None
            if front:
                bounds[0] = first + 1
                return first
            bounds[1] = end - 1
            return end - 1

    def from_the_front() -> None:
        while (k := take(front=True)) is not None:
            work(*slices[k])

    def from_the_back() -> None:
        while (k := take(front=False)) is not None:
            work(*slices[k])
        child.join()
        if child.exitcode != 0:
            raise ForkedWorkerFailed(f"a forked worker exited with status {child.exitcode}")

    child = context.Process(target=from_the_front, daemon=True)
    child.start()
    try:
        yield _once(from_the_back)
    finally:
        _end(child)


def _send_result(work: Callable[[], object], send: Connection) -> None:
    send.send(work())
    send.close()
