"""Writing output files in another process while the build process makes the next ones.

Creating a file costs this machine's kernel 0.1-0.3 ms (ext4): at 100,000 entries, a
build rendering in one process (the memory budget leaves no room for helpers,
liveticker.cores) spent 43 of its 128 CPU seconds in the kernel, with a core idle. The
writer is a fresh interpreter (`python -m liveticker.file_writer`), not a fork: a fork
of the build process would keep the original of every page the build process writes
to, and multiprocessing's spawn would run the caller's main script again.

Protocol on the writer's stdin: batches of [(path, bytes)], each pickled behind its
length (8 bytes, big-endian), then a length of 0; on its stdout: the pickled list of
files.write_stat's (written, size, mtime_ns) for every file, in order, and the first
OSError met as (errno, strerror, filename) or None - files after it are not written.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

from liveticker.files import write_stat

BATCH_BYTES = 1 << 20
_LENGTH = 8


class WriterProcess:
    """files.write_stat for many files, done by another process; `results()` waits."""

    def __init__(self):
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [root, *filter(None, [os.environ.get("PYTHONPATH")])])}  # fmt: skip
        self._process = subprocess.Popen([sys.executable, "-m", "liveticker.file_writer"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         env=env)  # fmt: skip
        self._batch: list[tuple[str, bytes]] = []
        self._bytes = 0
        self._done = False  # its results were read: it ends by itself

    def write(self, path: str | Path, raw: bytes) -> None:
        self._batch.append((os.fspath(path), raw))
        self._bytes += len(raw)
        if self._bytes >= BATCH_BYTES:
            self._send()

    def results(self) -> list[tuple[bool, int, int]]:
        """(written, size, mtime_ns) of every file, in order; raises the first OSError
        a write met (naming the file) or one saying the writer ended."""
        try:
            self._send()
            self._process.stdin.write((0).to_bytes(_LENGTH, "big"))
            self._process.stdin.close()
            results, error = pickle.load(self._process.stdout)
            self._done = True
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise OSError(f"the file writer process ended unexpectedly ({exc})") from None
        finally:
            self.close()
        if error is not None:
            raise OSError(*error)
        return results

    def close(self) -> None:
        """End the process; one whose results nobody reads (a failed build) is killed."""
        if not self._done:
            self._process.kill()
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(OSError):  # a broken pipe: the process is gone
                pipe.close()

    def _send(self) -> None:
        if self._batch:
            data = pickle.dumps(self._batch, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.write(len(data).to_bytes(_LENGTH, "big") + data)
            self._batch, self._bytes = [], 0


def main() -> None:
    """In the writer process: write the batches from stdin, the results to stdout."""
    source, results, error = sys.stdin.buffer, [], None
    while length := int.from_bytes(source.read(_LENGTH), "big"):
        for path, raw in pickle.loads(source.read(length)):
            if error is None:
                try:
                    results.append(write_stat(path, raw))
                except OSError as exc:  # the rest is not written; the build fails
                    error = (exc.errno, exc.strerror, exc.filename)
    pickle.dump((results, error), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
