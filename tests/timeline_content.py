"""Fixture content spread over three years, for charts, exports, citations and bundles.

Every count a chart must show is known here, so tests compare pictures with numbers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import write_entry

NEWEST = dt.date(2025, 2, 9)
# (date, time or None, title, topics, sources, extra metadata lines, body)
ENTRIES = [
    (dt.date(2023, 2, 9), None, "Vor zwei Jahren am 9. Februar", "Diplomatie", "afp", "", None),
    (
        dt.date(2024, 2, 9),
        dt.time(9, 30),
        "Vor einem Jahr am 9. Februar",
        "Diplomatie",
        "rtr",
        "",
        None,
    ),
    (dt.date(2024, 2, 10), dt.time(8, 0), "Nicht derselbe Kalendertag", "Kursk", "dpa", "", None),
    (
        dt.date(2025, 1, 13),
        dt.time(0, 30),
        "Kurz nach Mitternacht",
        "Luftkrieg",
        "dpa, afp",
        "",
        None,
    ),
    (dt.date(2025, 1, 13), dt.time(23, 45), "Kurz vor Mitternacht", "Luftkrieg", "rtr", "", None),
    (
        dt.date(2025, 1, 14),
        dt.time(12, 0),
        "Luftalarm in Kiew",
        "Luftkrieg, Kursk",
        "dpa",
        "",
        None,
    ),
    (dt.date(2025, 1, 30), dt.time(7, 15), "Luftalarm in Kiew", "Luftkrieg", "ap", "", None),
    (dt.date(2025, 1, 30), dt.time(18, 0), "Abendlage", "Frontgeschehen", "dpa", "", None),
    (dt.date(2025, 1, 30), None, "Ohne Uhrzeit eins", "Frontgeschehen", "dpa", "", None),
    (dt.date(2025, 1, 30), None, "Ohne Uhrzeit zwei", "Frontgeschehen", "", "", None),
    (
        dt.date(2025, 2, 9),
        dt.time(21, 5),
        "Korrigierte Meldung",
        "USA, Diplomatie",
        "ap, dpa",
        "Updated: 2025-02-09 23:10\nCorrection: Der Ort hieß Pokrowsk, nicht Kurachowe.",
        "Ein [Bericht](https://example.org/bericht?a=1&b=2) mit **Nachdruck**, 50 % & mehr.\n\n"
        "Zweiter Absatz mit „Zitat“ und Sternchen * als Text.",
    ),
    (
        dt.date(2025, 2, 9),
        dt.time(6, 0),
        'Titel mit </script><b>Tag</b> & "Zeichen"',
        "Europa",
        "kna",
        "",
        None,
    ),
]


def write_timeline(content: Path) -> list[tuple]:
    """Write ENTRIES as entry files below `content`; returns [(rel path, entry tuple)]."""
    written = []
    untimed = {}
    for item in ENTRIES:
        day, time, title, tags, sources, extra, body = item
        if time:
            name = f"{time:%H%M}-eintrag-{len(written):02d}.md"
            date = f"{day} {time:%H:%M}"
        else:
            untimed[day] = untimed.get(day, 0) + 1
            name = f"{untimed[day]:02d}-ohne-zeit-{len(written):02d}.md"
            date = str(day)
        lines = [f"Title: {title}", f"Date: {date}", f"Tags: {tags}"]
        if sources:
            lines.append(f"Source: {sources}")
        if extra:
            lines.extend(extra.split("\n"))
        text = "\n".join(lines) + "\n\n" + (body or f"Bericht: {title}, {date}.") + "\n"
        rel = f"{day:%Y/%m/%d}/{name}"
        write_entry(content, rel, text)
        written.append((rel, item))
    return written


def count_by_day() -> dict[dt.date, int]:
    counts: dict[dt.date, int] = {}
    for day, *_ in ENTRIES:
        counts[day] = counts.get(day, 0) + 1
    return counts


def build_timeline(tmp_path_factory, name: str = "timeline", **overrides) -> Path:
    """Write the timeline content into a fresh folder and build it; returns the output."""
    from liveticker.build import build_site

    folder = tmp_path_factory.mktemp(name)
    write_timeline(folder / "content")
    return build_site(folder / "content", folder / "output", overrides=overrides or None)
