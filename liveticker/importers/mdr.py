"""The MDR ticker text: page title, a stand line, then `HH:MM Uhr | Title` items.

The stand line (`7. April 2025, 18:30 Uhr`, optionally `Stand:` and a weekday) is the
only place this format states its date. Times are Berlin local time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from liveticker.entry import Entry
from liveticker.importers import mdtext
from liveticker.importers.base import no_items
from liveticker.importers.dates import choose_day, german_date
from liveticker.importers.marked import items, marker_lines

MARKER = re.compile(r"[ \t]*(\d{1,2})[:.](\d{2})[ \t]*Uhr[ \t]*\|[ \t]*(\S.*?)[ \t]*")


def parse(text: str, day: dt.date | None = None) -> Iterator[Entry]:
    """Yield one Entry per `HH:MM Uhr | Title` line, in source order."""
    lines = mdtext.decode_text(text).split("\n")
    starts = marker_lines(lines, MARKER)
    if not starts:
        raise no_items("mdr", "no line looks like '18:30 Uhr | Title'")
    stated, where = None, ""
    for index, line in enumerate(lines[: starts[0]]):
        stated = german_date(line)
        if stated:
            where = f"line {index + 1}: {line.strip()!r}"
            break
    day = choose_day(day, stated, "mdr", where)
    yield from items(lines, starts, MARKER, day)
