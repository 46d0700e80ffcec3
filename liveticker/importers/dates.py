"""Dates and times found in tickers -> Berlin local day and time.

The archive files every entry under its Europe/Berlin day, so offsets are converted
here once; and a `--date` that contradicts what the source says is an error, because
silently preferring either would file a whole day under the wrong date.
"""

from __future__ import annotations

import datetime as dt
import re

from liveticker.dates_de import MONTHS
from liveticker.entry import BERLIN
from liveticker.importers.base import ImportFailed

_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTHS, 1)}
_MONTH_NUMBERS["jänner"] = 1
_GERMAN_DATE = re.compile(r"\b(\d{1,2})\.\s*(" + "|".join(_MONTH_NUMBERS) + r")\s+(\d{4})\b", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_CLOCK = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")


def parse_option(value: str | None) -> dt.date | None:
    """The `--date` option."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ImportFailed(f"--date {value!r} is not a date; write it as YYYY-MM-DD") from None


def german_date(text: str) -> dt.date | None:
    """The first date written like `7. April 2025` or `07.04.2025` in a text."""
    for match in _GERMAN_DATE.finditer(text):
        found = _date(int(match[3]), _MONTH_NUMBERS[match[2].lower()], int(match[1]))
        if found:
            return found
    for match in _NUMERIC_DATE.finditer(text):
        found = _date(int(match[3]), int(match[2]), int(match[1]))
        if found:
            return found
    return None


def clock(text: str) -> dt.time | None:
    """`18:30`, `18.30 Uhr` -> time of day."""
    match = _CLOCK.search(text)
    return dt.time(int(match[1]), int(match[2])) if match else None


def iso_local(value: str) -> tuple[dt.date | None, dt.time | None]:
    """An ISO 8601 value (`2025-04-07T22:10:00Z`, `2025-04-07`, `18:30`) -> Berlin local
    day and time. Values without an offset are taken as Berlin time already."""
    value = value.strip()
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            return None, dt.time.fromisoformat(value).replace(second=0, microsecond=0)
        except ValueError:
            return None, None
    if len(value) <= 10:  # a bare date
        return stamp.date(), None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(BERLIN)
    return stamp.date(), stamp.time().replace(second=0, microsecond=0, tzinfo=None)


def choose_day(given: dt.date | None, stated: dt.date | None, fmt: str, where: str) -> dt.date:
    """The day of an undated-item source: stated in the source, or `--date`, not both
    disagreeing. `where` says where the stated date was found."""
    if given and stated and given != stated:
        raise ImportFailed(
            f"--date {given} disagrees with the date the source states ({stated}, {where}); "
            "drop --date or correct it"
        )
    if not (given or stated):
        raise ImportFailed(f"this {fmt} text states no date: pass --date YYYY-MM-DD")
    return given or stated


def check_given_day(given: dt.date | None, stated: set[dt.date]) -> None:
    """For sources that date every item: `--date` must be one of those (local) days."""
    if given and stated and given not in stated:
        days = ", ".join(str(d) for d in sorted(stated))
        raise ImportFailed(
            f"--date {given} disagrees with the dates the source gives its items "
            f"({days}, Europe/Berlin); drop --date or correct it"
        )


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
