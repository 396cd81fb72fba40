"""The fixed calendar the demo data lives in.

Dates are relative to a fixed reference date, never today's, so a seed gives the same
bytes whenever it is run, and "the last 7 days" of a planted scenario stays the last 7 days.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

REFERENCE_DATE = date(2026, 11, 1)
# When every department ran its export: the morning of the reference date.
EXPORT_TIME = datetime(2026, 11, 1, 8, 30)
# Background cases are spread over the two years before the reference date.
HISTORY_DAYS = 730
LAST_DAY = REFERENCE_DATE - timedelta(days=1)


def days_ago(days: int) -> date:
    return REFERENCE_DATE - timedelta(days=days)


def history_day(rng: random.Random) -> date:
    """A day in the background history window (never the reference date itself)."""
    return days_ago(rng.randint(1, HISTORY_DAYS))


def office_time(rng: random.Random, day: date) -> datetime:
    """A moment in office hours on `day`, to the second."""
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59),
                    rng.randint(0, 59))


def update_time(rng: random.Random, last_event: date) -> datetime:
    """When a department last touched a record whose latest event was on `last_event`."""
    day = min(last_event + timedelta(days=rng.randint(0, 3)), LAST_DAY)
    return office_time(rng, day)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
