"""The entry file format: `Key: value` metadata lines, a blank line, the Markdown body.

This module only splits and joins text; what the values mean and whether they are
allowed is decided in `validate`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from liveticker.entry import Entry
from liveticker.text_de import slugify

FIELDS = ("Title", "Date", "Tags", "Source", "Updated", "Correction")
REQUIRED = ("Title", "Date")
DATE_FORMAT = "%Y-%m-%d %H:%M"

_META_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)")
TIMED_NAME = re.compile(r"(?P<hhmm>[0-2]\d[0-5]\d)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md")
UNTIMED_NAME = re.compile(r"(?P<pos>\d{2,3})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md")
SLUG_WORDS = 8


class EncodingProblem(ValueError):
    """The file is not UTF-8. `line`/`column` point at the first bad byte."""

    def __init__(self, line: int, column: int, byte: int, guess: str):
        self.line, self.column, self.guess = line, column, guess
        super().__init__(
            f"file is not valid UTF-8: byte 0x{byte:02x} at line {line}, column {column} "
            f"(the file looks like {guess}); save it as UTF-8 in your editor"
        )


@dataclass
class MetaField:
    key: str  # as written in the file
    value: str
    line: int


@dataclass
class EntryText:
    """A file split into its parts, with the line number of everything."""

    fields: list[MetaField] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    bad_lines: list[tuple[int, str]] = field(default_factory=list)  # header lines not `Key: value`


def decode(data: bytes) -> str:
    """Bytes of an entry file -> text; a BOM is dropped, CRLF becomes LF."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise EncodingProblem(line, column, data[exc.start], _guess_encoding(data)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess_encoding(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    if any(0x80 <= b <= 0x9F for b in data):
        return "Windows-1252 (cp1252)"
    return "ISO-8859-1 (Latin-1)"


def split(text: str) -> EntryText:
    """Split entry text into metadata fields and body. Never fails: odd header lines
    are reported in `bad_lines` for the validator to explain."""
    result = EntryText()
    lines = text.split("\n")
    index = 0
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        match = _META_LINE.fullmatch(line.rstrip())
        if match and line[:1] not in (" ", "\t"):
            result.fields.append(MetaField(match[1], match[2].strip(), index + 1))
        elif line[:1] in (" ", "\t") and result.fields:
            result.fields[-1].value += " " + line.strip()  # continuation line
        else:
            result.bad_lines.append((index + 1, line))
        index += 1
    header_end = index
    while index < len(lines) and not lines[index].strip():
        index += 1
    result.body = "\n".join(lines[index:]).strip()
    # an empty body is reported on the line after the metadata
    result.body_line = index + 1 if result.body else min(header_end + 1, len(lines))
    return result


def format_entry(entry: Entry) -> str:
    """Entry -> file text, in the canonical field order."""
    date = entry.day.isoformat()
    if entry.time:
        date += f" {entry.time:%H:%M}"
    lines = [f"Title: {entry.title}", f"Date: {date}"]
    if entry.topics:
        lines.append("Tags: " + ", ".join(entry.topics))
    if entry.sources:
        lines.append("Source: " + ", ".join(entry.sources))
    if entry.updated:
        lines.append(f"Updated: {entry.updated:{DATE_FORMAT}}")
    if entry.correction:
        lines.append(f"Correction: {entry.correction}")
    return "\n".join(lines) + "\n\n" + entry.body.strip() + "\n"


def title_slug(title: str) -> str:
    """The slug part of a file name: the first words of the title."""
    words = slugify(title).split("-")
    return "-".join(words[:SLUG_WORDS]) or "eintrag"


def file_name(entry: Entry, position: int = 1) -> str:
    """`HHMM-<slug>.md` for timed entries; `NN-<slug>.md` (source position) for untimed."""
    prefix = f"{entry.time:%H%M}" if entry.time else f"{position:02d}"
    return f"{prefix}-{title_slug(entry.title)}.md"


def relative_dir(entry: Entry) -> str:
    return f"{entry.day:%Y/%m/%d}"
