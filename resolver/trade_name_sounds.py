"""The toneless pinyin of company names (德泰 → de, tai), from a child started early.

Importing pypinyin (its phrase dictionary and the segmenter built from it) costs about
0.34 s of CPU: a quarter of resolving 10,000 enterprise records, paid while the other core
is idle. `start()`, called by the launcher before it imports anything else, forks a child
that imports pypinyin while this process imports numpy and the resolver, then answers
`syllables()` requests over a pipe. Without a started child (other commands, the API, a
process that is not the one that started it) `syllables()` imports pypinyin and works here.

This module imports only the standard library's small parts: it runs before anything else.
"""

from __future__ import annotations

import os
import pickle
import struct
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

_HEADER = struct.Struct("<Q")


class _Worker:
    def __init__(self, pid: int, requests: int, answers: int) -> None:
        self.owner = os.getpid()  # forked children of this process must not share the pipe
        self.pid = pid
        self.requests = requests
        self.answers = answers


_worker: _Worker | None = None


def start() -> None:
    """Fork the child now (once; only where fork exists). It ends when this process
    closes its end of the pipe, at `stop()` or at exit."""
    global _worker
    if _worker is not None or not hasattr(os, "fork"):
        return
    requests_read, requests_write = os.pipe()
    answers_read, answers_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        status = 1
        try:
            os.close(requests_write)
            os.close(answers_read)
            _serve(requests_read, answers_write)
            status = 0
        finally:
            os._exit(status)  # no atexit handlers or buffered output of the parent's
    os.close(requests_read)
    os.close(answers_write)
    _worker = _Worker(pid, requests_write, answers_read)


def stop() -> None:
    """End the child and wait for it (a long-lived process; at exit it ends by itself)."""
    global _worker
    worker, _worker = _worker, None
    if worker is None or worker.owner != os.getpid():
        return
    os.close(worker.requests)
    os.close(worker.answers)
    os.waitpid(worker.pid, 0)


def syllables(texts: Sequence[str]) -> list[tuple[str, ...]]:
    """Each text's toneless pinyin as pypinyin reads it in context, a syllable per Han
    character (none for what it cannot read)."""
    worker = _worker
    if worker is not None and worker.owner == os.getpid():
        try:
            _write(worker.requests, list(texts))
            answer = _read(worker.answers)
        except OSError:
            answer = None
        if answer is not None:
            return cast(list[tuple[str, ...]], answer)
        stop()  # the child is gone: from now on, here
    return _syllables(texts)


def _syllables(texts: Sequence[str]) -> list[tuple[str, ...]]:
    return [_syllables_of(text) for text in texts]


@lru_cache(maxsize=1 << 16)
def _syllables_of(text: str) -> tuple[str, ...]:
    # A long-lived process (the API's record-by-record resolution) asks for the same
    # names again and again.
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text, errors="ignore"))


def _serve(requests: int, answers: int) -> None:
    import pypinyin  # noqa: F401  (what the child is for: imported before any request)

    while (texts := _read(requests)) is not None:
        _write(answers, _syllables(cast(list[str], texts)))


def _write(fd: int, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read(fd: int) -> object | None:
    """The next value, or None when the other end closed the pipe."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    data = _read_exactly(fd, _HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
