"""Wutong's exception tree; every error the code raises on purpose is one of these.

    WutongError
    ├── StoreError            a store could not do what was asked
    │   └── StoreUnavailable  the store cannot be reached at all (retry later)
    ├── MappingError          a department mapping file is wrong (fix the file)
    ├── InputFileError        an input file cannot be read at all (fix or convert the file)
    ├── LoadNotReconciled     a load's counts do not add up (some rows unaccounted for)
    ├── OutputNotEmpty        `generate` would mix its files with others in the folder
    ├── Neo4jServerError      the local Neo4j server (graph/neo4j_server.py has its subtree)
    ├── RiskWeightsError      the risk weights file is wrong (fix the file)
    └── UnknownSubject        no entity or cluster has that id

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


class LoadNotReconciled(WutongError):
    """A load's counts do not add up: some rows are unaccounted for."""


class OutputNotEmpty(WutongError):
    """The output folder already holds files that a load would mix with the new ones."""


class RiskWeightsError(WutongError):
    """The risk weights file cannot be read or does not fit its format (fix the file)."""


class UnknownSubject(WutongError):
    """No entity or cluster has the id asked for."""
