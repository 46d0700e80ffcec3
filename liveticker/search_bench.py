"""Benchmark hooks of the search (called by `invoke bench`; never by tests with timings).

- `static_build(docs, folder)`: build + write the browser index; seconds, bytes, files.
- `first_query_bytes(index_dir, queries, page_files)`: what a fresh page load downloads
  for each query (gzip -6): the page's own files plus every index file the real core
  asks for, replayed under node with the same loader contract as the page.
- `warm_query_ms(index_dir, queries)`: per query, the time of a repeated search once the
  files are loaded (the "warm page" case).
- `whoosh_times(content)`: a Whoosh index from scratch, then the update after one file
  changed.
- `compare_with_pagefind(output_dir, queries)`: Pagefind's index time, peak memory and
  size on a built site, and for each query the bytes a fresh page load transfers and the
  warm query time, for Pagefind and for our /suche/, measured the same way in Chromium
  (needs the extra `bench`: `pip install -e '.[bench]'`).
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
from typing import ClassVar

from liveticker import cores, static_index, whoosh_index
from liveticker.search_docs import SearchDoc
from liveticker.static_files import write_index

CORE = Path(__file__).resolve().parent.parent / "theme" / "static" / "js" / "search-core.js"
ANALYSIS = CORE.with_name("search-analysis.js")
UI = CORE.with_name("search-ui.js")
DEFAULT_QUERIES = ["und", "der", "jahren", "Angriff", "Raketenangriffe", "Flüchtlinge",
                   "Selenskyj", "Saporis", '"Rotes Kreuz"', "Angriff -Drohnen",
                   "Kiew Charkiw", "thema:Nordkorea", "Verhandlungen datum:2023"]  # fmt: skip

_REPLAY = r"""
const fs = require("fs"), path = require("path"), vm = require("vm");
const [scripts, dir, mode, queriesJson, shown] = process.argv.slice(1);
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
    const first = await engine.search(q, { limit: +shown });
    if (mode === "files") { out[q] = { files: loaded, total: first.total }; continue; }
    const times = [];
    for (let i = 0; i < 5; i++) {
      const t = process.hrtime.bigint();
      await engine.search(q, { limit: +shown });
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
    files = static_index.build_index(docs, procs=cores.available())
    size = write_index(files, folder)["bytes"]
    peak = max(resource.getrusage(who).ru_maxrss / 1024
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))  # fmt: skip
    return {"seconds": time.perf_counter() - started, "bytes": size, "files": len(files),
            "process_peak_mb": peak}  # fmt: skip


def gzip_size(path: Path) -> int:
    return len(gzip.compress(Path(path).read_bytes(), compresslevel=6))


def first_query_bytes(index_dir: Path, queries=DEFAULT_QUERIES, page_files=(),
                      shown: int = 20) -> dict:  # fmt: skip
    """{query: {"bytes": gzip total, "files": n, "total": matches}} for the first `shown`
    results (the page shows 20); `page_files` are the search page's HTML/CSS, counted for
    every query like the core and UI scripts."""
    replay = _node(index_dir, "files", queries, shown)
    fixed = sum(gzip_size(p) for p in [ANALYSIS, CORE, UI, *page_files])
    result = {}
    for query, item in replay.items():
        index_bytes = sum(gzip_size(Path(index_dir) / f"{name}.js") for name in item["files"])
        result[query] = {"bytes": fixed + index_bytes, "files": len(item["files"]),
                         "total": item["total"]}  # fmt: skip
    return result


def warm_query_ms(index_dir: Path, queries=DEFAULT_QUERIES, shown: int = 20) -> dict:
    return _node(index_dir, "time", queries, shown)


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


def _node(index_dir: Path, mode: str, queries, shown: int) -> dict:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed to replay the browser search")
    scripts = json.dumps([str(ANALYSIS), str(CORE)])
    run = subprocess.run([node, "-e", _REPLAY, scripts, str(index_dir), mode,
                          json.dumps(list(queries)), str(shown)], capture_output=True, text=True,
                         check=True, timeout=600)  # fmt: skip
    return json.loads(run.stdout)


# ---- Pagefind beside our search, in Chromium (compare_with_pagefind) ----

ENTRY_GLOB = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"  # entry pages only
ENTRY_ROOT = "article.entry-single"  # what Pagefind indexes of an entry page
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULTS_SHOWN = 20  # search-ui.js shows 20 results per page
_PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>Pagefind</title>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
window.runQuery = async (text, shown) => {
  const started = performance.now();
  const found = await pagefind.search(text);
  await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
  return { ms: performance.now() - started, total: found.results.length };
};
window.benchReady = true;
</script>"""
_OUR_WARM = """async ([text, shown]) => {
  const S = window.LivetickerSearch, form = document.getElementById("search-form");
  const url = form.getAttribute("data-index"), base = url.slice(0, url.lastIndexOf("/") + 1);
  const engine = new S.Engine((name) => {
    const script = document.createElement("script");
    script.src = base + name + ".js";
    script.onerror = () => S.fail(name);
    document.head.appendChild(script);
  });
  await engine.search(text, { limit: shown });  // every file is loaded by now
  const started = performance.now();
  const found = await engine.search(text, { limit: shown });
  return { ms: performance.now() - started, total: found.total };
}"""


def compare_with_pagefind(output_dir: Path, queries=DEFAULT_QUERIES, *,
                          search_page: str = "suche/", search_folder: str = "search",
                          glob: str = ENTRY_GLOB, root_selector: str = ENTRY_ROOT,
                          shown: int = RESULTS_SHOWN, browser=None) -> dict:  # fmt: skip
    """Index the built site `output_dir` with Pagefind (bundle in a temporary folder; the
    site is not changed), then, in headless Chromium over a local HTTP server, run each
    query on a fresh page with Pagefind's JS API (results and the data of the first
    `shown`) and on our `search_page` (`?q=`), counting every response of the load and
    the first query at its gzip -6 size (Pagefind's own files are compressed already:
    the smaller of raw and gzip counts). Pagefind gets the words of each query (it has no
    exclusions or `thema:`/`quelle:`/`datum:` filters). `browser`: a Playwright Chromium
    to use (default: launch CHROMIUM with CHROMIUM_ARGS). Returns
    {"pagefind": {"index_seconds", "index_peak_mb", "index_bytes", "index_files"},
     "ours": {"index_bytes", "index_files"},
     "queries": {query: {"pagefind": {"bytes", "requests", "first_ms", "warm_ms", "total",
                                      "query"},
                         "ours": {"bytes", "search_bytes", "requests", "warm_ms", "total"}}}}."""
    import tempfile

    output_dir = Path(output_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="pagefind-bench-") as tmp:
        bundle = Path(tmp) / "pagefind"
        result = {"pagefind": pagefind_index(output_dir, bundle, glob, root_selector),
                  "ours": _folder_size(output_dir / search_folder), "queries": {}}  # fmt: skip
        (Path(tmp) / "bench").mkdir()
        (Path(tmp) / "bench" / "index.html").write_text(_PAGEFIND_PAGE, encoding="utf-8")
        extra = {"/pagefind/": bundle, "/_bench/": Path(tmp) / "bench"}
        with _Serve(output_dir, extra) as (base, path_of):
            runs = (base, path_of, list(queries), search_page, shown)
            if browser is not None:
                result["queries"] = _browser_runs(browser, *runs)
            else:
                from playwright.sync_api import sync_playwright

                with sync_playwright() as playwright:
                    own = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                    try:
                        result["queries"] = _browser_runs(own, *runs)
                    finally:
                        own.close()
    return result


def pagefind_index(site: Path, bundle: Path, glob: str = ENTRY_GLOB,
                   root_selector: str = ENTRY_ROOT) -> dict:  # fmt: skip
    """Run Pagefind (PyPI `pagefind-bin`, extra `bench`) on `site`, writing its bundle to
    `bundle`: wall seconds, peak memory of the Pagefind process, bundle size."""
    from pagefind_bin import get_executable

    args = [str(get_executable()), "--site", str(site), "--output-path", str(bundle),
            "--glob", glob, "--root-selector", root_selector, "--force-language", "de",
            "--quiet"]  # fmt: skip
    started = time.perf_counter()
    with open(os.devnull, "wb") as quiet:
        process = subprocess.Popen(args, stdout=quiet, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"pagefind failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    size = _folder_size(bundle)
    return {"index_seconds": seconds, "index_peak_mb": usage.ru_maxrss / 1024,
            "index_bytes": size["index_bytes"], "index_files": size["index_files"]}  # fmt: skip


def _folder_size(folder: Path) -> dict:
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    return {"index_bytes": sum(p.stat().st_size for p in files), "index_files": len(files)}


def _transfer_size(path: Path) -> int:
    raw = Path(path).read_bytes()
    return min(len(raw), len(gzip.compress(raw, compresslevel=6)))


def _browser_runs(browser, base: str, path_of, queries: list[str], search_page: str,
                  shown: int) -> dict:  # fmt: skip
    from urllib.parse import quote

    out: dict = {}
    for text in queries:
        words = _plain_words(text)
        with _Recording(browser, path_of) as (page, loaded):
            page.goto(f"{base}/_bench/index.html")
            page.wait_for_function("window.benchReady === true")
            first = page.evaluate("([q, n]) => runQuery(q, n)", [words, shown])
            warm = page.evaluate("([q, n]) => runQuery(q, n)", [words, shown])
            pagefind = {"query": words, "first_ms": first["ms"], "warm_ms": warm["ms"],
                        "total": first["total"], **_bytes(loaded, "/_bench/")}  # fmt: skip
        with _Recording(browser, path_of) as (page, loaded):
            page.goto(f"{base}/{search_page}?q={quote(text)}")
            page.wait_for_selector("#search-results[aria-busy='false']", state="attached")
            ours = _bytes(loaded, "")
            search = [size for url, size in loaded.items() if "/search" in url]
            ours["search_bytes"] = sum(search)  # search scripts and index files
            ours.update(page.evaluate(_OUR_WARM, [text, shown]))
            ours["warm_ms"] = ours.pop("ms")
        out[text] = {"pagefind": pagefind, "ours": ours}
    return out


def _plain_words(text: str) -> str:
    """The words of one of our queries, for Pagefind: no exclusions, no filter keys."""
    from liveticker.search_query import parse

    parsed = parse(text)
    parts = [f'"{c.text}"' if c.kind == "phrase" else c.text for c in parsed.clauses]
    return " ".join(parts) or " ".join(parsed.topics + parsed.sources)


def _bytes(loaded: dict, skip_prefix: str) -> dict:
    counted = {url: size for url, size in loaded.items()
               if not (skip_prefix and skip_prefix in url)}  # fmt: skip
    return {"bytes": sum(counted.values()), "requests": len(counted)}


class _Recording:
    """A fresh browser context (empty cache) whose finished requests are recorded as
    {url: transfer size}."""

    def __init__(self, browser, path_of):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.loaded: dict[str, int] = {}

        def finished(request):
            path = path_of(request.url)
            if path is not None and path.is_file():
                self.loaded[request.url] = _transfer_size(path)

        self.page.on("requestfinished", finished)

    def __enter__(self):
        return self.page, self.loaded

    def __exit__(self, *exc):
        self.context.close()


class _Serve:
    """A local HTTP server on 127.0.0.1 for `root`, with URL prefixes mapped to other
    folders; yields (base URL, url -> file path or None)."""

    def __init__(self, root: Path, extra: dict[str, Path]):
        import functools
        import http.server
        import threading

        mapping = dict(extra)

        def translate(url_path: str) -> Path | None:
            from urllib.parse import unquote, urlsplit

            path = unquote(urlsplit(url_path).path)
            for prefix, folder in mapping.items():
                if path.startswith(prefix):
                    return Path(folder) / path[len(prefix) :]
            target = Path(root) / path.lstrip("/")
            return target / "index.html" if target.is_dir() else target

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map: ClassVar[dict] = {
                **http.server.SimpleHTTPRequestHandler.extensions_map,
                ".wasm": "application/wasm", ".js": "text/javascript"}  # fmt: skip

            def translate_path(self, path):
                return str(translate(path))

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root))
        )
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.translate = translate

    def __enter__(self):
        self.thread.start()
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return base, lambda url: self.translate(url[len(base) :]) if url.startswith(base) else None

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
