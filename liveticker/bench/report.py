"""The bench's table: printed, and written as JSON and Markdown for comparing commits."""

from __future__ import annotations

import json
from pathlib import Path

SCENARIOS = [
    ("plain_pelican", "plain Pelican (default theme, archives, tags)"),
    ("cold_build", "invoke build, cold (empty cache and output)"),
    ("no_change_rebuild", "invoke build, nothing changed"),
    ("add_one_rebuild", "invoke build, one entry added"),
    ("edit_one_rebuild", "invoke build, one entry edited"),
    ("delete_one_rebuild", "invoke build, that entry deleted again"),
    ("check_all", "invoke check, all entries"),
    ("search_bench", "search benchmark hooks (index alone, queries, Pagefind)"),
]


def _num(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def rows(result: dict) -> list[list[str]]:
    medians = result["medians"]
    entries = result["meta"]["entries"]
    plain = medians.get("plain_pelican", {}).get("wall_s")
    table = []
    for key, label in SCENARIOS:
        m = medians.get(key)
        if not m:
            continue
        ratio = f"{m['wall_s'] / plain:.3f}" if plain and key != "plain_pelican" else ""
        rate = _num(entries / m["wall_s"], 0) if key in ("plain_pelican", "cold_build") else ""
        written = m.get("files_written")
        table.append([label, _num(m["wall_s"]), ratio, rate, _num(m["cpu_s"]),
                      _num(m["peak_rss_mb"], 0), _num(m.get("peak_tree_mb"), 0),
                      "" if written is None else f"{written:.0f}"])  # fmt: skip
    return table


HEADER = ["scenario", "wall s", "× plain", "entries/s", "cpu s", "peak MB (largest process)",
          "peak MB (process tree)", "files written"]  # fmt: skip


def text_table(result: dict) -> str:
    table = [HEADER, *rows(result)]
    widths = [max(len(r[i]) for r in table) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                       enumerate(zip(row, widths, strict=True))) for row in table]  # fmt: skip
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n" + summary(result) + search_summary(result)


def _reason(part: dict) -> str:
    """The first line of why a measurement was skipped, shortened for the table."""
    return part["skipped"].splitlines()[0][:120]


def search_summary(result: dict) -> str:
    """The search's figures (static index alone, first-query bytes, Pagefind), if run."""
    search = result.get("search")
    if not search:
        return ""
    lines = []
    static = search.get("static_index", {})
    if static:
        lines.append(f"static search index alone: {static['seconds']:.1f} s, "
                     f"{static['bytes'] / 1e6:.1f} MB in {static['files']:,} files")  # fmt: skip
    first = search.get("first_query", {})
    if "skipped" in first:
        lines.append(f"first-query bytes: skipped ({_reason(first)})")
    elif first:
        worst = max(first.items(), key=lambda item: item[1]["bytes"])
        lines.append(f"first query, /suche/: up to {worst[1]['bytes'] / 1024:.0f} KB gzip "
                     f"({worst[0]!r})")  # fmt: skip
    pagefind = search.get("pagefind", {})
    if "skipped" in pagefind:
        lines.append(f"Pagefind: skipped ({_reason(pagefind)})")
    elif pagefind:
        queries = pagefind.get("queries", {})
        ours = max((q["ours"]["bytes"] for q in queries.values()), default=0)
        theirs = max((q["pagefind"]["bytes"] for q in queries.values()), default=0)
        lines.append(f"Pagefind index {pagefind['pagefind']['index_seconds']:.1f} s; first "
                     f"query up to {theirs / 1024:.0f} KB (Pagefind) vs {ours / 1024:.0f} KB "
                     "(ours), gzip")  # fmt: skip
    return "".join(f"{line}\n" for line in lines)


def _budget(megabytes: int | None) -> str:
    if megabytes is None:
        return "the build's default (BUILD_MEMORY_MB)"
    return f"{megabytes:,} MB" if megabytes else "none (--max-memory 0)"


def summary(result: dict) -> str:
    meta, out = result["meta"], result["medians"]["output"]
    machine = result["medians"].get("machine", {})
    return (f"{meta['entries']:,} entries, median of {len(result['runs'])} run(s), "
            f"{meta['cpus']} cores, load {meta['load_average']}, commit {meta['commit']}; "
            f"output {out['files']:,.0f} files, {out['bytes'] / 1e6:,.1f} MB, "
            f"{out['bytes_per_entry'] / 1024:,.1f} KB per entry; search index plugin: "
            f"{'yes' if meta['search_index_plugin'] else 'no'}; memory budget "
            f"{_budget(meta.get('max_memory_mb'))}; Python reference workload "
            f"{_num(machine.get('reference_s'))} s CPU (machine speed: compare reports "
            "only where it is about the same)\n")  # fmt: skip


def markdown_table(result: dict) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows(result)]
    return "\n".join(lines) + "\n\n" + summary(result) + search_summary(result)


def write(result: dict, folder: Path) -> tuple[Path, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"bench-{result['meta']['entries']}-{result['meta']['date'].replace(':', '')}"
    json_path, md_path = folder / f"{name}.json", folder / f"{name}.md"
    json_path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                         encoding="utf-8")  # fmt: skip
    md_path.write_text(markdown_table(result), encoding="utf-8")
    return json_path, md_path
