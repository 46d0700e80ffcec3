"""The search page in real Chromium, over HTTP and from file://, on a real build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pelican.settings import read_settings
from playwright.sync_api import expect

from liveticker.build import DEV_SETTINGS

DATA = Path(__file__).parent / "data" / "search"
_SITE_PLUGINS = read_settings(str(DEV_SETTINGS))["PLUGINS"]
PLUGINS = [p for p in _SITE_PLUGINS if p != "search_index"] + ["search_index"]


@pytest.fixture
def search_site(build_site) -> Path:
    return build_site(DATA, PLUGINS=PLUGINS)


def test_build_writes_index_and_search_page(search_site):
    manifest = (search_site / "search" / "manifest.js").read_text(encoding="utf-8")
    assert manifest.startswith('LivetickerSearch.receive("manifest",')
    data = json.loads(manifest.split(",", 1)[1].rsplit(");", 1)[0])
    assert data["docs"] == 14
    page = (search_site / "suche" / "index.html").read_text(encoding="utf-8")
    assert '<ol id="search-results" class="search-results" aria-busy="true"' in page
    assert "<script>" not in page  # CSP script-src 'self': no inline script
    assert (search_site / "theme" / "js" / "search-core.js").is_file()


def _search_and_follow(page, start_url: str, file_mode: bool) -> None:
    page.goto(start_url)
    results = page.locator("#search-results")
    expect(results).to_have_attribute("aria-busy", "false")
    page.locator("#search-input").fill("Fluechtlinge")
    expect(results.locator("li")).to_have_count(3)
    expect(results).to_have_attribute("aria-busy", "false")
    assert "q=Fluechtlinge" in page.url
    marks = page.locator("#search-results li mark").all_inner_texts()
    assert "Flüchtlinge" in marks  # umlaut match highlighted
    first = page.locator("#search-results li").first
    assert first.locator("time").count() == 1
    assert "Humanitäre Lage" in first.inner_text()
    page.locator("#search-input").fill("Angriff -Drohnen")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^2 Treffer"))
    titles = page.locator("#search-results li h2 a").all_inner_texts()
    assert titles == ["Raketenangriffe auf Charkiw", "Lage in Saporischschja angespannt"]
    first_marks = page.locator("#search-results li").first.locator("mark").all_inner_texts()
    assert "Raketenangriffe" in first_marks
    page.get_by_role("link", name="Raketenangriffe auf Charkiw").click()
    suffix = "index.html" if file_mode else ""
    page.wait_for_url(re.compile(rf".*/2025/02/03/0700-raketenangriffe-auf-charkiw/{suffix}$"))
    assert page.locator("h1").inner_text() == "Raketenangriffe auf Charkiw"
    page.go_back()
    expect(page.locator("#search-results li")).to_have_count(2)
    assert page.locator("#search-input").input_value() == "Angriff -Drohnen"


def _icon_aborted_by_navigation(problem: str) -> bool:
    """Following a result can abort the page's icon request, which is no error."""
    return problem.startswith("failed: ") and "/img/icon" in problem and "ERR_ABORTED" in problem


@pytest.mark.browser
def test_typing_shows_highlighted_results_and_a_result_opens_over_http(search_site, serve, page):
    base = serve(search_site)
    _search_and_follow(page, f"{base}/suche/", file_mode=False)
    assert [p for p in page.problems if not _icon_aborted_by_navigation(p)] == []


@pytest.mark.browser
def test_search_works_from_disk(search_site, page):
    _search_and_follow(page, (search_site / "suche" / "index.html").as_uri(), file_mode=True)
    assert [p for p in page.problems if "favicon" not in p] == []


@pytest.mark.browser
def test_url_query_filters_and_did_you_mean(search_site, serve, page):
    base = serve(search_site)
    page.goto(f"{base}/suche/?q=Angriff&thema=luftkrieg")
    expect(page.locator("#search-results")).to_have_attribute("aria-busy", "false")
    assert page.locator("#search-topic").input_value() == "luftkrieg"
    assert page.locator("#search-results li").count() == 3
    page.goto(f"{base}/suche/?q=Saporischscha")
    page.locator("#search-suggestion a").wait_for()
    assert page.locator("#search-suggestion a").inner_text() == "saporischschja"
    assert page.locator("#search-status").inner_text() == "Keine Treffer."
    page.locator("#search-suggestion a").click()
    expect(page.locator("#search-results li")).to_have_count(1)
    assert page.problems == []


@pytest.mark.browser
def test_header_search_box_leads_to_the_search_page(search_site, serve, page):
    base = serve(search_site)
    page.goto(f"{base}/2025/02/")
    page.locator("form[role=search] input[name=q]").first.fill("Kiew")
    page.locator("form[role=search] input[name=q]").first.press("Enter")
    page.wait_for_url(re.compile(r".*/suche/\?q=Kiew$"))
    expect(page.locator("#search-results li")).to_have_count(1)
    assert "Nordkoreas Soldaten in Kursk" in page.locator("#search-results").inner_text()


@pytest.mark.browser
def test_pagefind_comparison_measures_both_engines_the_same_way(search_site, browser):
    pytest.importorskip("pagefind_bin", reason="Pagefind comes with the extra 'bench'")
    from liveticker import search_bench

    found = search_bench.compare_with_pagefind(search_site, ["Angriff", "Angriff -Drohnen"],
                                               browser=browser)  # fmt: skip
    assert found["pagefind"]["index_files"] > 0 and found["pagefind"]["index_peak_mb"] > 0
    assert found["ours"]["index_files"] == len(list((search_site / "search").rglob("*.js")))
    angriff = found["queries"]["Angriff"]
    assert angriff["ours"]["total"] == 4  # Raketenangriffe, Drohnenangriff: compound parts
    assert angriff["pagefind"]["total"] >= 1 and angriff["pagefind"]["bytes"] > 0
    assert 0 < angriff["ours"]["search_bytes"] < angriff["ours"]["bytes"]
    assert found["queries"]["Angriff -Drohnen"]["pagefind"]["query"] == "Angriff"
