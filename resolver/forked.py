"""Splitting array work between this process and forked children that write their share
straight into shared memory.

A forked child sees the parent's frame and pairs without copying them (copy-on-write),
and writes its rows of the result into an anonymous shared mapping the parent allocated
before forking, so nothing is pickled either way. The parent works on the last share
itself instead of waiting. Where fork is not available everything runs here.
"""

from __future__ import annotations

import mmap
import multiprocessing as mp
from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt


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
