"""Every rule an entry file must follow, in one place.

`invoke check`, the Pelican reader of the build and the importers all call
`check_entry_bytes`/`check_entry_text`, so a contributor sees the same message
wherever a problem is found. Messages name the field and value and say how to fix it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from liveticker.entry import BERLIN, Entry
from liveticker.entry_file import (
    FIELDS,
    REQUIRED,
    TIMED_NAME,
    UNTIMED_NAME,
    EncodingProblem,
    decode,
    split,
)
from liveticker.render import markdown_to_html
from liveticker.vocab import Vocabulary, closest

ERROR, WARNING = "error", "warning"
_DAY_DIR = re.compile(r"(\d{4})/(\d{2})/(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}))?")
_DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "frame", "frameset",
                   "base", "meta", "link", "applet", "style", "svg", "math"}  # fmt: skip
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                   "background", "srcset", "cite", "longdesc"}  # fmt: skip
_BAD_SCHEME = re.compile(r"(javascript|vbscript|data|livescript)\s*:", re.I)
_MAY_MAKE_HTML = re.compile(r"[<{&]|\]\s*[(:\[]")  # fast path: plain prose needs no render


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class CheckedEntry:
    """A file that passed parsing: the Entry plus where it came from."""

    entry: Entry
    path: str  # relative to the content root, POSIX separators
    body_line: int


def check_entry_bytes(
    data: bytes, path: str, vocab: Vocabulary, now: dt.datetime | None = None
) -> tuple[CheckedEntry | None, list[Problem]]:
    try:
        text = decode(data)
    except EncodingProblem as exc:
        return None, [Problem(path, exc.line, ERROR, str(exc))]
    return check_entry_text(text, path, vocab, now)


def check_entry_text(
    text: str, path: str, vocab: Vocabulary, now: dt.datetime | None = None
) -> tuple[CheckedEntry | None, list[Problem]]:
    """Check one entry. `path` is relative to the content root (`2025/02/09/x.md`)."""
    now = now or dt.datetime.now(BERLIN)
    problems: list[Problem] = []

    def report(line: int, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(path, line, severity, message))

    parts = split(text)
    for line, content in parts.bad_lines:
        report(line, f"line {content.strip()[:40]!r} is not `Key: value` metadata; end the "
                     "metadata with a blank line before the text begins")  # fmt: skip
    fields: dict[str, tuple[str, int]] = {}
    for meta in parts.fields:
        known = next((f for f in FIELDS if f.lower() == meta.key.lower()), None)
        if known is None:
            hint = closest(meta.key, list(FIELDS))
            fix = f"did you mean '{hint}'?" if hint else f"allowed keys: {', '.join(FIELDS)}"
            report(meta.line, f"unknown metadata key '{meta.key}' - {fix}")
        elif known in fields:
            report(meta.line, f"field '{known}' appears twice (first on line "
                              f"{fields[known][1]}); keep one")  # fmt: skip
        else:
            fields[known] = (meta.value, meta.line)
    for key in REQUIRED:
        if not fields.get(key, ("", 0))[0]:
            line = fields[key][1] if key in fields else 1
            report(line, f"missing '{key}' - add a line `{key}: ...` to the metadata at the top")

    folder_day = _folder_day(path)
    if folder_day is None:
        report(1, "file is not inside a date folder YYYY/MM/DD/ - move it to "
                  "content/YYYY/MM/DD/ for the day of the entry")  # fmt: skip

    day, time = None, None
    if fields.get("Date", ("", 0))[0]:
        value, line = fields["Date"]
        day, time = _parse_date(value, line, report, "Date")
        if day and folder_day and day != folder_day:
            report(line, f"field 'Date' is {value!r} but the file is in the folder for "
                         f"{folder_day:%Y-%m-%d}; move the file to {day:%Y/%m/%d}/ "
                         "or correct the date")  # fmt: skip
        if day and dt.datetime.combine(day, time or dt.time(0, 0), BERLIN) > now:
            report(line, f"field 'Date' {value!r} is in the future; entries record what "
                         "has happened - correct the date")  # fmt: skip

    topics = _split_list(fields.get("Tags"))
    for name, line in topics:
        if vocab.topic(name) is None:
            hint = vocab.suggest_topic(name)
            fix = f"did you mean '{hint}'?" if hint else "see content/topics.toml for the list"
            report(line, f"unknown topic '{name}' in field 'Tags' - {fix}")
    if not topics:
        report(fields.get("Title", ("", 1))[1], "no topics: add `Tags: ...` with one or "
               "more topics from content/topics.toml", WARNING)  # fmt: skip

    sources = _split_list(fields.get("Source"))
    for code, line in sources:
        if vocab.source(code) is None:
            hint = vocab.suggest_source(code)
            fix = f"did you mean '{hint}'?" if hint else "see content/sources.toml for the codes"
            report(line, f"unknown source '{code}' in field 'Source' - {fix}")

    updated = None
    if fields.get("Updated", ("", 0))[0]:
        value, line = fields["Updated"]
        u_day, u_time = _parse_date(value, line, report, "Updated")
        if u_day:
            updated = dt.datetime.combine(u_day, u_time or dt.time(0, 0))

    if not parts.body:
        report(parts.body_line, "the entry has no text: write the body below the metadata, "
                                "after one blank line")  # fmt: skip
    else:
        problems.extend(_unsafe_markup(parts.body, parts.body_line, path))

    name = PurePosixPath(path).name
    if not (TIMED_NAME.fullmatch(name) or UNTIMED_NAME.fullmatch(name)):
        report(1, f"file name {name!r} does not follow the convention HHMM-slug.md "
                  "(timed) or NN-slug.md (untimed, NN = position); `invoke new` "
                  "writes correct names", WARNING)  # fmt: skip

    if any(p.is_error for p in problems):
        return None, problems
    entry = Entry(
        day=day,
        time=time,
        title=fields["Title"][0],
        body=parts.body,
        topics=tuple(n for n, _ in topics),
        sources=tuple(c for c, _ in sources),
        updated=updated,
        correction=fields.get("Correction", ("", 0))[0],
    )
    return CheckedEntry(entry, path, parts.body_line), problems


def find_duplicates(entries: list[CheckedEntry]) -> list[Problem]:
    """Entries of one day with the same body (a repeated headline with new text is fine)."""
    seen: dict[tuple, CheckedEntry] = {}
    problems = []
    for checked in sorted(entries, key=lambda c: c.path):
        key = (checked.entry.day, " ".join(checked.entry.body.split()))
        first = seen.setdefault(key, checked)
        if first is not checked:
            problems.append(Problem(
                checked.path, checked.body_line, ERROR,
                f"the text of this entry is the same as in {first.path} "
                f"(line {first.body_line}); remove one of the two entries",
            ))  # fmt: skip
    return problems


def _folder_day(path: str) -> dt.date | None:
    parent = str(PurePosixPath(path).parent)
    match = _DAY_DIR.search(parent)
    if not match or not parent.endswith(match[0]):
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _parse_date(value: str, line: int, report, field: str):
    match = _DATE.fullmatch(value.strip())
    if not match:
        report(line, f"field '{field}' has the value {value!r}, expected 'YYYY-MM-DD HH:MM' "
                     "or 'YYYY-MM-DD' (e.g. '2025-02-09 14:05')")  # fmt: skip
        return None, None
    year, month, day, hour, minute = match.groups()
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        report(line, f"field '{field}' has the value {value!r}: that day does not exist on "
                     "the calendar - correct day or month")  # fmt: skip
        return None, None
    if hour is None:
        return date, None
    if int(hour) > 23 or int(minute) > 59:
        report(line, f"field '{field}' has the value {value!r}: {hour}:{minute} is not a time "
                     "of day (00:00 to 23:59)")  # fmt: skip
        return None, None
    return date, dt.time(int(hour), int(minute))


def _split_list(item: tuple[str, int] | None) -> list[tuple[str, int]]:
    if not item:
        return []
    value, line = item
    return [(part.strip(), line) for part in value.split(",") if part.strip()]


class _ScriptFinder(HTMLParser):
    """Finds markup that can run script in rendered (unsanitised) HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[tuple[str, str]] = []  # (what, needle to locate in the source)

    def handle_starttag(self, tag, attrs):
        if tag in _DANGEROUS_TAGS:
            self.findings.append((f"the HTML tag <{tag}>", f"<{tag}"))
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append((f"the event attribute '{name}' on <{tag}>", name))
            elif name in _URL_ATTRIBUTES and value:
                cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value))
                match = _BAD_SCHEME.match(cleaned)
                if match:
                    self.findings.append(
                        (f"a '{match[1].lower()}:' URL in {name}= of <{tag}>", value[:20])
                    )

    handle_startendtag = handle_starttag


def _unsafe_markup(body: str, body_line: int, path: str) -> list[Problem]:
    if not _MAY_MAKE_HTML.search(body):
        return []
    finder = _ScriptFinder()
    finder.feed(markdown_to_html(body))
    finder.close()
    problems = []
    for what, needle in finder.findings:
        offset = body.lower().find(needle.lower())
        line = body_line + (body.count("\n", 0, offset) if offset >= 0 else 0)
        problems.append(Problem(path, line, ERROR,
            f"{what} can run script and is not allowed in entries; use plain Markdown "
            "text and http(s) links only"))  # fmt: skip
    return problems


def check_tree(
    content: Path, paths: list[Path] | None = None, vocab: Vocabulary | None = None,
    now: dt.datetime | None = None,
) -> tuple[list[CheckedEntry], list[Problem]]:
    """Check the given files (default: every `*.md` under `content`), plus duplicates."""
    from liveticker.vocab import load_vocabulary

    vocab = vocab or load_vocabulary(content)
    content = Path(content).resolve()
    files = sorted(paths) if paths else sorted(content.rglob("*.md"))
    entries, problems = [], []
    for file in files:
        file = Path(file).resolve()
        try:
            rel = file.relative_to(content).as_posix()
        except ValueError:
            rel = file.as_posix()
        checked, found = check_entry_bytes(file.read_bytes(), rel, vocab, now)
        problems.extend(found)
        if checked:
            entries.append(checked)
    problems.extend(find_duplicates(entries))
    return entries, sorted(problems)
