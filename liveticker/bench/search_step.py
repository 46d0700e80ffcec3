"""The search part of `invoke bench`, using the search's own hooks (liveticker.search_bench):
the static index built alone, bytes of a first query on /suche/, and Pagefind beside it
(when `pagefind` - the extra `bench` - and Chromium are installed). Each part that cannot
run here is reported as skipped, with the reason.

Run as `python -m liveticker.bench.search_step CONTENT OUTPUT RESULT.json`, so that its
time and memory are measured like every other scenario.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path


def run(content: Path, output: Path) -> dict:
    from liveticker import search_bench
    from liveticker.search_docs import search_doc
    from liveticker.validate import check_tree

    result: dict = {}
    entries, _ = check_tree(content)
    docs = [search_doc(c.entry, c.path) for c in entries]
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        result["static_index"] = search_bench.static_build(docs, Path(tmp) / "search")
    index = output / "search"
    page_files = [output / "suche" / "index.html", output / "theme" / "css" / "site.css"]
    try:
        if shutil.which("node") is None:
            raise RuntimeError("node is not installed")
        result["first_query"] = search_bench.first_query_bytes(
            index, page_files=[p for p in page_files if p.is_file()])
    except Exception as exc:  # a hook that cannot run here is reported, not fatal
        result["first_query"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    try:
        result["pagefind"] = search_bench.compare_with_pagefind(output)
    except Exception as exc:
        result["pagefind"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    return result


def main() -> None:
    content, output, target = (Path(a) for a in sys.argv[1:4])
    Path(target).write_text(json.dumps(run(content, output), indent=1, ensure_ascii=False),
                            encoding="utf-8")  # fmt: skip


if __name__ == "__main__":
    main()
