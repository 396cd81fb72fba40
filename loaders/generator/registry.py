"""Guards that keep background data from setting off alerts nobody planted.

Random background cases would otherwise trip the alert rules by chance: a big employer
collects ten wage claims in a month (R1), a person calls twice about the same kind of
matter (R4), two neighbours meet again in court after a failed mediation (R7), a
dishonest debtor turns up in a new case (R13). Scenarios plant those on purpose; these
registries keep the background below every threshold, so an alert in the demo data has a
cause in `scenarios.json`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from datetime import date

# R1 counts ten workers in a 30-day window; background stays at four.
_LABOUR_WINDOW_DAYS = 29
_LABOUR_MAX_IN_WINDOW = 4


@dataclass
class LabourClaims:
    """Wage and labour claims per employer cluster, by day."""

    days: dict[int, list[int]] = field(default_factory=dict)

    def room(self, cluster: int, day: date) -> bool:
        # Any 30-day window holds at most _LABOUR_MAX_IN_WINDOW claims if every claim, when
        # added, has fewer than that many others within 29 days either side.
        claims = self.days.get(cluster, [])
        ordinal = day.toordinal()
        near = (bisect_right(claims, ordinal + _LABOUR_WINDOW_DAYS)
                - bisect_left(claims, ordinal - _LABOUR_WINDOW_DAYS))
        return near < _LABOUR_MAX_IN_WINDOW

    def add(self, cluster: int, day: date) -> None:
        insort(self.days.setdefault(cluster, []), day.toordinal())


@dataclass
class Registry:
    quiet_persons: set[int] = field(default_factory=set)
    quiet_enterprises: set[int] = field(default_factory=set)
    labour: LabourClaims = field(default_factory=LabourClaims)
    # What each person has already complained about through petition, hotline, mediation
    # or 96178: (person, respondent id), or (person, category) when nobody is named.
    complaints: set[tuple[int, str]] = field(default_factory=set)
    # Pairs of entity ids that met in people's mediation; kept out of background lawsuits.
    mediated_pairs: set[tuple[str, str]] = field(default_factory=set)

    def complaint_free(self, person: int, about: str) -> bool:
        """Whether `person` has not yet complained about `about` (an entity id or category)."""
        return (person, about) not in self.complaints

    def mark_complaint(self, person: int, about: str) -> None:
        self.complaints.add((person, about))

    def add_pair(self, a: str, b: str) -> None:
        self.mediated_pairs.add((a, b) if a < b else (b, a))

    def met_in_mediation(self, a: str, b: str) -> bool:
        return ((a, b) if a < b else (b, a)) in self.mediated_pairs
