"""Department performance per department and case category, as of a day.

- received: cases filed on or before the day;
- closed: of those, closed on or before it;
- overdue: still open past the channel's statutory clock (graph.clocks), or closed after it;
- median handling days: filed → closed, over closed cases;
- resolved before litigation: of closed cases outside the courts, the share that did not
  go on to court (their state is not `lawsuit` and no litigation or enforcement case
  names them as the case it continues).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from graph.clocks import CLOCKS, deadline
from graph.network import CaseFact, DisputeNetwork
from graph.vocabulary import CaseState, Channel

COURT_CHANNELS = frozenset({Channel.LITIGATION, Channel.ENFORCEMENT})


@dataclass(frozen=True)
class DepartmentPerformance:
    department: str
    category: str
    received: int
    closed: int
    overdue_open: int
    closed_late: int
    median_handling_days: float | None
    resolved_before_litigation: float | None  # share of closed cases; None for courts
    clock: str

    @property
    def overdue(self) -> int:
        return self.overdue_open + self.closed_late


def litigated_cases(network: DisputeNetwork) -> set[str]:
    """Keys of cases that a court case continues."""
    out: set[str] = set()
    for case in network.cases.values():
        if case.channel in COURT_CHANNELS:
            source = network.escalation_source(case)
            if source is not None:
                out.add(source.key)
    return out


def department_performance(network: DisputeNetwork, as_of: date) -> list[DepartmentPerformance]:
    litigated = litigated_cases(network)
    groups: dict[tuple[str, str], list[CaseFact]] = defaultdict(list)
    channels: dict[tuple[str, str], set[Channel]] = defaultdict(set)
    for case in network.cases.values():
        if case.filed_on <= as_of:
            groups[(case.source, case.category.value)].append(case)
            channels[(case.source, case.category.value)].add(case.channel)
    out = []
    for (department, category), cases in sorted(groups.items()):
        closed = [c for c in cases
                  if c.closed_day is not None and c.closed_day <= as_of]
        closed_keys = {c.key for c in closed}
        overdue_open = closed_late = 0
        for case in cases:
            due = deadline(case.channel, case.filed_on)
            if due is None:
                continue
            if case.key in closed_keys:
                closed_late += case.closed_day is not None and case.closed_day > due
            elif as_of > due:
                overdue_open += 1
        outside_court = [c for c in closed if c.channel not in COURT_CHANNELS]
        settled = [c for c in outside_court
                   if c.state is not CaseState.LAWSUIT and c.key not in litigated]
        handling = [(c.closed_day - c.filed_on).days for c in closed if c.closed_day]
        clocks = sorted({CLOCKS[ch].describe() for ch in channels[(department, category)]
                         if ch in CLOCKS})
        out.append(DepartmentPerformance(
            department=department, category=category, received=len(cases),
            closed=len(closed), overdue_open=overdue_open, closed_late=closed_late,
            median_handling_days=float(statistics.median(handling)) if handling else None,
            resolved_before_litigation=(round(len(settled) / len(outside_court), 4)
                                        if outside_court else None),
            clock="; ".join(clocks) or "no statutory clock"))
    return out
