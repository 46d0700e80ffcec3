"""`invoke bundle`: one zip of the site that works unpacked and opened from disk."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import ROOT
from site_helpers import soup
from timeline_content import write_timeline

from liveticker.bundle import FOLDER, zip_folder

SEARCH_PLUGIN = ROOT / "plugins" / "search_index"


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    """The timeline content bundled with `invoke bundle`, unpacked; returns the site folder."""
    folder = tmp_path_factory.mktemp("bundle")
    write_timeline(folder / "content")
    target = folder / "out" / "chronik.zip"
    command = [sys.executable, "-m", "invoke", "bundle", "--content", str(folder / "content"),
               "--output", str(target)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Wrote {target}" in done.stdout
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert all(n.startswith(f"{FOLDER}/") for n in names)
        archive.extractall(folder / "unpacked")
    return folder / "unpacked" / FOLDER


def links_of(page_file: Path, site: Path):
    page = soup(site, page_file.relative_to(site).as_posix())
    for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("form", "action"),
                      ("img", "src")):  # fmt: skip
        for element in page.find_all(tag):
            if element.get(attr):
                yield element[attr]


def test_zip_is_reproducible_and_has_no_404_page(tmp_path):
    site = tmp_path / "site"
    (site / "2025/02/09").mkdir(parents=True)
    (site / "2025/02/09/index.html").write_text("x")
    (site / "404.html").write_text("y")
    first, second = zip_folder(site, tmp_path / "a.zip"), zip_folder(site, tmp_path / "b.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == [f"{FOLDER}/2025/02/09/index.html"]
        assert archive.infolist()[0].date_time == (2025, 2, 9, 0, 0, 0)


def test_every_internal_link_names_an_existing_file(unpacked):
    checked = 0
    for page_file in unpacked.rglob("*.html"):
        for href in links_of(page_file, unpacked):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                assert "127.0.0.1" not in href, f"{page_file}: development address {href}"
                continue
            if not parts.path:
                continue  # "#anchor" on the same page
            assert not parts.path.endswith("/"), f"{page_file}: {href} names no file"
            target = Path(unquote(urlsplit(urljoin(page_file.as_uri(), href)).path))
            assert target.is_file(), f"{page_file}: {href} -> {target}"
            assert unpacked in target.parents, f"{page_file}: {href} leaves the folder"
            checked += 1
    assert checked > 1000
    assert (unpacked / "LIESMICH.txt").is_file() and (unpacked / "daten/eintraege.csv").is_file()


def test_permalinks_in_the_bundle_are_public_addresses(unpacked):
    page = soup(unpacked, "2025/02/09/2105-eintrag-10/")
    assert page.select_one("link[rel=canonical]")["href"].startswith("https://")
    assert "https://" in page.select_one(".citation-text").get_text()


@pytest.mark.browser
def test_unpacked_bundle_works_from_disk_in_chromium(unpacked, browser):
    root = unpacked.as_uri() + "/"
    context = browser.new_context()
    page = context.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    # a navigation may abort a pending request (the icon): every requested file must exist
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and problems.append(r.url))

    def styled():
        header = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
        )
        return header == "solid"

    page.goto(root + "index.html")
    assert styled(), "site.css did not load"
    page.get_by_role("link", name="Sonntag, 9. Februar 2025").first.click()
    page.wait_for_url(root + "2025/02/09/index.html")
    assert styled() and page.locator("article.entry").count() == 2
    page.get_by_role("link", name="Korrigierte Meldung", exact=True).click()
    page.wait_for_url(root + "2025/02/09/2105-eintrag-10/index.html")
    page.locator(".entry-topics").get_by_role("link", name="USA").click()
    page.wait_for_url(root + "thema/usa/index.html")
    page.locator(".breadcrumb a").click()
    page.wait_for_url(root + "themen/index.html")
    page.goto(root + "2025/index.html")
    page.locator("svg.heatmap a").first.click()
    page.wait_for_url(root + "2025/01/13/index.html")
    page.goto(root + "daten/index.html")
    assert page.locator(".data-schema tbody tr").count() == 12
    page.goto(root + "quelle/dpa/index.html")
    assert page.locator("article.entry").count() == 6 and styled()
    if SEARCH_PLUGIN.is_dir() and (unpacked / "suche" / "index.html").is_file():
        page.goto(root + "suche/index.html?q=Luftalarm")
        hits = page.locator("#search-results li a")
        hits.first.wait_for()
        assert "Luftalarm in Kiew" in hits.all_inner_texts()
        hits.first.click()
        page.wait_for_load_state()
        opened = Path(unquote(urlsplit(page.url).path))
        assert page.url.startswith(root) and opened.is_file(), page.url
        assert styled()
    outside = [u for u in requests if not u.startswith(root)]
    assert outside == [], "requests left the unpacked folder"
    missing = [u for u in requests if not Path(unquote(urlsplit(u).path)).is_file()]
    assert missing == []
    assert problems == []
    context.close()
