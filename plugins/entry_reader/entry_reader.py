"""EntryReader: entry file -> Pelican article metadata and safe HTML.

The reader only calls the shared parser/validator (liveticker.validate) and renderer.
Unlike Pelican's log-and-skip, an invalid entry fails the build: problems are logged
with the same text `invoke check` prints, and the build stops before writing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import ClassVar

from pelican import signals
from pelican.readers import BaseReader

from liveticker.dates_de import clock
from liveticker.entry import reading_key
from liveticker.render import render_body
from liveticker.text_de import slugify
from liveticker.validate import check_entry_bytes, find_duplicates
from liveticker.vocab import load_vocabulary

logger = logging.getLogger(__name__)


class EntryBuildError(RuntimeError):
    """Raised after reading when any entry had an error."""


@dataclass
class _BuildState:
    """Errors and entries of the current build (new for each Pelican run)."""

    problems: list = field(default_factory=list)
    checked: list = field(default_factory=list)


_state = _BuildState()


class EntryReader(BaseReader):
    enabled = True
    file_extensions: ClassVar = ["md"]

    def read(self, source_path):
        content_root = Path(self.settings["PATH"])
        rel = PurePosixPath(Path(os.path.relpath(source_path, content_root)).as_posix())
        vocab = load_vocabulary(content_root)
        checked, problems = check_entry_bytes(Path(source_path).read_bytes(), str(rel), vocab)
        for problem in problems:
            (logger.error if problem.is_error else logger.warning)("%s", problem)
        _state.problems.extend(p for p in problems if p.is_error)
        if checked is None:
            raise EntryBuildError(f"{rel}: invalid entry")
        _state.checked.append(checked)
        entry = checked.entry
        anchor = slugify(rel.stem)
        metadata = {
            "title": entry.title,
            "date": entry.local_datetime,
            "slug": anchor,
            "anchor": anchor,
            "entry": entry,
            "entry_path": str(rel),
            "topics": [vocab.topic(name) for name in entry.topics],
            "sources": [vocab.source(code) for code in entry.sources],
            "clock": clock(entry.time),
            "reading_key": reading_key(entry.day, entry.time, rel.name),
        }
        if entry.updated:
            metadata["modified"] = entry.updated.replace(tzinfo=entry.local_datetime.tzinfo)
        return render_body(entry.body, anchor), metadata


def add_reader(readers):
    for extension in EntryReader.file_extensions:
        readers.reader_classes[extension] = EntryReader


def reset_run(pelican):
    global _state
    _state = _BuildState()


def fail_on_invalid_entries(generators):
    """Stop before any page is written if an entry was invalid or duplicated."""
    duplicates = find_duplicates(_state.checked)
    for problem in duplicates:
        logger.error("%s", problem)
    problems = sorted(_state.problems + duplicates)
    if problems:
        raise EntryBuildError(
            f"{len(problems)} error(s) in entries - run `invoke check` for details:\n"
            + "\n".join(str(p) for p in problems)
        )
    if not _state.checked:
        raise EntryBuildError(f"no entries found in {generators[0].settings['PATH']}")


def register():
    signals.initialized.connect(reset_run)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(fail_on_invalid_entries)
