"""Charts are static SVG whose numbers equal the entry counts of the fixture content."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from site_helpers import resolve_link, soup
from timeline_content import NEWEST, build_timeline, count_by_day

from liveticker import charts_svg
from liveticker.build import BuildFailed
from liveticker.charts_svg import Mark, heat_level, week_start, weekly_counts


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


def count_in(title: str) -> int:
    match = re.search(r": (\d+) Eintr(?:ag|äge)$|: (keine) Einträge$", title)
    assert match, title
    return 0 if match[2] else int(match[1])


def test_weekly_counts_cover_every_week_between_first_and_last_day():
    days = [dt.date(2025, 1, 13), dt.date(2025, 1, 19), dt.date(2025, 1, 20), dt.date(2025, 2, 9)]
    marks = weekly_counts(days, days[0], days[-1])
    assert [m.date for m in marks] == [
        dt.date(2025, 1, 13) + dt.timedelta(weeks=i) for i in range(4)
    ]
    assert [m.count for m in marks] == [2, 1, 0, 1]
    assert week_start(dt.date(2025, 2, 9)) == dt.date(2025, 2, 3)


def test_heat_levels_rise_with_counts_and_zero_stays_empty():
    assert [heat_level(c, 8) for c in (0, 1, 2, 3, 4, 5, 8)] == [0, 1, 1, 2, 2, 3, 4]
    assert heat_level(3, 0) == 0


def test_heatmap_draws_every_day_of_a_leap_year_on_whole_numbers():
    svg = charts_svg.year_heatmap(2024, {dt.date(2024, 2, 29): 3}, lambda url: url)
    page = soup_of(svg)
    rects = page.find_all("rect")
    assert len(rects) == 366
    assert page.svg["shape-rendering"] == "crispEdges"
    for rect in rects:
        assert all(rect[a].isdigit() for a in ("x", "y", "width", "height"))
    leap = page.find("rect", attrs={"data-date": "2024-02-29"})
    assert leap["class"] == ["heat-4"] and leap.parent.name == "a"
    assert leap.parent["href"] == "2024/02/29/"
    # 29 February 2024 is a Thursday: row 3
    monday = page.find("rect", attrs={"data-date": "2024-02-26"})
    assert int(leap["y"]) - int(monday["y"]) == 3 * charts_svg.STEP
    assert "style" not in svg


def soup_of(markup: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(markup, "html.parser")


def test_year_heatmap_cells_equal_entry_counts_and_link_to_their_days(site):
    counts = count_by_day()
    page = soup(site, "2025/")
    svg = page.select_one("svg.heatmap")
    assert svg is not None and svg.get("aria-label") == "Einträge je Tag im Jahr 2025"
    assert len(svg.find_all("rect")) == 365
    linked = {}
    for link in svg.find_all("a"):
        rect = link.rect
        day = dt.date.fromisoformat(rect["data-date"])
        shown = count_in(link.title.get_text())
        assert shown == int(rect["data-count"]) == counts[day]
        target = resolve_link(site, site / "2025/index.html", link["href"])
        assert target == site / f"{day:%Y/%m/%d}/index.html" and target.is_file()
        assert len(soup(site, f"{day:%Y/%m/%d}/").select("article.entry")) == shown
        linked[day] = shown
    assert linked == {d: c for d, c in counts.items() if d.year == 2025}
    for rect in svg.find_all("rect"):
        if rect.parent.name != "a":
            assert rect["data-count"] == "0" and rect.title.get_text().endswith("keine Einträge")
    busiest = svg.find("rect", attrs={"data-date": "2025-01-30"})
    assert busiest["class"] == ["heat-4"]
    note = page.select_one(".heatmap-figure .chart-note").get_text(" ", strip=True)
    assert "Am meisten Einträge: 30. Januar 2025 (4)" in note


def test_topic_timeline_shows_entries_per_week_across_the_archive(site):
    page = soup(site, "thema/luftkrieg/")
    svg = page.select_one("svg.timeline")
    first_week, last_week = week_start(dt.date(2023, 2, 9)), week_start(NEWEST)
    weeks = (last_week - first_week).days // 7 + 1
    assert int(svg["width"]) == weeks * 7
    bars = {dt.date.fromisoformat(r["data-date"]): r for r in svg.find_all("rect")}
    assert {d: int(r["data-count"]) for d, r in bars.items()} == {
        dt.date(2025, 1, 13): 3, dt.date(2025, 1, 27): 1}  # fmt: skip
    assert int(bars[dt.date(2025, 1, 13)]["height"]) == 80
    assert int(bars[dt.date(2025, 1, 27)]["height"]) == round(80 / 3)
    link = bars[dt.date(2025, 1, 13)].parent
    assert link.title.get_text() == "Woche vom 13. Januar 2025: 3 Einträge"
    assert link["href"].endswith("thema/luftkrieg/#tag-2025-01-14")
    assert page.find(id="tag-2025-01-14"), "the bar's target is a day section of the page"
    rows = [[c.get_text(strip=True) for c in tr.find_all("td")]
            for tr in page.select(".chart-table tbody tr")]  # fmt: skip
    assert rows == [["27. Januar 2025", "1"], ["13. Januar 2025", "3"]]


def test_topics_index_has_a_sparkline_per_topic_summing_to_its_count(site):
    page = soup(site, "themen/")
    for item in page.select(".topic-list li"):
        count = int(item.select_one(".count").get_text().split()[0])
        spark = item.select_one("svg.sparkline")
        assert spark["role"] == "img" and spark["aria-label"]
        assert sum(int(r["data-count"]) for r in spark.find_all("rect")) == count
    luftkrieg = next(li for li in page.select(".topic-list li") if li.h2.get_text() == "Luftkrieg")
    assert "Woche vom 13. Januar 2025 (3 Einträge)" in luftkrieg.svg["aria-label"]


def test_home_shows_the_last_30_days_and_the_same_day_in_earlier_years(site):
    page = soup(site, "")
    svg = page.select_one("svg.activity")
    bars = {r["data-date"]: int(r["data-count"]) for r in svg.find_all("rect")}
    window = {d: c for d, c in count_by_day().items() if (NEWEST - d).days < 30}
    assert bars == {d.isoformat(): c for d, c in window.items()}
    for link in svg.find_all("a"):
        assert resolve_link(site, site / "index.html", link["href"]).is_file()
    assert int(svg["width"]) == 30 * 12
    figure = page.select_one(".activity-figure figcaption").get_text(" ", strip=True)
    assert figure.startswith("9 Einträge an 4 Tagen vom 11. Januar 2025 bis zum 9. Februar 2025")
    earlier = [s.h3.get_text(" ", strip=True) for s in page.select(".on-this-day")]
    assert earlier == ["Vor einem Jahr: Freitag, 9. Februar 2024",
                       "Vor 2 Jahren: Donnerstag, 9. Februar 2023"]  # fmt: skip
    titles = [a.get_text() for a in page.select(".on-this-day li a")]
    assert titles == ["Vor einem Jahr am 9. Februar", "Vor zwei Jahren am 9. Februar"]
    assert "Nicht derselbe Kalendertag" not in page.select_one(".home-time").get_text()


def test_recent_days_setting_changes_the_window_and_is_checked(tmp_path_factory):
    site = build_timeline(tmp_path_factory, "week", CHARTS={"recent_days": 7})
    svg = soup(site, "").select_one("svg.activity")
    assert int(svg["width"]) == 7 * 12
    assert {r["data-date"] for r in svg.find_all("rect")} == {"2025-02-09"}
    with pytest.raises(BuildFailed, match=r"charts: CHARTS\['recent_days'\]"):
        build_timeline(tmp_path_factory, "bad", CHARTS={"recent_days": 0})


def test_bar_chart_marks_without_url_are_not_links():
    svg = charts_svg.bar_chart([Mark(dt.date(2025, 1, 6), 2), Mark(dt.date(2025, 1, 13), 0)],
                               str, "Test", lambda m: f"{m.count}")  # fmt: skip
    page = soup_of(svg)
    assert not page.find_all("a") and len(page.find_all("rect")) == 1


def test_pages_keep_to_the_content_security_policy(site):
    for file in site.rglob("*.html"):
        page = soup(site, file.relative_to(site).as_posix())
        assert not page.find_all(style=True), f"inline style in {file}"
        assert not page.find_all("style"), f"<style> in {file}"
        for script in page.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", file


@pytest.mark.browser
def test_chart_colours_follow_dark_mode_and_print(site, serve, browser):
    base = serve(site)
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(f"{base}/2025/")
        cell = page.locator("svg.heatmap rect.heat-4").first
        colours[scheme] = cell.evaluate("e => getComputedStyle(e).fill")
        empty = page.locator("svg.heatmap rect.heat-0").first.evaluate(
            "e => getComputedStyle(e).fill"
        )
        assert empty != colours[scheme]
        if scheme == "light":
            page.emulate_media(media="print")
            assert cell.evaluate("e => getComputedStyle(e).fill") == "rgb(0, 0, 0)"
            page.emulate_media(media="screen")
            page.locator("svg.heatmap a").first.focus()
            name = page.evaluate("document.activeElement.querySelector('title').textContent")
            assert name == "13. Januar 2025: 2 Einträge"
        context.close()
    assert colours["light"] != colours["dark"]
