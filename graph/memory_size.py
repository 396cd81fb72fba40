"""Memory sizes as the local Neo4j server takes them (heap, page cache), checked in one
place; imports nothing heavy, so the settings can use it without loading the driver."""

from __future__ import annotations

import re

MEMORY_SIZE = re.compile(r"[1-9][0-9]*[kmg]")
"""A memory size both the JVM (-Xmx) and Neo4j's conf read the same way: a positive
whole number of kibi-, mebi- or gibibytes, e.g. `512m`, `4g`."""


def memory_size(value: str) -> str:
    """`value` lower-cased if it is a MEMORY_SIZE (`512m`, `4G`), else ValueError."""
    size = value.strip().lower()
    if not MEMORY_SIZE.fullmatch(size):
        raise ValueError(f"not a memory size like 512m or 4g: {value!r}")
    return size
