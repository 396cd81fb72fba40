"""Readers share the lock, a writer holds it alone, and a waiting writer goes first."""

from __future__ import annotations

import threading

from api.shared_lock import SharedLock

WAIT = 5.0


def test_readers_share_and_a_writer_waits_for_them() -> None:
    lock = SharedLock()
    written = threading.Event()

    def write() -> None:
        with lock.exclusive():
            written.set()

    with lock.shared(), lock.shared():  # a second reader does not wait for the first
        writer = threading.Thread(target=write)
        writer.start()
        assert not written.wait(0.2)
    assert written.wait(WAIT)
    writer.join(WAIT)


def test_a_waiting_writer_goes_before_readers_who_come_after_it() -> None:
    lock = SharedLock()
    order: list[str] = []
    first_reader_in = threading.Event()
    release_first = threading.Event()

    def first_reader() -> None:
        with lock.shared():
            first_reader_in.set()
            release_first.wait(WAIT)

    def writer() -> None:
        with lock.exclusive():
            order.append("writer")

    def late_reader() -> None:
        with lock.shared():
            order.append("reader")

    threads = [threading.Thread(target=first_reader)]
    threads[0].start()
    assert first_reader_in.wait(WAIT)
    threads.append(threading.Thread(target=writer))
    threads[1].start()
    while not lock._writers_waiting:  # the writer is queued behind the first reader
        threading.Event().wait(0.01)
    threads.append(threading.Thread(target=late_reader))
    threads[2].start()
    release_first.set()
    for thread in threads:
        thread.join(WAIT)
    assert order == ["writer", "reader"]
