"""What `invoke search` and `invoke index` print (the tasks only pass their options here)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from liveticker import whoosh_index
from liveticker.search_query import parse


def run_index(content: Path, out=sys.stdout) -> None:
    started = time.perf_counter()
    report = whoosh_index.update(content)
    what = "created" if report.rebuilt else "updated"
    print(f"Search index {what} in {time.perf_counter() - started:.1f} s: "
          f"{report.added} new, {report.changed} changed, {report.deleted} deleted"
          + (f", {report.invalid} invalid (see `invoke check`)" if report.invalid else "")
          + f" -> {whoosh_index.index_dir(content)}", file=out)  # fmt: skip


def run_search(content: Path, text: str, as_json: bool = False, limit: int = 20,
               out=sys.stdout) -> int:  # fmt: skip
    """Print the results; returns the number printed (the task exits 1 on none)."""
    errors = parse(text).errors
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 0
    hits = whoosh_index.search(content, text, limit=limit or None)
    if as_json:
        print(json.dumps([h.as_dict() for h in hits], ensure_ascii=False, indent=2), file=out)
        return len(hits)
    if not hits:
        print(f"Keine Treffer für {text!r}.", file=out)
    for hit in hits:
        meta = " · ".join(p for p in (f"{hit.day} {hit.time}".strip(), ", ".join(hit.topics),
                                     ", ".join(hit.sources)) if p)  # fmt: skip
        print(f"{hit.title}\n  {meta}\n  /{hit.url}\n  {hit.snippet}\n", file=out)
    return len(hits)
