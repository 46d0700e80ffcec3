"""Corrections made visible: a dated note, a list, an Atom feed, links to the history.
Also the source pages (/quelle/<code>/), which list entries by agency."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from site_helpers import entry_titles, resolve_link, soup
from timeline_content import build_timeline

from liveticker.build import BuildFailed

ATOM = "{http://www.w3.org/2005/Atom}"
CORRECTED = "2025/02/09/2105-eintrag-10/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


def test_correction_note_with_date_on_day_and_entry_page(site):
    for path in ("2025/02/09/", CORRECTED):
        page = soup(site, path)
        notes = page.select(".correction-note")
        assert len(notes) == 1, path
        assert notes[0].get_text(" ", strip=True) == (
            "Korrigiert am 9. Februar 2025, 23:10 Uhr : Der Ort hieß Pokrowsk, nicht Kurachowe."
        )
        assert notes[0].time["datetime"] == "2025-02-09T23:10:00+01:00"
    assert not soup(site, "2025/01/30/").select(".correction-note")


def test_corrections_feed_and_page_list_only_corrected_entries(site):
    root = ET.parse(site / "feeds/korrekturen.atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    items = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Korrigierte Meldung"]
    assert items[0].findtext(f"{ATOM}updated") == "2025-02-09T23:10:00+01:00"
    assert "Der Ort hieß Pokrowsk" in items[0].findtext(f"{ATOM}summary")
    assert items[0].find(f"{ATOM}link").get("href") == f"http://127.0.0.1:8000/{CORRECTED}"
    page = soup(site, "korrekturen/")
    assert [h.get_text() for h in page.select(".corrections-list h2")] == ["Korrigierte Meldung"]
    feed_link = page.select_one("link[type='application/atom+xml'][title$='Korrekturen']")
    assert resolve_link(site, site / "korrekturen/index.html", feed_link["href"]).is_file()


def test_history_links_appear_only_with_a_repository_url(site, tmp_path_factory):
    assert not soup(site, CORRECTED).select(".entry-history")
    repo = "https://github.com/example/chronik"
    linked = build_timeline(tmp_path_factory, "repo", CORRECTIONS={"repository_url": repo})
    page = soup(linked, CORRECTED)
    (link,) = page.select(".entry-history a")
    assert link["href"] == f"{repo}/commits/main/content/2025/02/09/2105-eintrag-10.md"
    day = soup(linked, "2025/01/30/")
    assert len(day.select(".entry-history a")) == 4
    with pytest.raises(BuildFailed, match=r"corrections: CORRECTIONS\['repository_url'\]"):
        build_timeline(tmp_path_factory, "badrepo", CORRECTIONS={"repository_url": "github.com/x"})


def test_source_pages_list_entries_by_agency(site):
    page = soup(site, "quelle/dpa/")
    assert page.h1.get_text() == "Deutsche Presse-Agentur"
    assert entry_titles(page) == ["Korrigierte Meldung", "Abendlage", "Ohne Uhrzeit eins",
                                  "Luftalarm in Kiew", "Kurz nach Mitternacht",
                                  "Nicht derselbe Kalendertag"]  # fmt: skip
    assert [h.get_text() for h in page.select("section.day-section > h2")][:2] == [
        "Sonntag, 9. Februar 2025", "Donnerstag, 30. Januar 2025"]  # fmt: skip
    index = soup(site, "quellen/")
    counts = {
        li.h2.a.get_text(): li.select_one("p.count").get_text()
        for li in index.select(".topic-list li")
    }
    assert counts["Deutsche Presse-Agentur"] == "6 Einträge" and counts["Reuters"] == "2 Einträge"
    assert counts["Evangelischer Pressedienst"] == "0 Einträge"
    assert (site / "quelle/epd/index.html").is_file()
    entry = soup(site, "2025/01/30/").select_one("article.entry .entry-sources a")
    assert resolve_link(site, site / "2025/01/30/index.html", entry["href"]) == (
        site / "quelle/dpa/index.html")  # fmt: skip


def test_source_pages_paginate(tmp_path_factory):
    site = build_timeline(tmp_path_factory, "paged", SOURCE_PAGES={"per_page": 2})
    assert len(entry_titles(soup(site, "quelle/dpa/"))) == 2
    assert entry_titles(soup(site, "quelle/dpa/seite/1/")) == [  # the oldest entries
        "Kurz nach Mitternacht",
        "Nicht derselbe Kalendertag",
    ]
    assert len(entry_titles(soup(site, "quelle/dpa/seite/2/"))) == 2
    assert not (site / "quelle/dpa/seite/3").exists()
