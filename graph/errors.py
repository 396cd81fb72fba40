"""Wutong's exception tree; every error the code raises on purpose is one of these.

    WutongError
    ├── StoreError            a store could not do what was asked
    │   └── StoreUnavailable  the store cannot be reached at all (retry later)
    ├── MappingError          a department mapping file is wrong (fix the file)
    ├── InputFileError        an input file cannot be read at all (fix or convert the file)
    ├── LoadNotReconciled     a load's counts do not add up (some rows unaccounted for)
    ├── OutputNotEmpty        `generate` would mix its files with others in the folder
    ├── AlertError            an alert cannot be found or moved that way
    │   ├── AlertNotFound
    │   └── AlertStateError
    ├── AlertRulesError       the alert rules file is invalid (fix the file)
    ├── ReviewError           a review decision or split cannot be made as asked
    │   ├── UnknownReview     no such review item, entity or mention
    │   ├── AlreadyDecided    the review item was decided before
    │   └── ConflictingIdentifiers  a merge would join two different valid ID numbers
    │                         (or credit codes)
    ├── KeyStoreError         the API key store cannot be read or written
    ├── AuditLogError         the audit log cannot be written (nothing is shown unaudited)
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


class AlertError(WutongError):
    """An alert cannot be found, or cannot take the requested step of its lifecycle."""


class AlertNotFound(AlertError):
    """No alert has the given id."""


class AlertStateError(AlertError):
    """The alert's state does not allow the step (e.g. closing a closed alert)."""


class AlertChanged(AlertError):
    """An alert was changed by another process between reading it and writing it back."""


class AlertRulesError(WutongError):
    """The alert rules file is invalid: an unknown rule or key, or a bad value."""


class ReviewError(WutongError):
    """A reviewer's decision or split cannot be carried out as asked."""


class UnknownReview(ReviewError):
    """No such review item, entity or mention."""


class AlreadyDecided(ReviewError):
    """The review item was decided before; a new decision needs a split or a new item."""


class ConflictingIdentifiers(ReviewError):
    """A merge would give one entity two different valid ID numbers (or credit codes):
    two different valid identifiers never merge, whoever asks."""


class KeyStoreError(WutongError):
    """The API key store cannot be opened, read or written."""


class AuditLogError(WutongError):
    """The audit log cannot be written; whatever needed auditing is not done or shown."""


class RiskWeightsError(WutongError):
    """The risk weights file cannot be read or does not fit its format (fix the file)."""


class UnknownSubject(WutongError):
    """No entity or cluster has the id asked for."""
