"""Shared by `ntv` and `mdr`: items introduced by a marker line carrying time and title."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from liveticker.entry import Entry
from liveticker.importers import mdtext
from liveticker.importers.base import ImportFailed, item_label


def marker_lines(lines: list[str], marker: re.Pattern) -> list[int]:
    return [i for i, line in enumerate(lines) if marker.fullmatch(line)]


def items(lines: list[str], starts: list[int], marker: re.Pattern, day: dt.date) -> Iterator[Entry]:
    """One Entry per marker line (groups: hour, minute, title); the body is the text up
    to the next marker. Sources stay empty: credits are still in the body."""
    ends = [*starts[1:], len(lines)]
    for number, (start, end) in enumerate(zip(starts, ends, strict=True), 1):
        hour, minute, title = marker.fullmatch(lines[start]).groups()
        title = mdtext.normalize(title)
        if int(hour) > 23 or int(minute) > 59:
            raise ImportFailed(
                f"{item_label(number, title)} (line {start + 1}): {hour}:{minute} is not "
                "a time of day"
            )
        yield Entry(
            day=day,
            time=dt.time(int(hour), int(minute)),
            title=title,
            body=mdtext.body_from_text("\n".join(lines[start + 1 : end])),
        )
