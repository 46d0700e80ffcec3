"""`invoke bench`: the scenarios, run on one synthetic archive, repeated, as medians.

Every scenario runs as its own process exactly as a user would start it (`python -m
pelican` for the baseline, `invoke build`/`invoke check` for ours), so interpreter
start-up and imports are part of every figure.
"""

from __future__ import annotations

import compileall
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from liveticker.entry_file import format_entry

from . import baseline, measure
from .synth import extra_entry, write_archive

ROOT = Path(__file__).resolve().parents[2]
SEARCH_PLUGIN = ROOT / "plugins" / "search_index"


def invoke(*args: str) -> list[str]:
    return [sys.executable, "-m", "invoke", "-r", str(ROOT), *args]


def _edit(path: Path) -> str:
    """Change one word of an entry's body; returns the original text."""
    original = path.read_text(encoding="utf-8")
    path.write_text(original.rstrip("\n") + " Aktualisiert.\n", encoding="utf-8")
    return original


class Bench:
    def __init__(self, entries: int, seed: int = 1, work: Path | None = None,
                 with_baseline: bool = True, with_search: bool = False, log=print,
                 max_memory: int | None = None):  # fmt: skip
        self.entries, self.seed, self.log = entries, seed, log
        self.max_memory = max_memory  # the builds' --max-memory (None: their default)
        self.with_baseline, self.with_search = with_baseline, with_search
        self.search: dict | None = None
        self.work = Path(work or tempfile.mkdtemp(prefix="chronik-bench-"))
        self.content = self.work / "content"
        self.output = self.work / "output"
        self.cache = self.work / "cache"
        self.plain_output = self.work / "plain-output"

    def prepare(self) -> float:
        # as pip does for installed packages: otherwise, where PYTHONDONTWRITEBYTECODE
        # is set, every measured build compiles the project's modules again (~0.2 s),
        # which Pelican's own (installed, compiled) modules never do
        for folder in ("liveticker", "plugins"):
            compileall.compile_dir(ROOT / folder, quiet=1)
        compileall.compile_file(ROOT / "tasks.py", quiet=1)
        self.log(f"writing a synthetic archive of {self.entries:,} entries to {self.content}")
        start = dt.datetime.now()
        self.archive = write_archive(self.content, self.entries, self.seed)
        self.plain_settings = baseline.write_settings(self.work, self.content)
        return (dt.datetime.now() - start).total_seconds()

    def _measure(self, name: str, command: list[str], results: dict, watch: Path | None = None):
        before = measure.snapshot(watch) if watch else None
        m = measure.run(command, cwd=self.work)
        if m.returncode != 0:
            raise RuntimeError(f"{name} failed ({m.returncode}):\n{m.output[-4000:]}")
        row = {"wall_s": m.wall_s, "cpu_s": m.cpu_s, "peak_rss_mb": m.peak_rss_mb,
               "peak_tree_mb": m.peak_tree_mb}  # fmt: skip
        if before is not None:
            delta = measure.changes(before, measure.snapshot(watch))
            row.update(files_written=delta["written"], files_removed=delta["removed"])
        results[name] = row
        self.log(f"  {name:28s} {m.wall_s:8.2f} s wall {m.cpu_s:8.2f} s cpu "
                 f"{m.peak_rss_mb:7.0f} MB" + (f"  {row.get('files_written')} files written"
                                               if before is not None else ""))  # fmt: skip

    def build_command(self) -> list[str]:
        budget = [] if self.max_memory is None else ["--max-memory", str(self.max_memory)]
        return invoke("build", "--content", str(self.content), "--output", str(self.output),
                      "--cache", str(self.cache), *budget)  # fmt: skip

    def _set_aside(self, folder: Path) -> None:
        """Move the folder of an earlier run out of the way instead of deleting it: a
        file system that has just deleted tens of thousands of files creates new ones
        slowly for a while (ext4 skips recently freed inodes), which would slow down
        whichever build runs next. cleanup() deletes everything at the end."""
        if folder.exists():
            trash = self.work / "set-aside"
            trash.mkdir(exist_ok=True)
            folder.rename(trash / f"{folder.name}-{len(list(trash.iterdir()))}")

    def run_once(self) -> dict:
        results: dict = {"machine": {"reference_s": measure.reference_seconds()}}
        if self.with_baseline:
            self._set_aside(self.plain_output)
            self._measure("plain_pelican", baseline.command(
                self.content, self.plain_output, self.plain_settings), results)  # fmt: skip
        for folder in (self.output, self.cache):
            self._set_aside(folder)
        build = self.build_command()
        self._measure("cold_build", build, results)
        files, size = measure.folder_bytes(self.output)
        results["output"] = {"files": files, "bytes": size, "bytes_per_entry": size / self.entries}
        if self.with_search and self.search is None:
            self.search = self.run_search(results)
        self._measure("no_change_rebuild", build, results, self.output)
        extra = extra_entry(self.archive, self.seed)
        extra_path = self.content / extra.rel
        extra_path.write_text(format_entry(extra.entry), encoding="utf-8")
        self._measure("add_one_rebuild", build, results, self.output)
        edited = self.content / self.archive[len(self.archive) // 2]
        original = _edit(edited)
        self._measure("edit_one_rebuild", build, results, self.output)
        extra_path.unlink()
        self._measure("delete_one_rebuild", build, results, self.output)
        edited.write_text(original, encoding="utf-8")
        self._measure("check_all", invoke("check", "--content", str(self.content)), results)
        return results

    def run_search(self, results: dict) -> dict:
        """Once, on the cold build's output: the search's own benchmark hooks."""
        target = self.work / "search.json"
        command = [sys.executable, "-m", "liveticker.bench.search_step", str(self.content),
                   str(self.output), str(target)]  # fmt: skip
        self._measure("search_bench", command, results)
        return json.loads(target.read_text(encoding="utf-8"))

    def run(self, repeat: int) -> dict:
        generation = self.prepare()
        runs = []
        for number in range(1, repeat + 1):
            self.log(f"run {number} of {repeat}")
            runs.append(self.run_once())
        result = {"meta": self.meta(generation), "medians": medians(runs), "runs": runs}
        if self.search is not None:
            result["search"] = self.search
        return result

    def meta(self, generation_s: float) -> dict:
        import pelican

        try:
            commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                    capture_output=True, text=True).stdout.strip()  # fmt: skip
        except OSError:
            commit = ""
        return {
            "entries": self.entries, "seed": self.seed, "commit": commit,
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "pelican": pelican.__version__, "python": platform.python_version(),
            "cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "search_index_plugin": SEARCH_PLUGIN.is_dir(),
            "max_memory_mb": self.max_memory,
            "archive_generation_s": generation_s,
        }  # fmt: skip

    def cleanup(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def medians(runs: list[dict]) -> dict:
    out: dict = {}
    for name in {name for run in runs for name in run}:
        if name not in runs[0]:
            continue
        out[name] = {}
        for metric in runs[0][name]:
            values = [run[name][metric] for run in runs if run[name].get(metric) is not None]
            out[name][metric] = statistics.median(values) if values else None
    return out
