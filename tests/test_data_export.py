"""The archive as data: JSON Lines and CSV with one record per entry, and /daten/."""

from __future__ import annotations

import csv
import io
import json

import pytest
from site_helpers import resolve_link, soup
from timeline_content import ENTRIES, build_timeline

from liveticker import data_export
from liveticker.validate import check_tree


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


def originals(site):
    """The entries as the content files hold them, by id."""
    checked, problems = check_tree(site.parent / "content")
    assert not [p for p in problems if p.is_error]
    return {c.path.removesuffix(".md"): c.entry for c in checked}


def test_jsonl_and_csv_hold_one_record_per_entry_in_reading_order(site):
    lines = (site / "daten/eintraege.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(ENTRIES)
    assert [list(r) for r in records] == [list(data_export.FIELD_NAMES)] * len(records)
    raw = (site / "daten/eintraege.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert [r["date"] for r in records][:3] == ["2025-02-09", "2025-02-09", "2025-01-30"]
    assert [r["time"] for r in records][:2] == ["21:05", "06:00"]
    untimed = next(r for r in records if r["title"] == "Ohne Uhrzeit eins")
    assert untimed["time"] is None and untimed["datetime"] is None
    assert next(r for r in rows if r["title"] == "Ohne Uhrzeit eins")["time"] == ""


def test_every_field_matches_the_entry_file(site):
    files = originals(site)
    records = data_export.read_jsonl((site / "daten/eintraege.jsonl").read_text("utf-8"))
    corrected = next(r for r in records if r["title"] == "Korrigierte Meldung")
    assert corrected["datetime"] == "2025-02-09T21:05:00+01:00"
    assert corrected["updated"] == "2025-02-09T23:10:00+01:00"
    assert corrected["correction"] == "Der Ort hieß Pokrowsk, nicht Kurachowe."
    assert corrected["topics"] == ["USA", "Diplomatie"] and corrected["sources"] == ["ap", "dpa"]
    assert "[Bericht](https://example.org/bericht?a=1&b=2)" in corrected["body_markdown"]
    assert corrected["body_text"] == (
        "Ein Bericht mit Nachdruck, 50 % & mehr.\n\n"
        "Zweiter Absatz mit „Zitat“ und Sternchen * als Text.")  # fmt: skip
    assert corrected["url"] == f"http://127.0.0.1:8000/{corrected['id']}/"
    assert (site / corrected["id"] / "index.html").is_file()
    night = next(r for r in records if r["title"] == "Kurz nach Mitternacht")
    assert night["datetime"] == "2025-01-13T00:30:00+01:00"
    assert set(files) == {r["id"] for r in records}


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_records_read_back_into_the_same_entries(site, kind):
    text = (site / f"daten/eintraege.{kind}").read_text(encoding="utf-8")
    records = data_export.read_jsonl(text) if kind == "jsonl" else data_export.read_csv(text)
    files = originals(site)
    for rec in records:
        assert data_export.entry_from_record(rec) == files[rec["id"]], rec["id"]


def test_plain_text_keeps_paragraphs_and_drops_markup():
    html = "<p>Ein <a href='x'>Link</a> und <b>fett</b>.</p><ul><li>eins</li><li>zwei</li></ul>"
    assert data_export.plain_text(html) == "Ein Link und fett.\n\neins\n\nzwei"
    assert data_export.plain_text("<p>&lt;Fortsetzung folgt&gt;</p>") == "<Fortsetzung folgt>"


def test_data_page_documents_schema_counts_licence_and_links(site):
    page = soup(site, "daten/")
    assert page.h1.get_text() == "Das Archiv als Daten"
    terms = [d.get_text() for d in page.select(".data-counts dt")]
    values = [d.get_text(" ", strip=True) for d in page.select(".data-counts dd")]
    counts = dict(zip(terms, values, strict=True))
    assert counts["Einträge"] == "12" and counts["davon mit Uhrzeit"] == "9"
    assert counts["davon korrigiert"] == "1"
    assert counts["Tage"] == "7, vom 9. Februar 2023 bis zum 9. Februar 2025"
    fields = [th.get_text() for th in page.select(".data-schema tbody th")]
    assert fields == list(data_export.FIELD_NAMES)
    links = {a.get_text(): a["href"] for a in page.select(".downloads a")}
    for name in ("eintraege.jsonl", "eintraege.csv"):
        target = resolve_link(site, site / "daten/index.html", links[name])
        assert target == site / "daten" / name and target.is_file()
    assert (
        "urheberrechtlich geschützt" in page.select_one("#lizenz").find_parent("section").get_text()
    )


def test_licence_setting_replaces_the_note(tmp_path_factory):
    site = build_timeline(tmp_path_factory, "licence", DATA_EXPORT={"licence": "Alles CC BY 4.0."})
    assert "Alles CC BY 4.0." in soup(site, "daten/").get_text()
