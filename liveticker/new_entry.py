"""`invoke new`: write one new entry file at the right path with the right name.

The file goes to `CONTENT/YYYY/MM/DD/`, named `HHMM-<slug>.md` (timed) or `NN-<slug>.md`
(untimed; NN = the day's next free position). Everything is checked by `validate` before
anything is written, so an unknown topic or source is refused with the message `invoke
check` prints. An existing file is never overwritten.

Without `body`, the file gets the German placeholder line `validate.PLACEHOLDER`, which
`invoke check` and the build report as an error until it is replaced - a new entry cannot
be merged or published with it unnoticed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from liveticker.entry import BERLIN, Entry
from liveticker.entry_file import UNTIMED_NAME, file_name, format_entry
from liveticker.validate import (
    PLACEHOLDER,
    PLACEHOLDER_MESSAGE,
    check_entry_bytes,
    check_entry_text,
    find_duplicates,
)
from liveticker.validate_values import check_date
from liveticker.vocab import Vocabulary, load_vocabulary


class NewEntryError(ValueError):
    """Nothing was written; `problems` are the messages (each naming field and value)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class NewEntry:
    path: Path
    placeholder: bool  # the body is the placeholder the contributor must replace
    warnings: tuple[str, ...]


def create_entry(
    content: Path | str,
    title: str,
    date: str | None = None,
    tags: str = "",
    source: str = "",
    body: str | None = None,
    now: dt.datetime | None = None,
    vocab: Vocabulary | None = None,
) -> NewEntry:
    """Check and write a new entry; raises NewEntryError (and writes nothing) on any error.
    `date` is 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD' (default: now, Europe/Berlin)."""
    content = Path(content)
    now = now or dt.datetime.now(BERLIN)
    vocab = vocab or load_vocabulary(content)
    title = (title or "").strip()
    if not title:
        raise NewEntryError(['error: --title is empty - pass --title "Die Überschrift"'])
    if "\n" in title or "\r" in title:
        raise NewEntryError(["error: --title must be one line - remove the line breaks"])
    (day, time), message = check_date(date or f"{now:%Y-%m-%d %H:%M}", "Date")
    if message:
        raise NewEntryError([f"error: {message}"])
    text_body = (body or "").strip() or PLACEHOLDER
    entry = Entry(day, time, title, text_body, _names(tags), _names(source))
    folder = content / f"{day:%Y/%m/%d}"
    name = file_name(entry, _next_position(folder))
    rel, target = f"{day:%Y/%m/%d}/{name}", folder / name
    checked, problems = check_entry_text(format_entry(entry), rel, vocab, now, str(target))
    if text_body == PLACEHOLDER:  # expected here; it stays an error for `invoke check`
        problems = [p for p in problems if p.message != PLACEHOLDER_MESSAGE]
    errors = [p.message for p in problems if p.is_error]
    if checked:  # a real body must not repeat another entry of the day
        errors += [p.message for p in find_duplicates(
            [checked, *_day_entries(folder, content, vocab, now)], report_on={str(target)}
        )]  # fmt: skip
    if errors:
        raise NewEntryError([f"error: {message}" for message in errors])
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(format_entry(entry))
    except FileExistsError:
        message = (f"error: {target} already exists - `invoke new` never overwrites; choose "
                   "another title or time, or edit that file")  # fmt: skip
        raise NewEntryError([message]) from None
    warnings = tuple(f"warning: {p.message}" for p in problems if not p.is_error)
    return NewEntry(target, text_body == PLACEHOLDER, warnings)


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _next_position(folder: Path) -> int:
    """1 + the highest NN of the day's untimed entries (NN-slug.md)."""
    positions = [
        int(m["pos"]) for f in folder.glob("*.md") if (m := UNTIMED_NAME.fullmatch(f.name))
    ]
    return max(positions, default=0) + 1


def _day_entries(folder: Path, content: Path, vocab: Vocabulary, now: dt.datetime) -> list:
    entries = []
    for file in sorted(folder.glob("*.md")):
        rel = file.relative_to(content).as_posix()
        checked, _ = check_entry_bytes(file.read_bytes(), rel, vocab, now, str(file))
        entries.extend([checked] if checked else [])
    return entries
