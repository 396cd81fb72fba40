"""Wutong's exception tree; every error the code raises on purpose is one of these.

    WutongError
    ├── StoreError            a store could not do what was asked
    │   └── StoreUnavailable  the store cannot be reached at all (retry later)
    ├── MappingError          a department mapping file is wrong (fix the file)
    └── InputFileError        an input file cannot be read at all (fix or convert the file)

Per-row problems are not exceptions that end a load: they are quarantined with their
reason (see loaders/quarantine.py).
"""

from __future__ import annotations


class WutongError(Exception):
    """Root of Wutong's own errors."""


class StoreError(WutongError):
    """A store failed to read or write."""


class StoreUnavailable(StoreError):
    """The store cannot be reached; the caller may retry later."""


class MappingError(WutongError):
    """A department mapping file is invalid or does not fit the data."""


class InputFileError(WutongError):
    """An input file cannot be read (unknown format, undecodable, missing header)."""
