"""The Entry: one item of the live ticker, independent of how it is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Entry:
    """A ticker entry. `time` is None for entries whose time of day is unknown."""

    day: dt.date
    time: dt.time | None
    title: str
    body: str  # Markdown
    topics: tuple[str, ...] = ()  # topic display names from the vocabulary
    sources: tuple[str, ...] = ()  # source codes from the vocabulary
    updated: dt.datetime | None = None  # naive local time (Europe/Berlin)
    correction: str = ""

    @property
    def local_datetime(self) -> dt.datetime:
        """Aware datetime in Europe/Berlin; untimed entries sit at midnight."""
        return dt.datetime.combine(self.day, self.time or dt.time(0, 0), BERLIN)


def reading_key(day: dt.date, time: dt.time | None, name: str) -> tuple:
    """Sort key for the order readers see: newest day first; within a day the timed
    entries newest first, then the untimed ones in their source order."""
    minutes = time.hour * 60 + time.minute if time else 0
    return (-day.toordinal(), 0 if time else 1, -minutes, name)
