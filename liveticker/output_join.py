"""One file joined from per-item pieces, written anew from its last version (issue 7;
liveticker/output_memo.py `joined_files`, the data export's one line per entry).

The new version streams into a temporary file next to the old one: new pieces are
written, unchanged ones copied from the last version, consecutive ones as one run read
in chunks of CHUNK, so memory does not grow with the file. It replaces the old file
only if their bytes differ, so an unchanged file keeps its modification time. Whether
they differ is known on the way without hashing tens of MB: the last version is intact
(the memo checked its size and time), so the new one is the same exactly when every
piece lands where it was and every new piece equals the bytes it lands on. Without a
last version to trust, the files are compared once written.
"""

from __future__ import annotations

import os
from array import array
from pathlib import Path

CHUNK = 1 << 20  # bytes read or written at a time


def stamp(path: str) -> tuple[int, int] | None:
    """The size and modification time (ns) of the file at `path`, None if missing."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


class Join:
    """One joined file being written. `starts`: where each piece of the last version
    starts and then its end (None: no intact last version); `reuse`: {key: index of its
    piece in the last version}."""

    def __init__(self, path: str, starts: array | None, reuse: dict, head: bytes):
        self.path, self.old, self.reuse = path, starts, reuse
        self.source = None  # the last version, opened on the first copy or comparison
        self.run: tuple[int, int] | None = None  # bytes of it still to copy
        self.same = starts is not None and starts[0] == len(head)  # as the last version
        self.temp = f"{path}.{os.getpid()}.tmp"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.out = open(self.temp, "wb", buffering=CHUNK)  # noqa: SIM115 - closed in finish
        self.out.write(head)
        self.size = len(head)
        self.starts = array("q", [self.size])

    def write(self, piece: bytes) -> None:
        self._flush()
        if self.same:
            self.same = self._read(self.size, len(piece)) == piece
        self.out.write(piece)
        self.size += len(piece)
        self.starts.append(self.size)

    def copy(self, index: int | None) -> bool:
        """Copy piece `index` of the last version, with the run it continues; False if
        there is none such."""
        if index is None:
            return False
        start, end = self.old[index], self.old[index + 1]
        self.same = self.same and start == self.size
        if self.run is not None and self.run[1] == start:
            self.run = (self.run[0], end)
        else:
            self._flush()
            self.run = (start, end)
        self.size += end - start
        self.starts.append(self.size)
        return True

    def finish(self) -> tuple[int, int] | None:
        """Put the file in place unless it already holds these bytes (then it keeps its
        modification time); returns its stamp."""
        self._flush()
        self.close()
        if self.old is not None:
            same = self.same and self.size == self.old[-1]
        else:
            same = _same_bytes(self.temp, self.path)
        if same:
            os.unlink(self.temp)
        else:
            os.replace(self.temp, self.path)
        return stamp(self.path)

    def close(self) -> None:
        self.out.close()
        if self.source is not None:
            self.source.close()

    def discard(self) -> None:
        self.close()
        Path(self.temp).unlink(missing_ok=True)

    def _read(self, start: int, size: int) -> bytes:
        if self.source is None:
            self.source = open(self.path, "rb")  # noqa: SIM115 - closed in finish
        self.source.seek(start)
        return self.source.read(size)

    def _flush(self) -> None:
        if self.run is None:
            return
        (start, end), self.run = self.run, None
        while start < end:
            chunk = self._read(start, min(CHUNK, end - start))
            if not chunk:
                raise OSError(f"{self.path} got shorter during the build")
            self.out.write(chunk)
            start += len(chunk)


def _same_bytes(path: str, other: str) -> bool:
    """Whether the files at `path` and `other` hold the same bytes."""
    try:
        with open(path, "rb") as first, open(other, "rb") as second:
            if os.fstat(first.fileno()).st_size != os.fstat(second.fileno()).st_size:
                return False
            while chunk := first.read(CHUNK):
                if chunk != second.read(CHUNK):
                    return False
            return True
    except FileNotFoundError:
        return False
