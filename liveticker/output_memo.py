"""Keyed output memo: a rebuild neither makes nor reads the output files of items that
did not change (issue 7; used by the citations and data_export plugins).

A plugin gives each item a key - what its output is made from, e.g. the entry file's
digest and URL - and hands the memo the paths and a function that makes the bytes.
An item is taken over from the last build only when that build made it from the same
key, with the same code, settings and vocabulary (the memo's fingerprint), and every
file it wrote is still on disk with the size and modification time written then.
Its files are then noted as this build's outputs (liveticker.files.note_outputs), so
that incremental_writer does not delete them as stale, and nothing is read or written.
Files joined from per-item pieces (one line per entry) are rebuilt together in one pass
over the items, from the unchanged pieces of their last versions and new pieces only for
items that changed. They stream through temporary files next to them, so memory does not
grow with their size, and replace them only if their bytes differ.

Item files are written with `write_later` and their sizes and times are taken once the
build has written them (`files.when_written`). The memo lives next to
incremental_writer's state for the output folder; without a build cache (no
CACHE_PATH, or INCREMENTAL_WRITER["cache"] off) it remembers nothing and only writes.
"""

from __future__ import annotations

import hashlib
import os
from array import array
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
    return buildcache.output_state_dir(cache, output) / f"memo-{name}.pickle"


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

    Records: {name: (key, stamps)} for item files, {path: (keys, where each piece
    starts and then the end, stamps, digest)} for joined files. Paths are absolute and
    normalised (os.path.abspath)."""

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

    def joined_files(self, paths: Sequence[str], keys: list, make: Callable[[int], Sequence[Data]],
                     heads: Sequence[Data] = ()) -> list[int]:  # fmt: skip
        """Write each of `paths` as its head (`heads`; made from the code and settings
        only) followed by one piece per item, all in one pass over the items: `make(i)`
        gives item i's pieces, one per path, made from `keys[i]` (None: always made).
        A file whose last version is intact and was made from the same keys is neither
        read nor written; otherwise pieces whose key was in its intact last version are
        copied from it and only the others are made. Returns the files' sizes."""
        heads = [_raw(head) for head in heads] or [b""] * len(paths)
        sizes, joins, indexes = [0] * len(paths), {}, {}
        try:
            for number, path in enumerate(paths):
                old = self.old.get(path)
                if old is not None and _stamps((path,)) != old[2]:
                    old = None  # changed since: nothing in it is trusted
                if old is not None and old[0] == keys and None not in keys:
                    files.note_outputs((path,))
                    self.new[path], sizes[number] = old, old[1][-1]
                    continue
                if old is not None and id(old[0]) not in indexes:  # the files share keys
                    indexes[id(old[0])] = {key: index for index, key in enumerate(old[0])}
                reuse = indexes[id(old[0])] if old is not None else {}
                joins[number] = _Join(path, old, reuse, heads[number])
            for index, key in enumerate(keys):
                pieces = None
                for number, join in joins.items():
                    if key is None or not join.copy(join.reuse.get(key)):
                        pieces = pieces or make(index)
                        join.write(_raw(pieces[number]))
            for number, join in joins.items():
                stamps = join.finish()
                files.note_outputs((join.path,))
                self.new[join.path] = (keys, join.starts, stamps, join.digest)
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
        buildcache.save(self.path, self.fingerprint, self.new)


CHUNK = 1 << 20  # bytes read or written at a time


class _Join:
    """One joined file being written: into a temporary file next to it, digested on the
    way; runs of pieces copied from the last version are read in chunks of CHUNK, so
    memory does not grow with the file. Record of a version: (keys, where each piece
    starts and then the end, stamps, digest)."""

    def __init__(self, path: str, old: tuple | None, reuse: dict, head: bytes):
        self.path, self.old, self.reuse = path, old, reuse  # reuse: {key: index in old}
        self.source = None  # the last version, opened on the first copy
        self.run: tuple[int, int] | None = None  # bytes of it still to copy
        self.temp = f"{path}.{os.getpid()}.tmp"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.out = open(self.temp, "wb", buffering=CHUNK)  # noqa: SIM115 - closed in finish
        self.hash = hashlib.blake2b(digest_size=16)
        self.size, self.digest = 0, ""
        self._emit(head)
        self.size = len(head)
        self.starts = array("q", [self.size])

    def write(self, piece: bytes) -> None:
        self._flush()
        self._emit(piece)
        self.size += len(piece)
        self.starts.append(self.size)

    def copy(self, index: int | None) -> bool:
        """Copy piece `index` of the last version, with the run it continues; False if
        there is none such."""
        if index is None:
            return False
        start, end = self.old[1][index], self.old[1][index + 1]
        if self.run is not None and self.run[1] == start:
            self.run = (self.run[0], end)
        else:
            self._flush()
            self.run = (start, end)
        self.size += end - start
        self.starts.append(self.size)
        return True

    def finish(self) -> tuple[tuple[int, int], ...] | None:
        """Put the file in place unless it already holds these bytes (then it keeps its
        modification time); returns its stamps."""
        self._flush()
        self.close()
        self.digest = self.hash.hexdigest()
        if self.old is not None:
            same = self.old[3] == self.digest
        else:
            same = _holds(self.path, self.size, self.digest)
        if same:
            os.unlink(self.temp)
        else:
            os.replace(self.temp, self.path)
        return _stamps((self.path,))

    def close(self) -> None:
        self.out.close()
        if self.source is not None:
            self.source.close()

    def discard(self) -> None:
        self.close()
        Path(self.temp).unlink(missing_ok=True)

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.hash.update(data)

    def _flush(self) -> None:
        if self.run is None:
            return
        if self.source is None:
            self.source = open(self.path, "rb")  # noqa: SIM115 - closed in finish
        (start, end), self.run = self.run, None
        self.source.seek(start)
        while start < end:
            chunk = self.source.read(min(CHUNK, end - start))
            if not chunk:
                raise OSError(f"{self.path} got shorter during the build")
            self._emit(chunk)
            start += len(chunk)


def _holds(path: str, size: int, digest: str) -> bool:
    """Whether the file at `path` holds `size` bytes with this digest."""
    try:
        with open(path, "rb") as file:
            if os.fstat(file.fileno()).st_size != size:
                return False
            return hashlib.file_digest(file, _hasher).hexdigest() == digest
    except FileNotFoundError:
        return False


def _hasher():
    return hashlib.blake2b(digest_size=16)
