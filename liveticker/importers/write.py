"""The single writer: entries -> validated files in `DIR/YYYY/MM/DD/`, all or nothing.

Every file text is checked with `validate.check_entry_text` under its target path (the
check `invoke check` runs) and against the day's existing entries for duplicate text
before anything is written. An entry already present (same day, title and body) is
left alone, which makes importing the same source twice a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from liveticker.entry import Entry
from liveticker.entry_file import (
    UNTIMED_NAME,
    EncodingProblem,
    decode,
    file_name,
    format_entry,
    relative_dir,
    split,
)
from liveticker.importers.base import ImportFailed, item_label
from liveticker.validate import CheckedEntry, check_entry_text, find_duplicates
from liveticker.vocab import Vocabulary


@dataclass
class Planned:
    number: int  # position in the source, 1-based
    entry: Entry
    path: str  # relative to the content folder
    text: str


@dataclass
class Outcome:
    written: list[Planned] = field(default_factory=list)  # or, in a dry run, to write
    present: list[str] = field(default_factory=list)  # items not written, and why
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Day:
    identities: dict[tuple, str] = field(default_factory=dict)  # identity -> path
    names: set[str] = field(default_factory=set)
    checked: list[CheckedEntry] = field(default_factory=list)
    next_position: int = 1


def identity(entry: Entry) -> tuple:
    """What makes two entries the same item: day, title and body text."""
    return (entry.day, " ".join(entry.title.split()), " ".join(entry.body.split()))


def plan(entries: list[Entry], content: Path, vocab: Vocabulary,
         now: dt.datetime | None = None) -> Outcome:  # fmt: skip
    """Decide file names and check every file text; raises ImportFailed on any error."""
    days: dict[dt.date, _Day] = {}
    outcome, errors, new_checked = Outcome(), [], []
    for number, entry in enumerate(entries, 1):
        if entry.day not in days:
            days[entry.day] = _load_day(content, entry, vocab, now)
        day = days[entry.day]
        label = item_label(number, entry.title)
        if identity(entry) in day.identities:
            where = day.identities[identity(entry)]
            first = next((p.number for p in outcome.written if p.path == where), None)
            shown = f"item {first} of this source" if first else str(content / where)
            why = f"same as {shown}" if first else f"already in {shown}"
            outcome.present.append(f"{label}: {why}, not written again")
            continue
        path = _free_name(day, entry, relative_dir(entry))
        text = format_entry(entry)
        checked, problems = check_entry_text(text, path, vocab, now)
        for problem in problems:
            shown = replace(problem, path=str(content / problem.path))
            (errors if problem.is_error else outcome.warnings).append(f"{label}: {shown}")
        if checked and checked.entry != entry:
            errors.append(f"{label}: the entry changes when written as {path}; "
                          f"this is a bug in the importer ({checked.entry!r})")  # fmt: skip
        if checked:
            new_checked.append((number, checked))
            day.checked.append(checked)
        day.identities[identity(entry)] = path
        outcome.written.append(Planned(number, entry, path, text))
    numbers = {id(c): n for n, c in new_checked}
    for problem in find_duplicates([c for d in days.values() for c in d.checked]):
        match = next((c for _, c in new_checked if c.path == problem.path), None)
        if match:
            label = item_label(numbers[id(match)], match.entry.title)
            errors.append(f"{label}: {replace(problem, path=str(content / problem.path))}")
    if errors:
        raise ImportFailed(errors)
    return outcome


def write(outcome: Outcome, content: Path) -> None:
    """Create the planned files; none may exist yet. On any failure the files written
    so far are removed again, so the content folder is never left half-imported."""
    done: list[Path] = []
    try:
        for planned in outcome.written:
            target = content / planned.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                done.append(target)
                handle.write(planned.text)
    except OSError as exc:
        for path in done:
            path.unlink(missing_ok=True)
        raise ImportFailed(
            f"could not write {exc.filename}: {exc.strerror}; nothing written"
        ) from exc


def _load_day(content: Path, entry: Entry, vocab: Vocabulary, now: dt.datetime | None) -> _Day:
    """The entries already in the day's folder: their identities, names, positions."""
    day = _Day()
    folder = content / relative_dir(entry)
    for file in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        rel = f"{relative_dir(entry)}/{file.name}"
        day.names.add(file.name)
        untimed = UNTIMED_NAME.fullmatch(file.name)
        if untimed:
            day.next_position = max(day.next_position, int(untimed["pos"]) + 1)
        try:
            text = decode(file.read_bytes())
        except EncodingProblem:
            continue
        checked, _ = check_entry_text(text, rel, vocab, now)
        if checked:
            day.checked.append(checked)
            day.identities[identity(checked.entry)] = rel
        else:
            parts = split(text)
            title = next((f.value for f in parts.fields if f.key.lower() == "title"), "")
            day.identities[(entry.day, " ".join(title.split()), " ".join(parts.body.split()))] = rel
    return day


def _free_name(day: _Day, entry: Entry, folder: str) -> str:
    """The conventional file name; `-2`, `-3`... if another entry already has it."""
    name = file_name(entry, day.next_position)
    if entry.time is None:
        day.next_position += 1
    stem, suffix, number = name[:-3], ".md", 2
    while name in day.names:
        name, number = f"{stem}-{number}{suffix}", number + 1
    day.names.add(name)
    return f"{folder}/{name}"
