"""The site a reader browses, built from real entry files with the real settings."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import ROOT, write_entry
from site_helpers import entry_titles, resolve_link, soup

from liveticker.build import BuildFailed, build_in_child

ATOM = "{http://www.w3.org/2005/Atom}"

# The eight titles of the seed file, in the order of ../shared/seed/newsblog-2025-02-09.txt
SEED_TITLES = [
    "Trump will mit Putin telefoniert haben – Zeitpunkt unklar",
    "Russland meldet Einnahme weiterer Ortschaft in Ostukraine",
    "Russland sieht keine Fortschritte der USA bei Abrüstung",
    "Gefechte in der Ostukraine werden wieder heftiger",
    "Nordkoreaner kämpfen wieder im Gebiet Kursk",
    "Oberbefehlshaber Syrskyj ein Jahr im Amt",
    "Selenskyj wirft Putin Aufrüstung vor",
    "Nordkorea: werden Russland „stets unterstützen“",
]


def entry(title, date, tags="Kursk", source="dpa", body=None):
    lines = [f"Title: {title}", f"Date: {date}"]
    if tags:
        lines.append(f"Tags: {tags}")
    if source:
        lines.append(f"Source: {source}")
    return "\n".join(lines) + "\n\n" + (body or f"Text zu {title} am {date}.") + "\n"


def test_seed_day_shows_all_eight_entries_in_source_order(seed_site):
    page = soup(seed_site, "2025/02/09/")
    assert page.h1.get_text() == "Sonntag, 9. Februar 2025"
    assert entry_titles(page) == SEED_TITLES
    first = page.select_one("article.entry")
    assert "Kremlchef Wladimir Putin" in first.select_one(".entry-body").get_text()
    assert first.select_one(".entry-sources abbr").get_text() == "dpa"
    assert [a.get_text() for a in first.select(".entry-topics a")] == ["USA", "Diplomatie"]
    assert not first.select("time"), "untimed entries show no time"


def test_day_orders_timed_newest_first_then_untimed_in_source_order(content, build_site):
    write_entry(content, "2025/03/01/0900-morgens.md", entry("Morgens", "2025-03-01 09:00"))
    write_entry(content, "2025/03/01/2359-spaet.md", entry("Spät", "2025-03-01 23:59"))
    write_entry(content, "2025/03/01/1430-mittags.md", entry("Mittags", "2025-03-01 14:30"))
    write_entry(content, "2025/03/01/02-zweites.md", entry("Zweites ohne Zeit", "2025-03-01"))
    write_entry(content, "2025/03/01/01-erstes.md", entry("Erstes ohne Zeit", "2025-03-01"))
    output = build_site(content)
    page = soup(output, "2025/03/01/")
    assert entry_titles(page) == ["Spät", "Mittags", "Morgens", "Erstes ohne Zeit",
                                  "Zweites ohne Zeit"]  # fmt: skip
    assert page.h1.get_text() == "Samstag, 1. März 2025"
    times = [t.get_text() for t in page.select("article.entry time")]
    assert times == ["23:59 Uhr", "14:30 Uhr", "09:00 Uhr"]
    # stable across builds
    assert entry_titles(soup(build_site(content), "2025/03/01/")) == entry_titles(page)


def test_repeated_titles_all_get_their_own_page(content, build_site):
    title = "Luftalarm in Kiew"
    write_entry(content, "2025/03/01/0600-luftalarm-in-kiew.md", entry(title, "2025-03-01 06:00"))
    write_entry(content, "2025/03/01/2200-luftalarm-in-kiew.md",
                entry(title, "2025-03-01 22:00", body="Am Abend erneut Luftalarm."))
    write_entry(content, "2025/03/02/0600-luftalarm-in-kiew.md", entry(title, "2025-03-02 06:00"))
    output = build_site(content)
    assert entry_titles(soup(output, "2025/03/01/")) == [title, title]
    assert entry_titles(soup(output, "2025/03/02/")) == [title]
    pages = sorted(p.relative_to(output).as_posix() for p in output.glob("2025/03/*/*/index.html"))
    assert pages == [
        "2025/03/01/0600-luftalarm-in-kiew/index.html",
        "2025/03/01/2200-luftalarm-in-kiew/index.html",
        "2025/03/02/0600-luftalarm-in-kiew/index.html",
    ]
    evening = soup(output, "2025/03/01/2200-luftalarm-in-kiew/")
    assert "Am Abend erneut Luftalarm." in evening.select_one(".entry-body").get_text()


def test_entry_page_links_back_to_day_anchor_and_neighbours(seed_site):
    slug = "02-russland-meldet-einnahme-weiterer-ortschaft-in-ostukraine"
    page = soup(seed_site, f"2025/02/09/{slug}/")
    assert page.h1.get_text() == SEED_TITLES[1]
    back = page.select_one(".breadcrumb a")["href"]
    assert back.endswith("2025/02/09/#02-russland-meldet-einnahme-weiterer-ortschaft-in-ostukraine")
    day = soup(seed_site, "2025/02/09/")
    assert day.find(id="02-russland-meldet-einnahme-weiterer-ortschaft-in-ostukraine")
    pager = {a["rel"][0]: a.get_text(" ", strip=True) for a in page.select(".pager a")}
    assert SEED_TITLES[2] in pager["prev"] and SEED_TITLES[0] in pager["next"]


def test_topic_pages_paginate_newest_first_grouped_by_day(content, build_site):
    for day in range(1, 6):
        write_entry(content, f"2025/04/0{day}/1200-kursk-{day}.md",
                    entry(f"Kursk Tag {day}", f"2025-04-0{day} 12:00"))
    write_entry(content, "2025/04/05/1300-anderes.md", entry("Anderes", "2025-04-05 13:00", "USA"))
    output = build_site(content, TOPIC_PAGES={"per_page": 2})
    landing, oldest = soup(output, "thema/kursk/"), soup(output, "thema/kursk/seite/1/")
    assert not (output / "thema/kursk/seite/2").exists()
    # archive pages hold full pages counted from the oldest entry; the landing page the rest
    assert entry_titles(landing) == ["Kursk Tag 5", "Kursk Tag 4", "Kursk Tag 3"]
    assert entry_titles(oldest) == ["Kursk Tag 2", "Kursk Tag 1"]
    assert [h.get_text() for h in landing.select("section.day-section > h2")] == [
        "Samstag, 5. April 2025", "Freitag, 4. April 2025",
        "Donnerstag, 3. April 2025"]  # fmt: skip
    assert landing.select_one(".pager a[rel=prev]")["href"].endswith("thema/kursk/seite/1/")
    assert not landing.select(".pager a[rel=next]")
    assert oldest.select_one(".pager a[rel=next]")["href"].endswith("thema/kursk/")
    assert not oldest.select(".pager a[rel=prev]")
    assert oldest.h1.get_text(" ", strip=True) == "Kursk – Seite 1"
    assert "2 Einträge vom 1. April 2025 bis zum 2. April 2025" in oldest.select_one(".lead").text
    assert "5 Einträge" in landing.select_one(".lead").text
    index = soup(output, "themen/")
    counts = {li.h2.get_text(strip=True): li.select_one(".count").get_text() for li in
              index.select(".topic-list li")}  # fmt: skip
    assert counts["Kursk"] == "5 Einträge" and counts["USA"] == "1 Eintrag"
    assert counts["Gefangene"] == "0 Einträge"
    assert (output / "thema/gefangene/index.html").exists()


def test_archive_pages_of_a_topic_keep_their_entries_as_the_ticker_grows(content, build_site):
    def write(day):
        write_entry(content, f"2025/04/{day:02d}/1200-kursk-{day}.md",
                    entry(f"Kursk Tag {day}", f"2025-04-{day:02d} 12:00"))  # fmt: skip

    for day in range(1, 7):
        write(day)
    output = build_site(content, TOPIC_PAGES={"per_page": 2})
    first = {n: (output / f"thema/kursk/seite/{n}/index.html").read_bytes() for n in (1, 2)}
    assert entry_titles(soup(output, "thema/kursk/seite/2/")) == ["Kursk Tag 4", "Kursk Tag 3"]
    write(7)
    output = build_site(content, TOPIC_PAGES={"per_page": 2})
    assert (output / "thema/kursk/seite/1/index.html").read_bytes() == first[1]
    assert (output / "thema/kursk/seite/2/index.html").read_bytes() == first[2]
    assert entry_titles(soup(output, "thema/kursk/")) == ["Kursk Tag 7", "Kursk Tag 6",
                                                          "Kursk Tag 5"]  # fmt: skip
    write(8)  # a full new page: seite/3 appears, seite/2 now links to it
    output = build_site(content, TOPIC_PAGES={"per_page": 2})
    assert entry_titles(soup(output, "thema/kursk/seite/3/")) == ["Kursk Tag 6", "Kursk Tag 5"]
    assert (output / "thema/kursk/seite/1/index.html").read_bytes() == first[1]
    newer = soup(output, "thema/kursk/seite/2/").select_one(".pager a[rel=next]")["href"]
    assert newer.endswith("thema/kursk/seite/3/")


def test_month_and_year_calendars_count_entries_per_day(seed_site):
    month = soup(seed_site, "2025/02/")
    assert month.h1.get_text() == "Februar 2025"
    cells = month.select("table.calendar td.has-entries")
    assert len(cells) == 1
    assert cells[0].select_one(".day-number").get_text() == "9"
    assert cells[0].select_one(".day-count").get_text(" ", strip=True).startswith("8 ")
    assert cells[0].a["href"].endswith("2025/02/09/")
    # 9 February 2025 is a Sunday: the seventh column of a Monday-first week
    row = cells[0].find_parent("tr")
    assert row.find_all("td").index(cells[0]) == 6
    year = soup(seed_site, "2025/")
    captions = [c.get_text(" ", strip=True) for c in year.select("table.calendar caption")]
    assert len(captions) == 12 and captions[1].startswith("Februar 2025 8 Einträge")


def test_feeds_are_atom_with_exact_titles(content, build_site):
    hostile = '<b>x</b> & "y"'
    write_entry(content, "2025/04/01/1200-boese.md",
                entry(hostile, "2025-04-01 12:00", body="Harmlos."))
    write_entry(content, "2025/04/02/1200-zwei.md", entry("Zwei", "2025-04-02 12:00", "USA"))
    output = build_site(content)
    for path, expected in [("feeds/alle.atom.xml", ["Zwei", hostile]),
                           ("feeds/thema/kursk.atom.xml", [hostile]),
                           ("feeds/thema/usa.atom.xml", ["Zwei"])]:  # fmt: skip
        root = ET.parse(output / path).getroot()
        assert root.tag == f"{ATOM}feed"
        titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
        assert titles == expected, path
        for item in root.findall(f"{ATOM}entry"):
            assert item.find(f"{ATOM}link").get("href").startswith("http://127.0.0.1:8000/2025/")


def test_hostile_title_is_escaped_everywhere(content, build_site):
    hostile = '<b>x</b> & "y"'
    write_entry(content, "2025/04/01/1200-boese.md",
                entry(hostile, "2025-04-01 12:00", body="Harmloser Text."))
    output = build_site(content)
    for page in ["", "2025/04/01/", "2025/04/01/1200-boese/", "thema/kursk/"]:
        html = (output / page / "index.html").read_text(encoding="utf-8")
        assert "<b>x</b>" not in html, page
        assert "&lt;b&gt;x&lt;/b&gt; &amp; " in html, page
        assert hostile in entry_titles(soup(output, page)) or page == "2025/04/01/1200-boese/"
    assert soup(output, "2025/04/01/1200-boese/").h1.get_text() == hostile


def test_every_internal_link_resolves_under_a_sub_path(seed_site, build_site, tmp_path):
    site_url = "https://example.org/chronik"
    output = build_site(ROOT / "content", SITEURL=site_url)
    checked = 0
    for page_file in output.rglob("*.html"):
        if page_file.name == "404.html":
            continue  # served at any depth; checked separately below
        page = soup(output, page_file.relative_to(output).as_posix())
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"),
                          ("form", "action")):  # fmt: skip
            for element in page.find_all(tag):
                value = element.get(attr)
                if not value or value.startswith(("mailto:",)):
                    continue
                assert not value.startswith("/"), f"root-relative link {value} in {page_file}"
                target = resolve_link(output, page_file, value, site_url)
                if target is None:
                    assert not value.startswith("http://127.0.0.1"), value
                    continue
                assert target.is_file(), f"{page_file}: link {value} -> {target} missing"
                checked += 1
    assert checked > 500
    not_found = (output / "404.html").read_text(encoding="utf-8")
    assert 'href="/chronik/theme/css/site.css"' in not_found  # root-relative: any depth
    sitemap = ET.parse(output / "sitemaps/2025.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"{site_url}/2025/02/09/" in locs
    assert len([u for u in locs if u.count("/") == 8]) == 8  # the eight entry pages


def test_invalid_entry_fails_the_build_with_the_check_message(content, build_site):
    write_entry(content, "2025/04/01/1200-gut.md", entry("Gut", "2025-04-01 12:00"))
    write_entry(content, "2025/04/01/1300-falsch.md", entry("Falsch", "2025-04-02 13:00"))
    with pytest.raises(BuildFailed) as failure:
        build_site(content)
    assert ("2025/04/01/1300-falsch.md:2: error: field 'Date' is '2025-04-02 13:00' but the "
            "file is in the folder for 2025-04-01") in str(failure.value)  # fmt: skip


def test_empty_content_folder_fails_the_build(content, build_site):
    with pytest.raises(BuildFailed, match="no entries found"):
        build_site(content)


def test_invoke_build_uses_other_folders_and_fails_loudly(content, tmp_path):
    write_entry(content, "2025/04/01/1200-gut.md", entry("Gut", "2025-04-01 12:00"))
    out = tmp_path / "site"
    invoke = [sys.executable, "-m", "invoke", "build", "--content", str(content),
              "--output", str(out)]  # fmt: skip
    done = subprocess.run(invoke, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert entry_titles(soup(out, "2025/04/01/")) == ["Gut"]
    assert not (ROOT / "content/2025/04").exists()
    write_entry(content, "2025/04/01/1300-leer.md", "Title: Leer\nDate: 2025-04-01 13:00\n\n")
    failed = subprocess.run(invoke, cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "1300-leer.md:3: error: the entry has no text" in failed.stderr + failed.stdout


def test_a_wrong_memory_budget_is_a_clear_error(content, tmp_path):
    write_entry(content, "2025/04/01/1200-gut.md", entry("Gut", "2025-04-01 12:00"))
    with pytest.raises(BuildFailed, match=r"BUILD_MEMORY_MB must be a whole number of "
                                          r"megabytes .* not 'viel'"):  # fmt: skip
        build_in_child(content, tmp_path / "site", overrides={"BUILD_MEMORY_MB": "viel"})
    invoke = [sys.executable, "-m", "invoke", "build", "--content", str(content),
              "--output", str(tmp_path / "site"), "--max-memory", "2GB"]  # fmt: skip
    failed = subprocess.run(invoke, cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "--max-memory must be a whole number of megabytes (0: no limit), not '2GB'" in (
        failed.stderr)


def test_a_build_in_a_child_process_hands_back_its_site_and_its_errors(content, tmp_path):
    """`invoke build` builds in a forked process that exits without cleaning up: the
    site, the entry errors and any crash must reach the caller all the same."""
    write_entry(content, "2025/04/01/1200-gut.md", entry("Gut", "2025-04-01 12:00"))
    site = tmp_path / "site"
    assert build_in_child(content, site) == site.resolve()
    assert entry_titles(soup(site, "2025/04/01/")) == ["Gut"]
    write_entry(content, "2025/04/01/1300-leer.md", "Title: Leer\nDate: 2025-04-01 13:00\n\n")
    with pytest.raises(BuildFailed, match=r"1300-leer\.md:3: error: the entry has no text"):
        build_in_child(content, site)
    with pytest.raises(BuildFailed, match=r"exit code 2\n(.|\n)*FileNotFoundError"):
        build_in_child(content, site, tmp_path / "no-such-settings.py")


def test_no_page_repeats_an_id_even_with_equal_slugs_on_two_days(content, build_site):
    body = "Lage am Morgen.[^1]\n\n[^1]: Angaben der Armee."
    for day in ("2025/03/01", "2025/03/02"):
        write_entry(content, f"{day}/01-der-morgen-im-ueberblick.md",
                    entry("Der Morgen im Überblick", day.replace("/", "-"), body=body))
    output = build_site(content)
    for page_file in output.rglob("*.html"):
        ids = [tag["id"] for tag in soup(output, page_file.relative_to(output).as_posix())
               .find_all(id=True)]  # fmt: skip
        assert len(ids) == len(set(ids)), f"repeated id in {page_file}"
    day = soup(output, "2025/03/02/")
    assert day.find("article", id="01-der-morgen-im-ueberblick"), "permalink anchor kept"
    note = day.select_one("article .entry-body sup a")
    assert day.find(id=note["href"][1:]) is not None, "footnote link points into the page"


def test_an_entry_links_to_another_by_its_file_in_cold_and_cached_builds(content, tmp_path):
    """Pelican's `{filename}` links: the build turns the other entry's file path into
    its page's address - also when the articles come from the content cache (the
    entry reader files them under the path it read them by)."""
    write_entry(content, "2025/04/01/0900-ziel.md", entry("Ziel", "2025-04-01 09:00"))
    write_entry(content, "2025/04/02/1000-verweis.md", entry(
        "Verweis", "2025-04-02 10:00",
        body="Siehe [die Meldung vom Vortag]({filename}/2025/04/01/0900-ziel.md)."))
    output, cache = tmp_path / "site", tmp_path / "cache"
    for build in ("cold", "cached"):
        build_in_child(content, output, cache=cache)
        page = output / "2025/04/02/1000-verweis/index.html"
        link = soup(output, "2025/04/02/1000-verweis/").select_one(".entry-body a")
        target = resolve_link(output, page, link["href"])
        assert target == output / "2025/04/01/0900-ziel/index.html", build
        assert "{filename}" not in page.read_text(encoding="utf-8"), build
        page.unlink()  # rendered again in the cached build
