"""Days, months and years of the chronicle, built from articles in one linear pass."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from liveticker.dates_de import long_date, month_name


@dataclass
class Day:
    date: dt.date
    entries: list = field(default_factory=list)  # articles in reading order
    previous: Day | None = None  # the older neighbouring day with entries
    next: Day | None = None

    @cached_property
    def url(self) -> str:  # asked for by every entry shown (26,000 times at 10,000 entries)
        d = self.date
        return f"{d.year:04d}/{d.month:02d}/{d.day:02d}/"

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    @property
    def heading(self) -> str:
        return long_date(self.date)


@dataclass
class Month:
    year: int
    month: int
    days: dict[dt.date, Day] = field(default_factory=dict)
    previous: Month | None = None
    next: Month | None = None

    @property
    def url(self) -> str:
        return f"{self.year:04d}/{self.month:02d}/"

    @property
    def heading(self) -> str:
        return month_name(self.year, self.month)

    @property
    def count(self) -> int:
        return sum(len(d.entries) for d in self.days.values())

    @property
    def weeks(self) -> list[list[tuple[dt.date, Day | None] | None]]:
        """Monday-first weeks; a cell is None outside the month, else (date, Day or None)."""
        cal = calendar.Calendar(firstweekday=0)
        return [
            [(d, self.days.get(d)) if d.month == self.month else None for d in week]
            for week in cal.monthdatescalendar(self.year, self.month)
        ]


@dataclass
class Year:
    year: int
    months: list[Month] = field(default_factory=list)  # all twelve, oldest first
    previous: Year | None = None
    next: Year | None = None

    @property
    def url(self) -> str:
        return f"{self.year:04d}/"

    @property
    def count(self) -> int:
        return sum(m.count for m in self.months)


def build_calendar(articles: list) -> tuple[list[Day], list[Month], list[Year]]:
    """Group articles (already in reading order) into days, months and years, newest first.
    Only months and years with entries are listed; a year page shows all twelve months."""
    days: dict[dt.date, Day] = {}
    for article in articles:
        day = article.entry.day
        days.setdefault(day, Day(day)).entries.append(article)
    ordered_days = sorted(days.values(), key=lambda d: d.date, reverse=True)
    _link(ordered_days)

    years: dict[int, Year] = {}
    months: dict[tuple[int, int], Month] = {}
    for day in ordered_days:
        y, m = day.date.year, day.date.month
        if y not in years:
            years[y] = Year(y, [Month(y, mm) for mm in range(1, 13)])
        month = years[y].months[m - 1]
        month.days[day.date] = day
        months[(y, m)] = month
    ordered_months = [months[k] for k in sorted(months, reverse=True)]
    ordered_years = [years[k] for k in sorted(years, reverse=True)]
    _link(ordered_months)
    _link(ordered_years)
    return ordered_days, ordered_months, ordered_years


def _link(newest_first: list) -> None:
    for newer, older in pairwise(newest_first):
        newer.previous, older.next = older, newer
