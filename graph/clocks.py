"""Statutory clocks (shared/domain-china.md §6.2), in one module.

`CLOCKS`: the handling clock per channel, which department performance measures a case
against, from the day a department took the case in (`filed_on`) to the day it closed it.
Channels whose limits are local rules (the hotline) or outside §6.2 (courts) have no clock
and are never overdue.

`STATE_CLOCKS`: by when a case in a given state must have moved on, which the overdue-clock
alert (R6) reads. Records carry the filing day and, once closed, the closing day, not the
day each state began, so a state clock also runs from the filing day and adds up the steps
before it (a labour award is due 5 days for acceptance + 45 for the award after filing).

Working days are Monday to Friday: public holidays and make-up working days (调休) are not
modelled, so a working-day deadline across a holiday comes a few days early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graph.network import CaseFact
from graph.vocabulary import CaseState, Channel


@dataclass(frozen=True)
class Clock:
    days: int
    working_days: bool
    basis: str

    def deadline(self, start: date) -> date:
        if not self.working_days:
            return start + timedelta(days=self.days)
        return add_working_days(start, self.days)

    def describe(self) -> str:
        return f"{self.days} {'working ' if self.working_days else ''}days"




def add_working_days(start: date, days: int) -> date:
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def deadline(channel: Channel, filed_on: date) -> date | None:
    clock = CLOCKS.get(channel)
    return clock.deadline(filed_on) if clock is not None else None


S = CaseState


@dataclass(frozen=True)
class StateClock:
    channel: Channel
    states: frozenset[CaseState]
    days: int
    working_days: bool
    what: str  # the duty, as the law puts it
    basis: str  # where the limit comes from
    extension_days: int = 0  # allowed on approval; past it the case is seriously late


STATE_CLOCKS: tuple[StateClock, ...] = (
    StateClock(Channel.PETITION, frozenset({S.REGISTERED}), 15, False,
          "decide whether to accept the petition", "信访工作条例: ≤ 15 days"),
    StateClock(Channel.PETITION, frozenset({S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS}), 75, False,
          "reply to the petition", "信访工作条例: accept ≤ 15 days, handle ≤ 60 (+30)", 30),
    StateClock(Channel.PEOPLES_MEDIATION, frozenset({S.APPLIED, S.ACCEPTED, S.IN_MEDIATION}), 30,
          False, "conclude the mediation", "司法部 2002 规定 Art 36: usually ≤ 1 month"),
    StateClock(Channel.LABOUR_ARBITRATION, frozenset({S.MEDIATION}), 15, False,
          "end the labour mediation (then arbitration may be applied for)",
          "劳动争议调解仲裁法 Art 14: 15 days"),
    StateClock(Channel.LABOUR_ARBITRATION, frozenset({S.FILED}), 5, False,
          "decide whether to accept the arbitration", "劳动争议调解仲裁法 Art 29: 5 days"),
    StateClock(Channel.LABOUR_ARBITRATION, frozenset({S.ACCEPTED, S.PANEL_FORMED, S.HEARING}), 50,
          False, "make the award", "劳动争议调解仲裁法 Art 43: 45 days (+15) after acceptance",
          15),
    StateClock(Channel.CONSUMER_COMPLAINT, frozenset({S.REGISTERED}), 7, True,
          "decide whether to accept the complaint", "市场监管投诉举报处理暂行办法: 7 working days"),
    StateClock(Channel.CONSUMER_COMPLAINT, frozenset({S.ACCEPTED, S.MEDIATION}), 52, True,
          "end the complaint mediation", "市场监管投诉举报处理暂行办法: accept ≤ 7, mediate "
          "≤ 45 working days"),
    StateClock(Channel.TRAFFIC_ACCIDENT, frozenset({S.APPLIED, S.MEDIATION}), 10, False,
          "end the police mediation", "道路交通事故处理程序规定: mediation ≤ 10 days"),
    StateClock(Channel.MEDICAL_DISPUTE, frozenset({S.COMMITTEE, S.MEDIATION}), 30, False,
          "conclude the medical mediation", "医疗纠纷预防和处理条例 / 宁波条例: about 1 month"),
)


def _handling_clocks() -> dict[Channel, Clock]:
    """Each channel's whole handling time: its longest state clock, which already adds up
    the steps before it, so performance and R6 agree on when a case is late."""
    out: dict[Channel, Clock] = {}
    for clock in STATE_CLOCKS:
        known = out.get(clock.channel)
        if known is None or clock.days > known.days:
            out[clock.channel] = Clock(clock.days, clock.working_days, clock.basis)
    return out


CLOCKS: dict[Channel, Clock] = _handling_clocks()


def clock_for(case: CaseFact) -> StateClock | None:
    """The clock running on a case in its current state, if any."""
    for clock in STATE_CLOCKS:
        if clock.channel is case.channel and case.state in clock.states:
            return clock
    return None


def due_date(start: date, clock: StateClock, extended: bool = False) -> date:
    days = clock.days + (clock.extension_days if extended else 0)
    if not clock.working_days:
        return start + timedelta(days=days)
    return add_working_days(start, days)


def days_overdue(case: CaseFact, as_of: date) -> tuple[StateClock, date, int] | None:
    """(clock, due day, days past it) when a case still open on `as_of` missed its clock."""
    if not case.is_open or case.filed_on > as_of:
        return None
    clock = clock_for(case)
    if clock is None:
        return None
    due = due_date(case.filed_on, clock)
    late = (as_of - due).days
    return (clock, due, late) if late > 0 else None
