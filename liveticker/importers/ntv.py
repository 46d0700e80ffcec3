"""The n-tv ticker text: `+++ HH:MM Title +++` marker lines, body paragraphs below.

Text before the first marker is the page title; a date written there (`7. April 2025`)
counts as the stated date. Times are Berlin local time.
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

MARKER = re.compile(
    r"[ \t]*\+{3}[ \t]*(\d{1,2})[:.](\d{2})(?:[ \t]*Uhr)?[ \t]+(.+?)[ \t]*\+{3}[ \t]*"
)


def parse(text: str, day: dt.date | None = None) -> Iterator[Entry]:
    """Yield one Entry per marker, in source order."""
    lines = mdtext.decode_text(text).split("\n")
    starts = marker_lines(lines, MARKER)
    if not starts:
        raise no_items("ntv", "no line looks like '+++ 18:30 Title +++'")
    prelude = "\n".join(lines[: starts[0]])
    day = choose_day(day, german_date(prelude), "ntv", "in the page title")
    yield from items(lines, starts, MARKER, day)
