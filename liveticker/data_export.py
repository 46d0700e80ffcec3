"""The archive as data: one record per entry, written as JSON Lines and CSV.

`FIELDS` is the single description of the format: the `/daten/` page shows it as the
schema, the writers follow its order, and `entry_from_record` reads a record back into
the `Entry` it came from (the round trip the tests check).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from html.parser import HTMLParser

from liveticker import render
from liveticker.entry import BERLIN, Entry

FORMAT_VERSION = 1
LIST_SEPARATOR = ", "  # CSV lists: as in the entry files' `Tags:`/`Source:` fields
_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "h2", "h3", "h4",
           "h5", "h6", "table", "tr", "hr", "br"}  # fmt: skip


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # JSON type as shown on the /daten/ page
    description: str  # German, for the /daten/ page


FIELDS = (
    Field(
        "id",
        "Text",
        "Dauerhafte Kennung: Pfad der Eintragsdatei ohne „.md“, "
        "z. B. „2025/02/09/01-trump-will-mit-putin-telefoniert-haben-zeitpunkt-unklar“.",
    ),
    Field("date", "Text", "Tag des Eintrags (Ortszeit Berlin), JJJJ-MM-TT."),
    Field(
        "time",
        "Text oder leer",
        "Uhrzeit (Ortszeit Berlin), HH:MM; leer (JSON: null), wenn der Ticker keine Uhrzeit nennt.",
    ),
    Field(
        "datetime",
        "Text oder leer",
        "Zeitpunkt nach ISO 8601 mit Zeitzonen-Versatz, "
        "z. B. „2025-02-09T14:05:00+01:00“; leer bei Einträgen ohne Uhrzeit.",
    ),
    Field("title", "Text", "Überschrift des Eintrags."),
    Field(
        "body_markdown",
        "Text",
        "Text des Eintrags in Markdown, wie in der Eintragsdatei (mit Links).",
    ),
    Field(
        "body_text",
        "Text",
        "Derselbe Text ohne Auszeichnung; Absätze durch eine Leerzeile getrennt.",
    ),
    Field(
        "topics",
        "Liste von Texten",
        "Themen (Namen aus dem Themenverzeichnis). CSV: durch Komma und Leerzeichen getrennt.",
    ),
    Field(
        "sources",
        "Liste von Texten",
        "Quellen als Kürzel (z. B. „dpa“, „rtr“). CSV: durch Komma und Leerzeichen getrennt.",
    ),
    Field("url", "Text", "Dauerhafte Adresse der Seite des Eintrags."),
    Field(
        "updated",
        "Text oder leer",
        "Zeitpunkt der letzten inhaltlichen Korrektur (ISO 8601 mit Versatz), sonst leer.",
    ),
    Field("correction", "Text oder leer", "Was korrigiert wurde, sonst leer."),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
_LISTS = {"topics", "sources"}
_OPTIONAL = {"time", "datetime", "updated"}


class _TextParser(HTMLParser):
    """Collects text; every block element boundary ends a paragraph."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.flush()

    def handle_data(self, data):
        self.current.append(data)


def plain_text(html: str) -> str:
    """Rendered entry HTML -> text; one paragraph per block, separated by a blank line."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.paragraphs)


def body_text(markdown_body: str, html: str) -> str:
    """plain_text(html) of a body and its rendering; for plain prose made from the
    Markdown at once (the same text: tests; 0.13 ms per entry less)."""
    blocks = render.plain_blocks(markdown_body)
    if blocks is None:
        return plain_text(html)
    return "\n\n".join(filter(None, (" ".join(block.split()) for block in blocks)))


def _iso(moment: dt.datetime) -> str:
    return (
        moment.replace(tzinfo=BERLIN).isoformat() if moment.tzinfo is None else moment.isoformat()
    )


def record(
    entry: Entry, entry_id: str, url: str, body_html: str, body_text: str | None = None
) -> dict:
    """The data of one entry, in FIELDS order; missing values are None. `body_text`:
    plain_text(body_html) if already known (the build reads it with the entry)."""
    return {
        "id": entry_id,
        "date": entry.day.isoformat(),
        "time": f"{entry.time:%H:%M}" if entry.time else None,
        "datetime": entry.local_datetime.isoformat() if entry.time else None,
        "title": entry.title,
        "body_markdown": entry.body,
        "body_text": plain_text(body_html) if body_text is None else body_text,
        "topics": list(entry.topics),
        "sources": list(entry.sources),
        "url": url,
        "updated": _iso(entry.updated) if entry.updated else None,
        "correction": entry.correction or "",
    }


def to_jsonl(records: list[dict]) -> str:
    """One JSON object per line, UTF-8 text (not \\u-escaped), fields in FIELDS order."""
    return "".join(map(jsonl_line, records))


def jsonl_line(rec: dict) -> str:
    return json.dumps(rec, ensure_ascii=False) + "\n"


def to_csv(records: list[dict]) -> str:
    """RFC 4180 CSV with a header row: comma-separated, double-quoted where needed, CRLF
    line ends; lists joined by LIST_SEPARATOR, missing values empty."""
    return csv_header() + "".join(map(csv_row, records))


def csv_header() -> str:
    return _csv_line(FIELD_NAMES)


def csv_row(rec: dict) -> str:
    """One record as a row of `to_csv` (CRLF-terminated; quoted line breaks inside)."""
    return _csv_line(_csv_value(name, rec[name]) for name in FIELD_NAMES)


def _csv_line(values) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()


def _csv_value(name: str, value) -> str:
    if name in _LISTS:
        return LIST_SEPARATOR.join(value)
    return "" if value is None else value


def read_jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def read_csv(text: str) -> list[dict]:
    """CSV rows -> records of the same shape as `record` returns."""
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    records = []
    for row in rows:
        rec = {}
        for name in FIELD_NAMES:
            value = row[name]
            if name in _LISTS:
                rec[name] = [v.strip() for v in value.split(",") if v.strip()]
            else:
                rec[name] = None if (name in _OPTIONAL and value == "") else value
        records.append(rec)
    return records


def entry_from_record(rec: dict) -> Entry:
    """A record (from either file) -> the Entry it was made from."""
    updated = None
    if rec.get("updated"):
        moment = dt.datetime.fromisoformat(rec["updated"])
        moment = moment.astimezone(BERLIN) if moment.tzinfo else moment
        updated = moment.replace(tzinfo=None)
    return Entry(
        day=dt.date.fromisoformat(rec["date"]),
        time=dt.time.fromisoformat(rec["time"]) if rec.get("time") else None,
        title=rec["title"],
        body=rec["body_markdown"],
        topics=tuple(rec["topics"]),
        sources=tuple(rec["sources"]),
        updated=updated,
        correction=rec.get("correction") or "",
    )
