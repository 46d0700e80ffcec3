"""`invoke search`'s engine: Whoosh in the build cache, the behaviour list, updates."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from liveticker import whoosh_index

DATA = Path(__file__).parent / "data" / "search"
BEHAVIOUR = json.loads((DATA / "behaviour.json").read_text(encoding="utf-8"))


@pytest.fixture
def corpus(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(whoosh_index, "CACHE_ROOT", tmp_path / "cache")
    folder = tmp_path / "content"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("*.json"))
    return folder


def stems_of(hits):
    return [h.url.rstrip("/").rsplit("/", 1)[1] for h in hits]


@pytest.mark.parametrize("item", BEHAVIOUR, ids=[b["query"] for b in BEHAVIOUR])
def test_behaviour_list(corpus, item):
    found = stems_of(whoosh_index.search(corpus, item["query"], limit=None))
    for stem in item.get("finds", []):
        assert stem in found
    for stem in item.get("not", []):
        assert stem not in found
    if item.get("finds") == []:
        assert found == []


def test_ranking_title_over_body_then_exact_stem_part_prefix_then_newer(corpus):
    hits = whoosh_index.search(corpus, "Angriff", limit=None)
    assert stems_of(hits) == [
        "1000-angriff-mit-drohnen-und-raketen",  # title, exact form
        "0815-drohnenangriff-auf-odessa",  # title, compound part; newer than the next
        "0700-raketenangriffe-auf-charkiw",  # title, compound part
        "1100-lage-in-saporischschja",  # body, exact form
    ]
    assert [h.score for h in hits] == [32, 20, 20, 8]
    prefix = whoosh_index.search(corpus, "Flüch", limit=None)
    assert [h.score for h in prefix] == [16, 16, 4]  # title prefix 32/2, body prefix 8/2


def test_hits_carry_what_the_cli_prints(corpus):
    hit = whoosh_index.search(corpus, "Kiew", limit=1)[0]
    assert hit.as_dict()["title"] == "Nordkoreas Soldaten in Kursk"
    assert (hit.day, hit.time) == ("2025-02-05", "08:00")
    assert (hit.topics, hit.sources) == (["Nordkorea", "Kursk"], ["ap"])
    assert "**Kiew**" in hit.snippet
    assert hit.url == "2025/02/05/0800-nordkoreas-soldaten-in-kursk/"


def test_index_lives_in_the_cache_and_updates_only_changed_entries(corpus):
    first = whoosh_index.update(corpus)
    assert first.rebuilt and first.added == 14
    assert whoosh_index.index_dir(corpus).is_relative_to(whoosh_index.CACHE_ROOT)
    assert whoosh_index.update(corpus) == whoosh_index.UpdateReport()
    changed = corpus / "2025/02/05/1300-marinebasis-kiel.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Manöver", "Seemanöver"),
                       encoding="utf-8")  # fmt: skip
    os.utime(changed, ns=(1, 1))
    (corpus / "2025/02/06/0900-rotes-tuch-fuer-den-kreml.md").unlink()
    new = corpus / "2025/02/06/1000-neuer-eintrag.md"
    new.write_text("Title: Neuer Eintrag\nDate: 2025-02-06 10:00\nTags: Europa\n\nKiel ruft.\n",
                   encoding="utf-8")  # fmt: skip
    report = whoosh_index.update(corpus)
    assert (report.added, report.changed, report.deleted, report.rebuilt) == (1, 1, 1, False)
    assert stems_of(whoosh_index.search(corpus, "Seemanöver")) == ["1300-marinebasis-kiel"]
    assert whoosh_index.search(corpus, '"rotes Tuch"') == []
    assert stems_of(whoosh_index.search(corpus, "Kiel")) == ["1300-marinebasis-kiel",
                                                            "1000-neuer-eintrag"]  # fmt: skip


def test_invalid_entry_is_skipped_until_fixed(corpus):
    bad = corpus / "2025/02/06/1100-kaputt.md"
    bad.write_text("Title: Kaputt\nDate: 2025-02-31\n\nText\n", encoding="utf-8")
    assert whoosh_index.update(corpus).invalid == 1
    assert whoosh_index.search(corpus, "Kaputt") == []


def test_other_analyzer_settings_rebuild_the_index(corpus, monkeypatch):
    whoosh_index.update(corpus)
    monkeypatch.setattr(whoosh_index, "FORMAT", whoosh_index.FORMAT + 1)
    assert whoosh_index.update(corpus).rebuilt


def test_bulk_index_in_two_processes_finds_what_one_process_finds(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(whoosh_index, "BULK_MIN_DOCS", 2)
    whoosh_index.update(corpus, tmp_path / "one", procs=1)
    report = whoosh_index.update(corpus, tmp_path / "two", procs=2)
    assert report.rebuilt and report.added == 14
    for item in BEHAVIOUR:
        one = whoosh_index.search_in(tmp_path / "one", item["query"], None)
        two = whoosh_index.search_in(tmp_path / "two", item["query"], None)
        assert [(h.url, h.score) for h in one] == [(h.url, h.score) for h in two], item["query"]


def test_phrase_checks_stop_once_the_shown_results_are_settled(corpus):
    every = whoosh_index.search(corpus, '"Rotes Kreuz" Spenden', limit=None)
    assert whoosh_index.search(corpus, '"Rotes Kreuz" Spenden', limit=1) == every[:1]
    assert stems_of(every) == ["1200-hilfe-fuer-fluechtlingslager"]
