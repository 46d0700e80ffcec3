"""Keyed output memo: a rebuild neither makes nor reads the output files of items that
did not change (issue 7; used by the citations and data_export plugins).

A plugin gives each item a key - what its output is made from, e.g. the entry file's
digest and URL - and hands the memo the paths and a function that makes the bytes.
An item is taken over from the last build only when that build made it from the same
key, with the same code, settings and vocabulary (the memo's fingerprint), and every
file it wrote is still on disk with the size and modification time written then.
Its files are then noted as this build's outputs (liveticker.files.note_outputs), so
that incremental_writer does not delete them as stale, and nothing is read or written.
A file joined from per-item pieces (one line per entry) is rebuilt from the unchanged
pieces of its last version and new pieces only for items that changed.

Item files are written with `write_later` and their sizes and times are taken once the
build has written them (`files.when_written`). The memo lives next to
incremental_writer's state for the output folder; without a build cache (no
CACHE_PATH, or INCREMENTAL_WRITER["cache"] off) it remembers nothing and only writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from liveticker import buildcache, files
from liveticker.vocab import vocabulary_dir

Data = str | bytes


def memo_path(settings: dict, name: str) -> Path | None:
    """`<cache>/output-<output folder key>/memo-<name>.pickle`, or None without a cache."""
    cache = settings.get("CACHE_PATH")
    if not cache or not settings.get("INCREMENTAL_WRITER", {}).get("cache", True):
        return None
    output = Path(settings["OUTPUT_PATH"]).resolve()
    return Path(cache) / f"output-{buildcache.folder_key(output)}" / f"memo-{name}.pickle"


def memo_fingerprint(settings: dict, *extra: str) -> str:
    """All of the project's code (hashing it is cheaper than finding what a plugin
    imports), the settings and the vocabulary; `extra`: anything else the outputs
    depend on (package versions)."""
    vocab = vocabulary_dir(Path(settings["PATH"]))
    return buildcache.digest(
        buildcache.code_fingerprint(),
        buildcache.settings_fingerprint(settings),
        (vocab / "topics.toml").read_bytes(), (vocab / "sources.toml").read_bytes(), *extra,
    )  # fmt: skip


def entry_key(article, url: str) -> tuple | None:
    """What an entry's outputs are made from besides the fingerprint: the digest of its
    file (entry_reader's `source_digest`; None without one: never taken over), its path
    and its URL (`article.url`, which Pelican computes on every access)."""
    digest = getattr(article, "source_digest", None)
    return (digest, article.entry_path, url) if digest else None


def _stamps(paths: Sequence[str]) -> tuple[tuple[int, int], ...] | None:
    try:
        return tuple((s.st_size, s.st_mtime_ns) for s in map(os.stat, paths))
    except FileNotFoundError:
        return None


def _raw(data: Data) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


class OutputMemo:
    """What one plugin wrote into one output folder in the last build, per item.

    Records: {name: (key, stamps)} for item files, {path: (keys, piece lengths,
    stamps)} for joined files. Paths are absolute and normalised (os.path.abspath)."""

    def __init__(self, settings: dict, name: str, *extra: str):
        self.path = memo_path(settings, name)
        self.fingerprint = memo_fingerprint(settings, *extra) if self.path else ""
        loaded = buildcache.load(self.path, self.fingerprint) if self.path else None
        self.old: dict = loaded or {}
        self.new: dict = {}
        self.written: dict = {}  # {name: (key, paths)} given to write_later
        self.dirty = loaded is None

    def item_files(self, name: str, key, paths: Sequence[str],
                   make: Callable[[], Sequence[Data]]) -> None:  # fmt: skip
        """The files `paths` of item `name`, made by `make()` (their contents, in order)
        unless the last build made them from `key` (None: always made) and they are
        intact. They are written with write_later: many small files, written at the
        build's end in parallel with the pages."""
        old = self.old.get(name)
        if old is not None and key is not None and old[0] == key and _stamps(paths) == old[1]:
            files.note_outputs(paths)
            self.new[name] = old
            return
        for path, data in zip(paths, make(), strict=True):
            files.write_later(Path(path), data)
        if key is not None and self.path is not None:
            self.written[name] = (key, paths)
        self.dirty = True

    def joined_file(self, path: str, keys: list, make: Callable[[int], Data]) -> int:
        """Write `path` as the pieces `make(0)`, `make(1)`, ... joined, where piece i is
        made from `keys[i]`; pieces whose key was in the intact last version are copied
        from it (None: always made). Returns the file's size in bytes."""
        old = self.old.get(path)
        stamps = _stamps((path,)) if old is not None else None
        if stamps is not None and stamps != old[2]:
            stamps = None  # changed since: nothing in it is trusted
        if stamps is not None and old[0] == keys:
            files.note_outputs((path,))
            self.new[path] = old
            return stamps[0][0]
        reuse = {}
        if stamps is not None:
            last, offset = Path(path).read_bytes(), 0
            for key, length in zip(old[0], old[1], strict=True):
                reuse[key] = (offset, offset + length)
                offset += length
        pieces = []
        for index, key in enumerate(keys):
            found = reuse.get(key) if key is not None else None
            pieces.append(last[found[0] : found[1]] if found else _raw(make(index)))
        data = b"".join(pieces)
        files.write_if_changed(Path(path), data)
        if self.path is not None:
            self.new[path] = (keys, [len(p) for p in pieces], _stamps((path,)))
            self.dirty = True
        return len(data)

    def save(self) -> None:
        """Keep this build's items (only those given to the memo in this build), once
        their files are on disk."""
        if self.path is not None and (self.dirty or self.new.keys() != self.old.keys()):
            files.when_written(self._stamp_and_save)

    def _stamp_and_save(self) -> None:
        for name, (key, paths) in self.written.items():
            if (stamps := _stamps(paths)) is not None:
                self.new[name] = (key, stamps)
        buildcache.save(self.path, self.fingerprint, self.new)
