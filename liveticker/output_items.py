"""What liveticker/output_memo.py does per item, kept cheap for 10,000s of items (issue 7).

A rebuild checks every entry's citation files (a file changed by hand is made again),
so the memo's cost per item is what remains of a build where nothing changed. Here it
is one stat() per file and a few operations on whole lists, strings and arrays:

- Keys are stored as columns, one string per key field joined by NUL (no path, URL or
  digest holds one): loading, comparing and saving 10,000 keys is then a few string
  operations instead of 10,000s of objects. They are split into items only when the
  items differ from the last build's.
- Between two builds most items keep their place in the order except for a few added,
  changed or removed ones: the items before and after those are checked in two runs,
  a stat() per file and then whole arrays of sizes and modification times compared.
- The stat() calls (20,000 at 10,000 entries, 0.07-0.2 s of system time here) can run
  in a helper process (`StampsAhead`) started when the plugin's context is made, while
  the build goes on with other work; the build only reads its result.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from array import array
from collections.abc import Sequence

from liveticker import files

SEP = "\0"


def key_columns(keys: list) -> list[tuple[str, ...]]:
    """`keys` (tuples of as many strings each, the first never empty; None: no key) as
    columns of their fields; a key None gives empty strings."""
    if None in keys:
        width = next((len(key) for key in keys if key is not None), 1)
        keys = [("",) * width if key is None else key for key in keys]
    return list(zip(*keys, strict=True))


def pack(columns: Sequence[Sequence[str]]) -> tuple[str, ...]:
    return tuple(SEP.join(column) for column in columns)


def unpack(packed: tuple[str, ...], count: int) -> list[tuple[str, ...]]:
    """Packed columns of `count` items -> the items (a tuple of fields each)."""
    return list(zip(*(column.split(SEP) for column in packed), strict=True)) if count else []


def take_over(folders: list[str], items: list | None, old: tuple, names: Sequence[str],
              sizes: array, mtimes: array, ahead: tuple | None = None) -> list[int]:  # fmt: skip
    """Note the intact files of the items of `old` (a folder_files record: packed items,
    sizes, modification times) as current outputs and put their stamps into `sizes` and
    `mtimes`; returns the indexes of the other items. `items`: (folder, *key fields)
    each, or None if they are those of `old` in the same order. `ahead`: the current
    sizes and modification times of the files of `old`'s items, if already known."""
    _, old_sizes, old_mtimes = old
    count = len(names)
    if items is None:
        runs, made = [(0, len(folders), 0)], []
    else:
        runs, made = _runs(items, unpack(old[0], len(old_sizes) // count))
    for first, stop, old_first in runs:
        if first == stop:
            continue
        paths = [folders[i] + name for i in range(first, stop) for name in names]
        new, was = _span(first, count, stop - first), _span(old_first, count, stop - first)
        found = (ahead[0][was], ahead[1][was]) if ahead else stamp_arrays(paths)
        sizes[new], mtimes[new] = found
        if found == (old_sizes[was], old_mtimes[was]):
            files.note_outputs(paths)
            continue
        for i in range(first, stop):
            new, was = _span(i, count), _span(old_first + i - first, count)
            if sizes[new] == old_sizes[was] and mtimes[new] == old_mtimes[was]:
                files.note_outputs(paths[_span(i - first, count)])
            else:
                sizes[new] = mtimes[new] = array("q", [-1]) * count
                made.append(i)
    return sorted(made)


def _runs(items: list, old_items: list) -> tuple[list[tuple[int, int, int]], list[int]]:
    """(first, stop, first in the last build) of runs of items that were consecutive
    items of the last build, and the indexes of the items that were not in it."""
    start = _same_start(items, old_items)
    end = len(items) - _same_start(items[start:][::-1], old_items[start:][::-1])
    old_end = len(old_items) - (len(items) - end)
    runs = [(0, start, 0), (end, len(items), old_end)]
    index = {item: i for i, item in enumerate(old_items[start:old_end], start) if item[1]}
    made = []
    for i in range(start, end):
        if (j := index.get(items[i])) is None:
            made.append(i)
        else:
            runs.append((i, i + 1, j))
    return runs, made


def stamp_made(sizes: array, mtimes: array, paths: list[str], made: Sequence[int]) -> None:
    """Put the stamps of `paths`, the files of the items `made` (as many each), into
    `sizes` and `mtimes` at those items' places."""
    found_sizes, found_mtimes = stamp_arrays(paths)
    if len(paths) == len(sizes):
        sizes[:], mtimes[:] = found_sizes, found_mtimes
        return
    count = len(paths) // len(made) if made else 0
    for number, index in enumerate(made):
        new, got = _span(index, count), _span(number, count)
        sizes[new], mtimes[new] = found_sizes[got], found_mtimes[got]


def _span(index: int, count: int, items: int = 1) -> slice:
    """Where the values of `items` items from `index` on are, `count` values per item."""
    return slice(index * count, (index + items) * count)


def _same_start(new: Sequence, old: Sequence) -> int:
    """How many leading items `new` and `old` share (an item without key ends it)."""
    count = 0
    for a, b in zip(new, old, strict=False):
        if a != b or not a[1]:
            break
        count += 1
    return count


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def stamp_arrays(paths: list[str]) -> tuple[array, array]:
    """The sizes and modification times (ns) of `paths`, -1 for a missing file."""
    try:
        stats = list(map(os.stat, paths))
    except OSError:
        found = list(map(_stat, paths))
        return (array("q", [s.st_size if s else -1 for s in found]),
                array("q", [s.st_mtime_ns if s else -1 for s in found]))  # fmt: skip
    return array("q", [s.st_size for s in stats]), array("q", [s.st_mtime_ns for s in stats])


# The helper: reads the file names, a newline and the folders (NUL between them) from
# stdin, writes size and modification time of each file (folder by folder) as int64s.
_HELPER = """
import os, sys
from array import array
names, _, folders = os.fsdecode(sys.stdin.buffer.read()).partition("\\n")
names, stamps = names.split("\\0"), array("q")
for folder in folders.split("\\0"):
    for name in names:
        try:
            stat = os.stat(folder + name)
        except OSError:
            stamps.extend((-1, -1))
        else:
            stamps.extend((stat.st_size, stat.st_mtime_ns))
sys.stdout.buffer.write(stamps.tobytes())
"""


class StampsAhead:
    """The sizes and modification times of the files `folder + name` (for each of the
    NUL-joined `folders`, each of `names`), found by a helper process started now."""

    def __init__(self, folders: str, names: Sequence[str], count: int):
        self.count, self.process = count * len(names), None
        self.result = tempfile.TemporaryFile()  # noqa: SIM115 - closed in get
        try:
            with tempfile.TemporaryFile() as source:
                source.write(os.fsencode(SEP.join(names) + "\n" + folders))
                source.seek(0)
                self.process = subprocess.Popen([sys.executable, "-I", "-S", "-c", _HELPER],
                                                stdin=source, stdout=self.result)  # fmt: skip
        except OSError:
            pass

    def get(self) -> tuple[array, array] | None:
        """(sizes, modification times), -1 for a missing file; None if the helper failed
        (the caller then stat()s the files itself)."""
        with self.result:
            if self.process is None or self.process.wait() != 0:
                return None
            self.result.seek(0)
            found = array("q")
            found.frombytes(self.result.read())
        return (found[0::2], found[1::2]) if len(found) == 2 * self.count else None
