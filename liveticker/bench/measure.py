"""Measuring one command: wall time, CPU time and peak memory, child processes included.

Peak memory is reported two ways: `peak_rss_mb`, the largest resident set of any single
process of the run (from wait4's rusage, which covers the waited-for descendants), and
`peak_tree_mb`, the largest sum of the proportional set sizes (PSS) of the whole process
tree, sampled every 50 ms from /proc: the memory the run takes from the machine, with
pages that forked workers share with the build process counted once.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
SAMPLE_SECONDS = 0.05


@dataclass
class Measurement:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    peak_tree_mb: float | None
    returncode: int
    output: str


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _pss_kb(pid: int) -> int:
    """Proportional set size: resident pages, each shared page divided among the
    processes that share it (pages shared after fork count once in a sum); the resident
    set size where the kernel does not tell."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    with contextlib.suppress(OSError, IndexError, ValueError):
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KB
    return 0


def tree_rss_kb(pid: int) -> int:
    """Memory of `pid` and all its descendants: the sum of their proportional set sizes."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        total += _pss_kb(current)
        todo.extend(tree.get(current, ()))
    return total


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> Measurement:
    """Run `command` to the end and measure it."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)  # fmt: skip
    peak = [0]
    sampling = Path("/proc").is_dir()
    done = threading.Event()

    def sample():
        while not done.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if sampling:
        sampler.start()
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if sampling:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stdout.close()
    return Measurement(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=usage.ru_maxrss / 1024,
        peak_tree_mb=peak[0] / 1024 if sampling else None,
        returncode=process.returncode,
        output=output,
    )


def reference_seconds() -> float:
    """CPU seconds of a fixed piece of plain Python (dicts, strings, integers): how fast
    the machine runs Python at the moment. Shared machines vary by half and more within
    a day; this figure tells whether two reports ran on a comparably fast machine."""
    start = time.process_time()
    table: dict[int, str] = {}
    for number in range(2_000_000):
        table[number % 1024] = str(number)
    return time.process_time() - start


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """(mtime_ns, size, inode) of every file below `folder`."""
    found = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            stat = os.stat(path)
            found[os.path.relpath(path, folder)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return found


def changes(before: dict, after: dict) -> dict[str, int]:
    """Files written (new or touched), and removed, between two snapshots."""
    written = sum(1 for name, stamp in after.items() if before.get(name) != stamp)
    return {"written": written, "removed": len(set(before) - set(after))}


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(number of files, total bytes) below `folder`."""
    files = total = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            files += 1
            total += os.stat(os.path.join(root, name)).st_size
    return files, total
