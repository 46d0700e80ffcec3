"""Benchmark hooks of the search (called by `invoke bench`; never by tests with timings).

- `static_build(docs, folder)`: build + write the browser index; seconds, bytes, files.
- `first_query_bytes(index_dir, queries, page_files)`: what a fresh page load downloads
  for each query (gzip -6): the page's own files plus every index file the real core
  asks for, replayed under node with the same loader contract as the page.
- `warm_query_ms(index_dir, queries)`: per query, the time of a repeated search once the
  files are loaded (the "warm page" case).
- `whoosh_times(content)`: a Whoosh index from scratch, then the update after one file
  changed.
"""

from __future__ import annotations

import gzip
import json
import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

from liveticker import static_index, whoosh_index
from liveticker.search_docs import SearchDoc

CORE = Path(__file__).resolve().parent.parent / "theme" / "static" / "js" / "search-core.js"
ANALYSIS = CORE.with_name("search-analysis.js")
UI = CORE.with_name("search-ui.js")
DEFAULT_QUERIES = ["und", "der", "jahren", "Angriff", "Raketenangriffe", "Flüchtlinge",
                   "Selenskyj", "Saporis", '"Rotes Kreuz"', "Angriff -Drohnen",
                   "Kiew Charkiw", "thema:Nordkorea", "Verhandlungen datum:2023"]  # fmt: skip

_REPLAY = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
const [scripts, dir, mode, queriesJson] = process.argv.slice(1);
const queries = JSON.parse(queriesJson), out = {};
function fresh(loaded) {
  const ctx = vm.createContext({ TextEncoder });
  for (const file of JSON.parse(scripts)) vm.runInContext(fs.readFileSync(file, "utf8"), ctx);
  const S = ctx.LivetickerSearch;
  return new S.Engine((name) => {
    loaded.push(name);
    const file = path.join(dir, name + ".js");
    if (!fs.existsSync(file)) return S.fail(name);
    vm.runInContext(fs.readFileSync(file, "utf8"), ctx);
  });
}
(async () => {
  for (const q of queries) {
    const loaded = [], engine = fresh(loaded);
    const first = await engine.search(q, { limit: 10 });
    if (mode === "files") { out[q] = { files: loaded, total: first.total }; continue; }
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      await engine.search(q, { limit: 10 });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    times.sort((a, b) => a - b);
    out[q] = { ms: times[2], total: first.total };
  }
  process.stdout.write(JSON.stringify(out));
})();
"""


def static_build(docs: list[SearchDoc], folder: Path) -> dict:
    started = time.perf_counter()
    files = static_index.build_index(docs, procs=os.cpu_count() or 1)
    size = static_index.write_index(files, folder)["bytes"]
    peak = max(resource.getrusage(who).ru_maxrss / 1024
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # fmt: skip
    return {"seconds": time.perf_counter() - started, "bytes": size, "files": len(files),
            "process_peak_mb": peak}  # fmt: skip


def gzip_size(path: Path) -> int:
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=6))


def first_query_bytes(index_dir: Path, queries=DEFAULT_QUERIES, page_files=()) -> dict:
    """{query: {"bytes": gzip total, "files": n, "total": matches}}; `page_files` are the
    search page's HTML/CSS, counted for every query like the core and UI scripts."""
    replay = _node(index_dir, "files", queries)
    fixed = sum(gzip_size(p) for p in [ANALYSIS, CORE, UI, *page_files])
    result = {}
    for query, item in replay.items():
        index_bytes = sum(gzip_size(Path(index_dir) / f"{name}.js") for name in item["files"])
        result[query] = {"bytes": fixed + index_bytes, "files": len(item["files"]),
                         "total": item["total"]}  # fmt: skip
    return result


def warm_query_ms(index_dir: Path, queries=DEFAULT_QUERIES) -> dict:
    return _node(index_dir, "time", queries)


def whoosh_times(content: Path, folder: Path | None = None) -> dict:
    """Full index of `content`, then touch the newest file and update."""
    folder = folder or Path(content).parent / "whoosh-bench"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    whoosh_index.update(content, folder)
    full = time.perf_counter() - started
    newest = max(Path(content).rglob("*.md"))
    newest.write_text(newest.read_text(encoding="utf-8") + "\nNachtrag.\n", encoding="utf-8")
    started = time.perf_counter()
    report = whoosh_index.update(content, folder)
    return {"full_seconds": full, "update_seconds": time.perf_counter() - started,
            "updated": report.changed}  # fmt: skip


def _node(index_dir: Path, mode: str, queries) -> dict:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed to replay the browser search")
    scripts = json.dumps([str(ANALYSIS), str(CORE)])
    run = subprocess.run([node, "-e", _REPLAY, scripts, str(index_dir), mode,
                          json.dumps(list(queries))], capture_output=True, text=True,
                         check=True, timeout=600)  # fmt: skip
    return json.loads(run.stdout)
