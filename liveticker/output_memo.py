"""Keyed output memo: a rebuild neither makes nor reads the output files of items that
did not change (issue 7; used by the citations, data_export and feeds plugins).

A plugin gives each item a key - what its output is made from, e.g. the entry file's
digest and URL - and hands the memo the paths and a function that makes the bytes.
An item is taken over from the last build only when that build made it from the same
key, with the same code, settings and vocabulary (the memo's fingerprint), and every
file it wrote is still on disk with the size and modification time written then.
Its files are then noted as this build's outputs (liveticker.files.note_outputs), so
that incremental_writer does not delete them as stale, and nothing is read or written.
Files joined from per-item pieces (one line per entry) are rebuilt together in one pass
over the items, from the unchanged pieces of their last versions and new pieces only for
items that changed (liveticker/output_join.py).

Item files are written with `write_later` and their sizes and times are taken once the
build has written them (`files.when_written`). Thousands of items (the citation files
of every entry) go through `folder_files` at once, which costs little more than one
stat() per file: a rebuild stays cheap while a file changed by hand is still made
again. The memo lives next to incremental_writer's state for the output folder;
without a build cache (no CACHE_PATH, or INCREMENTAL_WRITER["cache"] off) it remembers
nothing and only writes.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter
from pathlib import Path

from liveticker import buildcache, files
from liveticker.output_items import StampsAhead, key_columns, pack, stamp_made, take_over, unpack
from liveticker.output_join import Join, stamp
from liveticker.vocab import vocabulary_dir

Data = str | bytes


def memo_path(settings: dict, name: str) -> Path | None:
    """`<cache>/output-<output folder key>/memo-<name>.pickle`, or None without a cache."""
    cache = settings.get("CACHE_PATH")
    if not cache or not settings.get("INCREMENTAL_WRITER", {}).get("cache", True):
        return None
    output = Path(settings["OUTPUT_PATH"]).resolve()
    return buildcache.output_state_dir(cache, output) / f"memo-{name}.pickle"


def memo_fingerprint(settings: dict, *extra: str) -> str:
    """All of the project's code (hashing it is cheaper than finding what a plugin
    imports; buildcache remembers it while the files are unchanged), the settings and
    the vocabulary; `extra`: anything else the outputs depend on (package versions)."""
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


def entry_keys(context: dict) -> tuple[list[str], list]:
    """The URLs and entry_keys of the context's articles, read once per build (they are
    kept in the context): reading them off 10,000s of article objects costs more than
    anything else the memo does per entry, and several plugins need them."""
    articles = context["articles"]
    kept = context.get("entry_keys")
    if kept is None or kept[0] is not articles or len(kept[1]) != len(articles):
        urls = list(map(attrgetter("url"), articles))
        kept = context["entry_keys"] = (articles, urls, list(map(entry_key, articles, urls)))
    return kept[1], kept[2]


def _stamps(paths: Sequence[str]) -> tuple[tuple[int, int], ...] | None:
    try:
        return tuple((s.st_size, s.st_mtime_ns) for s in map(os.stat, paths))
    except FileNotFoundError:
        return None


class OutputMemo:
    """What one plugin wrote into one output folder in the last build.

    Records: {name: (key, stamps)} for `item_files`; {("folders", *names): (packed
    folders and key fields, sizes, modification times)} for `folder_files`, the arrays
    holding one value per file (-1: unknown); {path: (packed keys, where each piece
    starts and then the end, stamps)} for `joined_files`. Paths are absolute and
    normalised (os.path.abspath)."""

    def __init__(self, settings: dict, name: str, *extra: str):
        self.path = memo_path(settings, name)
        self.fingerprint = memo_fingerprint(settings, *extra) if self.path else ""
        loaded = buildcache.load(self.path, self.fingerprint) if self.path else None
        self.old: dict = loaded or {}
        self.new: dict = {}
        self.written: dict = {}  # {name: (key, paths)} given to write_later
        self.made: list = []  # folder_files: [(sizes, mtimes, paths made, items made)]
        self.ahead: dict = {}  # {folder_files tag: StampsAhead}
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

    def knows_folders(self, names: Sequence[str]) -> bool:
        """Whether the last build made folder_files `names` (else all will be made)."""
        return self.path is not None and ("folders", *names) in self.old

    def stat_ahead(self, names: Sequence[str]) -> None:
        """Start finding the sizes and times of the files `names` of the items the last
        build made (folder_files) in a helper process, for folder_files to use: the
        build goes on meanwhile (call it well before folder_files)."""
        tag = ("folders", *names)
        if (old := self.old.get(tag)) is not None and len(old[1]):
            self.ahead[tag] = StampsAhead(old[0][0], names, len(old[1]) // len(names))

    def folder_files(self, folders: list[str], keys: list, names: Sequence[str],
                     make: Callable[[int], Sequence[Data]]) -> None:  # fmt: skip
        """item_files for many items at once: item i's files are `folders[i] + name` for
        each of `names`, made by `make(i)` from `keys[i]` (tuples of as many strings
        each; None: always made) unless the last build made them in the same folder
        from the same key and they are intact (liveticker/output_items.py)."""
        tag = ("folders", *names)
        columns = [folders, *key_columns(keys)]
        packed = pack(columns)
        sizes = array("q", [-1]) * (len(folders) * len(names))
        mtimes = array("q", sizes)
        old = self.old.get(tag) if self.path is not None else None
        ahead = self.ahead.pop(tag).get() if tag in self.ahead else None
        if old is None:
            made = range(len(folders))
        elif old[0] == packed and None not in keys:
            made = take_over(folders, None, old, names, sizes, mtimes, ahead)
            if not made and sizes == old[1] and mtimes == old[2]:
                self.new[tag] = old
                return
        else:
            items = list(zip(*columns, strict=True))
            made = take_over(folders, items, old, names, sizes, mtimes, ahead)
        items = [[folders[index] + name for name in names] for index in made]
        # made when written: in a cold build by the background renderer
        for index, paths in zip(made, items, strict=True):
            files.write_later_made(paths, partial(make, index))
        if self.path is not None:
            self.new[tag] = (packed, sizes, mtimes)
            self.made.append((sizes, mtimes, [p for paths in items for p in paths], made))
            self.dirty = True

    def joined_files(self, paths: Sequence[str], keys: list, make: Callable[[int], Sequence[Data]],
                     heads: Sequence[Data] = ()) -> list[int]:  # fmt: skip
        """Write each of `paths` as its head (`heads`; made from the code and settings
        only) followed by one piece per item, all in one pass over the items: `make(i)`
        gives item i's pieces, one per path, made from `keys[i]` (None: always made).
        A file whose last version is intact and was made from the same keys is neither
        read nor written; otherwise pieces whose key was in its intact last version are
        copied from it and only the others are made. Returns the files' sizes."""
        heads = [files.as_bytes(head) for head in heads] or [b""] * len(paths)
        packed = pack(key_columns(keys))
        sizes, joins, indexes = [0] * len(paths), {}, {}
        try:
            for number, path in enumerate(paths):
                old = self.old.get(path)
                if old is not None and stamp(path) != old[2]:
                    old = None  # changed since: nothing in it is trusted
                if old is not None and old[0] == packed and None not in keys:
                    files.note_outputs((path,))
                    self.new[path], sizes[number] = old, old[1][-1]
                    continue
                if old is not None and id(old[0]) not in indexes:  # the files share keys
                    old_keys = unpack(old[0], len(old[1]) - 1)
                    indexes[id(old[0])] = {key: i for i, key in enumerate(old_keys) if key[0]}
                reuse = indexes[id(old[0])] if old is not None else {}
                joins[number] = Join(path, old and old[1], reuse, heads[number])
            for index, key in enumerate(keys):
                pieces = None
                for number, join in joins.items():
                    if key is None or not join.copy(join.reuse.get(key)):
                        pieces = pieces or make(index)
                        join.write(files.as_bytes(pieces[number]))
            for number, join in joins.items():
                stamps = join.finish()
                files.note_outputs((join.path,))
                self.new[join.path] = (packed, join.starts, stamps)
                sizes[number] = join.size
        except BaseException:
            for join in joins.values():
                join.discard()
            raise
        if joins and self.path is not None:
            self.dirty = True
        return sizes

    def save(self) -> None:
        """Keep this build's items (only those given to the memo in this build), once
        their files are on disk."""
        if self.path is not None and (self.dirty or self.new.keys() != self.old.keys()):
            files.when_written(self._stamp_and_save)

    def _stamp_and_save(self) -> None:
        for name, (key, paths) in self.written.items():
            if (stamps := _stamps(paths)) is not None:
                self.new[name] = (key, stamps)
        for sizes, mtimes, paths, made in self.made:
            stamp_made(sizes, mtimes, paths, made)
        buildcache.save(self.path, self.fingerprint, self.new)
