"""When this process may fork: the one rule for parallel loads and the resolver's children.

A forked child has only the thread that forked; a lock another thread held at that moment
stays held in the child for ever, and the child hangs if it takes it. CPython resets its
own (the import lock, logging's), but not a store's or a driver's. So fork only while no
other Python thread runs, except threads marked `fork_safe`: ones that hold no lock a
child takes (the entity journal's checkpointer holds only its own connection, which no
child uses). Native threads do not count: pyarrow's reading pool is idle by the time the
resolver forks, and no child calls into pyarrow.
"""

from __future__ import annotations

import multiprocessing
import threading
import weakref

_fork_safe: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


def fork_safe(thread: threading.Thread) -> threading.Thread:
    """Mark a thread that does not stop forking (see above); returns it."""
    _fork_safe.add(thread)
    return thread


def can_fork() -> bool:
    """Does fork exist here, with no other thread running but fork-safe ones?"""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if threading.active_count() == 1:
        return True
    here = threading.current_thread()
    return all(t is here or t in _fork_safe for t in threading.enumerate())
