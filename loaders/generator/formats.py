"""How departments write dates and amounts: each has its own habit."""

from __future__ import annotations

from datetime import date, datetime


def iso(day: date) -> str:
    return day.isoformat()


def slash_unpadded(day: date) -> str:
    return f"{day.year}/{day.month}/{day.day}"


def chinese(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def compact(day: date) -> str:
    return day.strftime("%Y%m%d")


def dotted(day: date) -> str:
    return day.strftime("%Y.%m.%d")


def iso_datetime(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def slash_datetime(moment: datetime) -> str:
    return moment.strftime("%Y/%m/%d %H:%M")


def optional(day: date | None, style: str) -> str:
    """`day` in the named style, or an empty cell."""
    if day is None:
        return ""
    return STYLES[style](day)


STYLES = {
    "iso": iso,
    "slash": slash_unpadded,
    "chinese": chinese,
    "compact": compact,
    "dotted": dotted,
}
