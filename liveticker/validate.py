"""Every rule an entry file must follow, in one place.

`invoke check`, the Pelican reader of the build, `invoke new` and the importers all call
`check_entry_bytes`/`check_entry_text`, so a contributor sees the same message wherever a
problem is found. Every message names the field (or the body, or the file), quotes the
offending value and says how to fix it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from liveticker.entry import BERLIN, Entry
from liveticker.entry_file import FIELDS, REQUIRED, TIMED_NAME, UNTIMED_NAME, split, title_slug
from liveticker.entry_file import decode as _decode
from liveticker.unsafe_markup import describe, find_unsafe_markup, line_of
from liveticker.validate_values import (
    check_date,
    encoding_message,
    has_invisible,
    invisible_characters,
    quote,
)
from liveticker.vocab import Vocabulary, closest, load_vocabulary

ERROR, WARNING = "error", "warning"
# The body `invoke new` writes when given none: an error until it is replaced.
PLACEHOLDER = "TODO: Hier den Text des Eintrags schreiben und diese Zeile ersetzen."
PLACEHOLDER_MESSAGE = ("the body still holds the placeholder line written by `invoke new` - "
                       "replace it with the text of the entry")  # fmt: skip
_KNOWN_FIELDS = {name.lower(): name for name in FIELDS}  # keys are case-insensitive
_OUTSIDE = (
    "the file is not in the content folder {root} - move it to {root}/YYYY/MM/DD/ or "
    "name its content folder with --content"
)
_DAY_DIR = re.compile(r"(\d{4})/(\d{2})/(\d{2})")
# German names contributors reach for, and what the field is called.
_FIELD_SYNONYMS = {"titel": "Title", "ueberschrift": "Title", "datum": "Date", "zeit": "Date",
                   "thema": "Tags", "themen": "Tags", "tag": "Tags", "schlagworte": "Tags",
                   "quelle": "Source", "quellen": "Source", "sources": "Source",
                   "agentur": "Source", "aktualisiert": "Updated",
                   "korrektur": "Correction"}  # fmt: skip


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
    """A file that passed every error rule: the Entry plus where it came from."""

    entry: Entry
    path: str  # as shown in messages; relative to the content root unless a label was given
    body_line: int
    # what makes two bodies "the same text" (find_duplicates); computed once, where the
    # file is checked, and kept with it in the build caches
    text_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        text = unicodedata.normalize("NFC", " ".join(self.entry.body.split()))
        self.text_key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def check_entry_bytes(
    data: bytes,
    path: str,
    vocab: Vocabulary,
    now: dt.datetime | None = None,
    label: str | None = None,
) -> tuple[CheckedEntry | None, list[Problem]]:
    """Check the raw bytes of one entry file; see `check_entry_text`."""
    try:
        text = _decode(data)
    except ValueError:
        line, message = encoding_message(data)
        return None, [Problem(label or path, line, ERROR, message)]
    return check_entry_text(text, path, vocab, now, label)


def check_entry_text(
    text: str,
    path: str,
    vocab: Vocabulary,
    now: dt.datetime | None = None,
    label: str | None = None,
) -> tuple[CheckedEntry | None, list[Problem]]:
    """Check one entry. `path` is relative to the content root (`2025/02/09/x.md`) and
    decides the date folder; `label` is how messages name the file (default: `path`)."""
    now = now or dt.datetime.now(BERLIN)
    problems: list[Problem] = []

    def report(line: int, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(label or path, line, severity, message))

    parts = split(text)
    suspicious = has_invisible(text)
    for line, content in parts.bad_lines:
        report(line, f"line {quote(content.strip())} is not `Key: value` metadata - put one "
                     "blank line between the metadata and the body")  # fmt: skip
    fields: dict[str, tuple[str, int]] = {}
    for meta in parts.fields:
        known = _KNOWN_FIELDS.get(meta.key.lower())
        if known is None:
            report(meta.line, _unknown_field(meta.key))
        elif known in fields:
            report(meta.line, f"field '{known}' appears twice (first on line "
                              f"{fields[known][1]}) - keep one")  # fmt: skip
        else:
            fields[known] = (meta.value, meta.line)
        for column, char in invisible_characters(meta.value) if suspicious else ():
            report(meta.line, f"field '{known or meta.key}' contains the invisible character "
                              f"{char} (character {column} of the value) - delete it")  # fmt: skip
    for key in REQUIRED:
        if key not in fields:
            report(1, f"missing field '{key}' - add a line `{key}: ...` to the metadata "
                      "at the top of the file")  # fmt: skip
        elif not fields[key][0]:
            report(fields[key][1], f"field '{key}' is empty - write its value after `{key}: `")

    day, time = None, None
    if fields.get("Date", ("", 0))[0]:
        value, line = fields["Date"]
        (day, time), message = check_date(value, "Date")
        if message:
            report(line, message)
        elif day >= now.date() - _ONE_DAY and _local(day, time) > now:
            report(line, f"field 'Date' {quote(value)} is in the future - entries record what "
                         "has happened; correct the date (local time Europe/Berlin)")  # fmt: skip
    _check_folder(path, day, fields.get("Date", ("", 1)), report)

    topics = _split_list(fields.get("Tags"))
    for name, line in topics:
        if vocab.topic(name) is None:
            fix = _list_fix(name, vocab.suggest_topic(name), "topics", "content/topics.toml")
            report(line, f"unknown topic {quote(name)} in field 'Tags' - {fix}")
    if not topics:
        report(fields.get("Title", ("", 1))[1], "no topics: add `Tags: ...` with one or more "
               "topics from content/topics.toml", WARNING)  # fmt: skip

    sources = _split_list(fields.get("Source"))
    for code, line in sources:
        if vocab.source(code) is None:
            fix = _list_fix(code, vocab.suggest_source(code), "codes", "content/sources.toml")
            report(line, f"unknown source {quote(code)} in field 'Source' - {fix}")

    updated = None
    if fields.get("Updated", ("", 0))[0]:
        value, line = fields["Updated"]
        (u_day, u_time), message = check_date(value, "Updated")
        if message:
            report(line, message)
        else:
            updated = dt.datetime.combine(u_day, u_time or dt.time(0, 0))

    if not parts.body:
        report(parts.body_line, "the entry has no text: write the body below the metadata, "
                                "after one blank line")  # fmt: skip
    else:
        _check_body(parts.body, parts.body_line, report, suspicious)

    _check_name(path.rpartition("/")[2], time, day, fields.get("Title", ("", 1))[0], report)

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
    return CheckedEntry(entry, label or path, parts.body_line), problems


def find_duplicates(
    entries: list[CheckedEntry], report_on: set[str] | None = None
) -> list[Problem]:
    """Entries of one day with the same body (a repeated headline with new text is fine).
    One error per copy after the first; with `report_on` (paths), only those entries are
    reported - each against another copy, even when it is the first."""
    groups: dict[tuple, list[CheckedEntry]] = defaultdict(list)
    for checked in sorted(entries, key=lambda c: c.path):
        groups[(checked.entry.day, checked.text_key)].append(checked)
    problems = []
    for group in (g for g in groups.values() if len(g) > 1):
        for index, checked in enumerate(group):
            if report_on is not None and checked.path not in report_on:
                continue
            if index == 0 and (report_on is None or any(o.path in report_on for o in group[1:])):
                continue
            other = group[1] if index == 0 else group[0]
            problems.append(Problem(
                checked.path, checked.body_line, ERROR,
                f"the text of this entry is the same as in {other.path} (line "
                f"{other.body_line}) - remove one of the two entries",
            ))  # fmt: skip
    return problems


def check_tree(
    content: Path | str,
    paths: Iterable[Path | str] | None = None,
    vocab: Vocabulary | None = None,
    now: dt.datetime | None = None,
    label: Callable[[str, str], str] | None = None,
) -> tuple[list[CheckedEntry], list[Problem]]:
    """Check the given files (default: every entry under `content`, skipping names that
    start with "." or "_" as the build does), plus duplicates. For given files, the
    other entries of their days are read too, so that a copy of any of them is found.
    `label(file, rel)` says how messages name a file (default: `rel`, content-relative).
    Returns the valid entries of the checked files and all problems, sorted."""
    root = Path(content).resolve()
    vocab = vocab or load_vocabulary(root)
    now = now or dt.datetime.now(BERLIN)
    label = label or (lambda file, rel: rel)
    targets = _given_files(paths, root) if paths else _entry_files(root)
    entries, problems = [], []
    for file, rel in targets:
        shown = label(file, rel or file)
        if rel is None:
            message = "no such file - check the path" if not os.path.isfile(file) else None
            problems.append(Problem(shown, 1, ERROR, message or _OUTSIDE.format(root=root)))
            continue
        with open(file, "rb") as handle:
            checked, found = check_entry_bytes(handle.read(), rel, vocab, now, shown)
        problems.extend(found)
        entries.extend([checked] if checked else [])
    context = []
    if paths:  # the rest of each day, to find copies; their own problems are not reported
        given = {rel for _, rel in targets}
        for day in sorted({f"{c.entry.day:%Y/%m/%d}" for c in entries}):
            for file in sorted((root / day).glob("*.md")):
                rel = f"{day}/{file.name}"
                if rel not in given and not file.name.startswith((".", "_")):
                    checked, _ = check_entry_bytes(file.read_bytes(), rel, vocab, now,
                                                   label(str(file), rel))  # fmt: skip
                    context.extend([checked] if checked else [])
    report_on = {c.path for c in entries} if paths else None
    problems.extend(find_duplicates(entries + context, report_on))
    return entries, sorted(problems)


def _entry_files(root: Path) -> list[tuple[str, str]]:
    """(path, content-relative path) of every `*.md` below root, as the build reads them."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        rel_folder = os.path.relpath(folder, root)
        prefix = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        for name in files:
            if name.endswith(".md") and not name.startswith((".", "_")):
                found.append((os.path.join(folder, name), prefix + name))
    return sorted(found, key=lambda pair: pair[1])


def _given_files(paths: Iterable[Path | str], root: Path) -> list[tuple[str, str | None]]:
    """(path as given, content-relative path or None if missing or outside the root)."""
    found = []
    for path in map(Path, paths):
        for file in sorted(path.rglob("*.md")) if path.is_dir() else [path]:
            try:
                rel = file.resolve().relative_to(root).as_posix() if file.is_file() else None
            except ValueError:
                rel = None
            found.append((file.as_posix(), rel))
    return found


def _local(day: dt.date, time: dt.time | None) -> dt.datetime:
    return dt.datetime.combine(day, time or dt.time(0, 0), BERLIN)


_ONE_DAY = dt.timedelta(days=1)  # any time zone is within a day of Berlin's date


def _unknown_field(key: str) -> str:
    hint = _FIELD_SYNONYMS.get(key.lower().replace("ü", "ue")) or closest(key, list(FIELDS))
    if hint:
        return f"unknown field {quote(key)} - did you mean '{hint}'?"
    return (f"unknown field {quote(key)} - allowed fields are {', '.join(FIELDS)}; if this "
            "line belongs to the body, put one blank line before it")  # fmt: skip


def _list_fix(value: str, hint: str | None, what: str, where: str) -> str:
    if any(sep in value for sep in ";/|"):
        return f"separate several {what} with commas"
    if hint:
        return f"did you mean '{hint}'?"
    return f"use one of the {what} in {where} (or propose a new one there)"


def _split_list(item: tuple[str, int] | None) -> list[tuple[str, int]]:
    if not item:
        return []
    value, line = item
    return [(part.strip(), line) for part in value.split(",") if part.strip()]


def _check_folder(path: str, day: dt.date | None, date_field: tuple[str, int], report) -> None:
    value, line = date_field
    target = f"{day:%Y/%m/%d}/" if day else "YYYY/MM/DD/ of its date"
    folder = path.rpartition("/")[0]
    match = _DAY_DIR.fullmatch(folder)
    if not match:
        shown = f"the folder {quote(folder)}" if folder else "the top of the content folder"
        report(1, f"the file is not in a date folder YYYY/MM/DD/ but in {shown} - move it "
                  f"to the folder {target} in the content folder")  # fmt: skip
        return
    try:
        folder_day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        report(1, f"the folder {quote(match[0])} is not a day on the calendar - move the file "
                  f"to the folder {target} in the content folder")  # fmt: skip
        return
    if day and day != folder_day:
        report(line, f"field 'Date' is {quote(value)} but the file is in the folder for "
                     f"{folder_day:%Y-%m-%d} - move the file to {day:%Y/%m/%d}/ or correct "
                     "the date")  # fmt: skip


def _check_body(body: str, body_line: int, report, suspicious: bool) -> None:
    for offset, char in invisible_characters(body, by_offset=True) if suspicious else ():
        line = body_line + body.count("\n", 0, offset)
        report(line, f"the body contains the invisible character {char} - delete it")
    if PLACEHOLDER[:30] in body:
        report(body_line + body.count("\n", 0, body.index(PLACEHOLDER[:30])), PLACEHOLDER_MESSAGE)
    for finding in find_unsafe_markup(body):
        report(body_line + line_of(body, finding), describe(finding))


def _check_name(name: str, time: dt.time | None, day: dt.date | None, title: str, report):
    timed, untimed = TIMED_NAME.fullmatch(name), UNTIMED_NAME.fullmatch(name)
    if day is None:  # without a valid date, only the general shape can be judged
        if not (timed or untimed):
            report(1, f"file name {quote(name)} does not follow the convention HHMM-slug.md "
                      "(timed) or NN-slug.md (untimed, NN = position in the day's source); "
                      "`invoke new` writes correct names", WARNING)  # fmt: skip
        return
    slug = (timed or untimed)["slug"] if (timed or untimed) else title_slug(title)
    if time and not (timed and timed["hhmm"] == f"{time:%H%M}"):
        report(1, f"file name {quote(name)} does not follow the convention HHMM-slug.md for "
                  f"an entry at {time:%H:%M} (field 'Date') - rename it to "
                  f"'{time:%H%M}-{slug}.md'", WARNING)  # fmt: skip
    elif not time and not untimed:
        report(1, f"file name {quote(name)} does not follow the convention NN-slug.md for an "
                  "entry without a time (NN = its position in the day's source) - rename it "
                  f"to e.g. '01-{slug}.md'", WARNING)  # fmt: skip
