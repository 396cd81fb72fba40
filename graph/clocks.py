"""Statutory handling clocks per channel (shared/domain-china.md §6.2), in one table.

Each clock runs from the day a department took the case in (`filed_on`) to the day it
closed it. Working days are Monday to Friday: public holidays and make-up working days
(调休) are not modelled, so a working-day deadline across a holiday comes a few days
early. Channels whose limits are local rules (the hotline) or outside §6.2 (courts) have
no clock and are never overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from graph.vocabulary import Channel


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


CLOCKS: dict[Channel, Clock] = {
    Channel.PETITION: Clock(60, False, "信访工作条例: handling ≤ 60 d; the +30 d extension "
                            "needs approval the records do not show"),
    Channel.PEOPLES_MEDIATION: Clock(30, False, "人民调解 ≤ 1 month (司法部规定 2002 Art 36)"),
    Channel.LABOUR_ARBITRATION: Clock(45, False, "劳动争议调解仲裁法: award ≤ 45 d (+15 "
                                      "with approval, not shown in the records)"),
    Channel.CONSUMER_COMPLAINT: Clock(45, True, "市场监管投诉举报处理暂行办法: mediation ends "
                                      "within 45 working days"),
    Channel.TRAFFIC_ACCIDENT: Clock(10, False, "道路交通事故处理程序规定: police mediation 10 d"),
    Channel.MEDICAL_DISPUTE: Clock(30, False, "宁波医疗纠纷条例: committee concludes in about "
                                   "1 month"),
}


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
