"""Writing output files so that unchanged files keep their bytes and modification time."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

Made = Callable[[], Sequence[str | bytes]]  # makes the contents of some files, in order
_recorded: set[str] | None = None
_deferred: list[tuple[Path, bytes] | tuple[tuple[str, ...], Made]] | None = None
_waiting: list[Callable[[], None]] | None = None  # for the deferred files to be written
_deferred_bytes = 0
DEFER_LIMIT = 512 * 1024 * 1024  # beyond this, deferred writes happen at once again


def record_outputs() -> set[str]:
    """From now on, note the absolute path of every file passed to write_if_changed
    (written or already up to date) in the returned set; the build uses it to tell
    current output files from stale ones."""
    global _recorded
    _recorded = set()
    return _recorded


def recorded_outputs() -> set[str]:
    """The set record_outputs returned for this build (a new one if none was started)."""
    return _recorded if _recorded is not None else record_outputs()


def note_outputs(paths) -> None:
    """Record absolute `paths` as current outputs without writing them (a generator that
    knows its files are unchanged)."""
    if _recorded is not None:
        _recorded.update(paths)


def defer_writes() -> list:
    """From now on, collect the files given to write_later and write_later_made in the
    returned list instead of writing them (the build writes them with `write_deferred`:
    in the background renderer after the entry pages, or at its end on all cores)."""
    global _deferred, _deferred_bytes, _waiting
    _deferred, _deferred_bytes, _waiting = [], 0, []
    return _deferred


def deferred_writes() -> list:
    """The list defer_writes returned for this build (a new one if none was started)."""
    return _deferred if _deferred is not None else defer_writes()


def stop_deferring() -> None:
    global _deferred
    _deferred = None


def end_build() -> None:
    """A build is over, also one that failed: nothing is recorded or deferred any more."""
    global _recorded, _deferred, _waiting
    _recorded = _deferred = _waiting = None


def when_written(callback: Callable[[], None]) -> None:
    """Call `callback()` once the files given to write_later so far are on disk: at once
    if writes are not deferred, else when the build has written them."""
    if _waiting is None:
        callback()
    else:
        _waiting.append(callback)


def deferred_written() -> None:
    """The build has written the deferred files (called by it after `stop_deferring`)."""
    global _waiting
    callbacks, _waiting = _waiting or [], None
    for callback in callbacks:
        callback()


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write `data` unless the file already holds exactly it. Returns True if written."""
    raw = as_bytes(data)
    path = Path(path)
    if _recorded is not None:
        _recorded.add(os.path.abspath(path))
    return write_now(path, raw)


def write_later(path: Path, data: str | bytes) -> None:
    """write_if_changed for many small files nobody reads back during the build: while
    the build defers writes (incremental_writer), they are written at its end in
    parallel with the pages; otherwise at once."""
    global _deferred_bytes
    raw = as_bytes(data)
    if _deferred is None or _deferred_bytes + len(raw) > DEFER_LIMIT:
        write_if_changed(path, raw)
        return
    path = Path(path)
    if _recorded is not None:
        _recorded.add(os.path.abspath(path))
    _deferred.append((path, raw))
    _deferred_bytes += len(raw)


def write_later_made(paths: Sequence[str], make: Made) -> None:
    """write_later for files whose contents `make()` makes only when they are written
    (by whichever process writes them: the maker, e.g. a citation, is cheap to queue)."""
    if _deferred is None:
        for path, data in zip(paths, make(), strict=True):
            write_if_changed(Path(path), data)
        return
    if _recorded is not None:
        _recorded.update(map(os.path.abspath, paths))
    _deferred.append((tuple(paths), make))


def write_deferred(job: tuple) -> tuple[int, int]:
    """Write one item of the defer_writes list: (files written, files) of it."""
    made = [write_now(path, raw) for path, raw in deferred_files(job)]
    return sum(made), len(made)


def deferred_files(job: tuple) -> list[tuple[str | Path, bytes]]:
    """The files of one item of the defer_writes list, made: [(path, bytes)]."""
    target, data = job
    if not callable(data):
        return [(target, data)]
    return [(path, as_bytes(d)) for path, d in zip(target, data(), strict=True)]


def as_bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_now(path: str | Path, raw: bytes) -> bool:
    """Write `raw` unless the file holds exactly it; True if written."""
    return write_stat(path, raw)[0]


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_OVER = os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_stat(path: str | Path, raw: bytes) -> tuple[bool, int, int]:
    """write_now, returning (written, size, mtime_ns) of the file as it is now.

    Plain os calls: a cold build creates 3 files per entry (30,000 at 10,000 entries),
    and creating one with an exclusive open costs a quarter of pathlib's stat, mkdir
    and write_bytes (measured 0.025 vs 0.1 ms per file)."""
    path = os.fspath(path)
    try:
        fd = os.open(path, _NEW, 0o666)
    except FileNotFoundError:  # its folder is missing
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, _NEW, 0o666)
    except FileExistsError:
        stat = os.stat(path)
        if stat.st_size == len(raw):
            with open(path, "rb") as file:
                if file.read() == raw:
                    return False, stat.st_size, stat.st_mtime_ns
        fd = os.open(path, _OVER)
    try:
        view = memoryview(raw)
        while view:
            view = view[os.write(fd, view) :]
        stat = os.fstat(fd)
    finally:
        os.close(fd)
    return True, stat.st_size, stat.st_mtime_ns
