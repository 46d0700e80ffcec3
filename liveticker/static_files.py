"""Writing the browser index's files, each `<name>.js` only if its bytes changed, and
reading postings back from them.

Every file is `LivetickerSearch.receive("<name>", <JSON>);` (see `static_index`).
"""

from __future__ import annotations

import json
import os
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from liveticker.files import write_if_changed, write_now
from liveticker.static_layout import _base36, _utf16

WRITE_THREADS = 4
_PREFIX = b'LivetickerSearch.receive("'


def script_text(name: str, data: object) -> str:
    """A script that hands `data` to the search core; `<` is escaped so that no entry
    text can close a script element, U+2028/9 for old parsers."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'LivetickerSearch.receive("{name}",{body});\n'


def read_script(path: Path) -> object:
    """The data of a file written by `script_text` (ValueError if it is not one)."""
    raw = Path(path).read_bytes()
    start = raw.find(b",", len(_PREFIX))
    if not raw.startswith(_PREFIX) or start < 0 or not raw.endswith(b");\n"):
        raise ValueError(f"{path}: not a search index file")
    return json.loads(raw[start + 1 : -3])


def file_sink(folder: Path):
    """A `static_index.Sink` that writes each file at once (also in forked workers), only
    if its bytes changed (the caller records the files)."""
    folder = os.path.abspath(folder)

    def sink(name: str, data: object) -> None:
        write_now(os.path.join(folder, f"{name}.js"), script_text(name, data).encode())

    sink.in_worker = True
    return sink


def write_index(files: dict[str, object], folder: Path) -> dict:
    """Write the files as `<name>.js` under `folder`, each only if its bytes changed, and
    delete other `.js` files there. Returns {"written", "kept", "deleted", "bytes"}."""
    folder = os.path.abspath(folder)
    jobs = [(os.path.join(folder, f"{name}.js"), name, data) for name, data in files.items()]
    for subfolder in {os.path.dirname(path) for path, _, _ in jobs}:
        os.makedirs(subfolder, exist_ok=True)
    # Creating files is mostly kernel time, which threads overlap.
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        written = list(pool.map(_write, jobs, chunksize=256))
    report = {"written": sum(w for w, _ in written), "deleted": 0,
              "bytes": sum(size for _, size in written)}  # fmt: skip
    report["kept"] = len(jobs) - report["written"]
    current = {path for path, _, _ in jobs}
    for path in js_stats(folder):
        if path not in current:
            os.unlink(path)
            report["deleted"] += 1
    return report


def _write(job: tuple[str, str, object]) -> tuple[bool, int]:
    path, name, data = job
    raw = script_text(name, data).encode()
    return write_if_changed(Path(path), raw), len(raw)


def js_stats(folder: str) -> dict[str, tuple[int, int]]:
    """{path: (size, mtime_ns)} of the `.js` files under `folder`."""
    found, folders = {}, [folder]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.path)
            elif entry.name.endswith(".js"):
                stat = entry.stat()
                found[entry.path] = (stat.st_size, stat.st_mtime_ns)
    return found


class PostingsReader:
    """Reads the postings of an index's keys back from its term files (which hold every
    posting string: shards the short ones, posting files the long ones), one shard at a
    time; `tails` gives each key's last id and mask (id * 64 + mask). See
    `static_index.Postings`; the caller makes sure the files are the ones it wrote."""

    def __init__(self, folder: str, shards: dict[str, tuple], tails: dict[str, int]):
        self.folder, self.tails = folder, tails
        self.names = list(shards)
        self.firsts = [_utf16(keys[0]) for keys in shards.values()]
        self.done: set[int] = set()

    @property
    def complete(self) -> bool:
        return len(self.done) == len(self.names)

    def read(self, postings: dict, keys) -> None:
        for key in keys:
            shard = max(bisect_right(self.firsts, _utf16(key)) - 1, 0)
            if shard not in self.done and self.names:
                self._read_shard(postings, shard)

    def read_all(self, postings: dict) -> None:
        for shard in range(len(self.names)):
            if shard not in self.done:
                self._read_shard(postings, shard)

    def _read_shard(self, postings: dict, shard: int) -> None:
        self.done.add(shard)
        data = read_script(Path(self.folder, f"{self.names[shard]}.js"))
        for key, value in data.items():
            if key in postings:
                continue
            if not isinstance(value, str):
                value = read_script(Path(self.folder, f"p/{_base36(value)}.js"))
            tail = self.tails[key]
            postings[key] = [bytearray(value.encode()), tail >> 6, tail & 63]
