"""`invoke bench`: the synthetic archive and the report. No time is ever asserted."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest

from liveticker.bench import report
from liveticker.bench.runner import Bench
from liveticker.bench.synth import BODY_WORDS, PER_DAY, load_words, synthesize, write_archive
from liveticker.validate import check_tree
from liveticker.vocab import PROJECT_CONTENT, load_vocabulary


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, list[str]]:
    content = tmp_path_factory.mktemp("bench") / "content"
    return content, write_archive(content, 3000, seed=1)


def test_the_same_seed_gives_the_same_archive_and_a_smaller_one_is_a_prefix():
    first = [(s.rel, s.entry) for s in synthesize(400, seed=9)]
    assert first == [(s.rel, s.entry) for s in synthesize(400, seed=9)]
    small = [(s.rel, s.entry) for s in synthesize(100, seed=9)]
    full_days = [item for item in small if item[1].day != small[-1][1].day]
    assert full_days and full_days == first[: len(full_days)]
    assert first != [(s.rel, s.entry) for s in synthesize(400, seed=10)]


def test_every_synthetic_entry_passes_the_check(archive):
    content, rels = archive
    entries, problems = check_tree(content)
    assert [p for p in problems if p.is_error] == []
    assert len(entries) == len(rels) == 3000


def test_the_archive_looks_like_a_ticker(archive):
    content, _ = archive
    entries, _ = check_tree(content)
    per_day = Counter(c.entry.day for c in entries)
    full_days = sorted(per_day.values())[1:]  # the newest day may be cut short
    assert PER_DAY[0] <= min(full_days) and max(full_days) <= PER_DAY[1]
    untimed_days = {c.entry.day for c in entries if c.entry.time is None}
    assert 0 < len(untimed_days) < len(per_day) / 4
    assert all(c.entry.time is None for c in entries if c.entry.day in untimed_days)
    words = [len(re.findall(r"\w+", c.entry.body)) for c in entries]
    assert BODY_WORDS[0] <= statistics.median(words) <= BODY_WORDS[1]
    assert all(1 <= len(c.entry.topics) <= 3 and c.entry.sources for c in entries)
    vocab = load_vocabulary(PROJECT_CONTENT)
    used = Counter(t for c in entries for t in c.entry.topics)
    assert set(used) <= {t.name for t in vocab.topics} and len(used) >= 10


def test_the_vocabulary_is_zipfian_german_with_compounds_and_inflections():
    vocab = load_vocabulary(PROJECT_CONTENT)
    assert vocab  # the archive uses the project's topics and sources
    words = load_words()
    assert words.words[:3] == ("die", "der", "und")
    assert {"Angriff", "Angriffe", "Angriffen"} <= set(words.domain)
    assert "Raketenangriffe" in words.domain and "Luftabwehr" in words.domain
    assert "Regierung" in words.words and "Zeit" in words.words  # nouns capitalised


def _result(entries: int = 1000) -> dict:
    run = {
        "plain_pelican": {"wall_s": 10.0, "cpu_s": 9.5, "peak_rss_mb": 100.0,
                          "peak_tree_mb": 100.0},
        "cold_build": {"wall_s": 3.0, "cpu_s": 5.0, "peak_rss_mb": 150.0, "peak_tree_mb": 300.0},
        "no_change_rebuild": {"wall_s": 1.0, "cpu_s": 1.0, "peak_rss_mb": 90.0,
                              "peak_tree_mb": 90.0, "files_written": 0, "files_removed": 0},
        "output": {"files": 10, "bytes": 2048000, "bytes_per_entry": 2048.0},
        "machine": {"reference_s": 0.5},
    }  # fmt: skip
    meta = {"entries": entries, "cpus": 2, "load_average": (1.0, 1.0, 1.0), "commit": "abc",
            "search_index_plugin": True, "date": "2026-01-01T00:00:00"}  # fmt: skip
    return {"meta": meta, "medians": run, "runs": [run]}


def test_report_shows_ratio_rate_and_files_written(tmp_path):
    text = report.text_table(_result())
    cold = next(line for line in text.splitlines() if line.startswith("invoke build, cold"))
    assert "0.300" in cold and "333" in cold  # 3 s / 10 s; 1000 entries / 3 s
    assert "2.0 KB per entry" in text
    assert "Python reference workload 0.50 s CPU" in text
    json_path, md_path = report.write(_result(), tmp_path)
    assert json.loads(json_path.read_text())["medians"]["cold_build"]["wall_s"] == 3.0
    assert md_path.read_text().startswith("| scenario |")


def test_bench_runs_every_scenario_end_to_end(tmp_path):
    bench = Bench(40, seed=2, work=tmp_path / "work", log=lambda *_: None)
    result = bench.run(repeat=1)
    medians = result["medians"]
    assert set(medians) >= {"plain_pelican", "cold_build", "no_change_rebuild",
                            "add_one_rebuild", "edit_one_rebuild", "delete_one_rebuild",
                            "check_all", "output"}  # fmt: skip
    assert medians["no_change_rebuild"]["files_written"] == 0
    assert medians["add_one_rebuild"]["files_written"] > 0
    assert medians["delete_one_rebuild"]["files_removed"] > 0
    assert all(m["peak_rss_mb"] > 0 for k, m in medians.items() if k not in ("output", "machine"))
    assert medians["machine"]["reference_s"] > 0  # how fast the machine ran Python meanwhile


def test_report_shows_the_search_figures_or_why_they_were_skipped():
    result = _result()
    result["search"] = {
        "static_index": {"seconds": 2.5, "bytes": 3_000_000, "files": 120},
        "first_query": {"und": {"bytes": 40_960, "files": 9, "total": 900}},
        "pagefind": {"skipped": "FileNotFoundError: pagefind\nmore lines"},
    }  # fmt: skip
    text = report.text_table(result)
    assert "static search index alone: 2.5 s, 3.0 MB in 120 files" in text
    assert "up to 40 KB gzip ('und')" in text
    assert "Pagefind: skipped (FileNotFoundError: pagefind)" in text


def test_the_builds_memory_budget_is_passed_on_and_reported(tmp_path):
    assert "--max-memory" not in Bench(10, work=tmp_path).build_command()
    assert Bench(10, work=tmp_path, max_memory=0).build_command()[-2:] == ["--max-memory", "0"]
    result = _result()
    assert "memory budget the build's default (BUILD_MEMORY_MB)" in report.text_table(result)
    result["meta"]["max_memory_mb"] = 0
    assert "memory budget none (--max-memory 0)" in report.text_table(result)
    result["meta"]["max_memory_mb"] = 4000
    assert "memory budget 4,000 MB" in report.text_table(result)
