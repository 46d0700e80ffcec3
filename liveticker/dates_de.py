"""German names of weekdays and months, independent of any system locale.

Pelican's locale-based date formatting silently falls back to English when the locale
is not installed; the chronicle formats every date through this module instead.
"""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAYS_SHORT = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def long_date(day: dt.date) -> str:
    """`Sonntag, 9. Februar 2025`"""
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """`9. Februar 2025`"""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def month_name(year: int, month: int) -> str:
    """`Februar 2025`"""
    return f"{MONTHS[month - 1]} {year}"


def clock(time: dt.time | None) -> str:
    """`14:05 Uhr`, or an empty string for an untimed entry."""
    return f"{time:%H:%M} Uhr" if time else ""
