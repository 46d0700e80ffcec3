"""Site-relative links in the parts every page shares (header, footer, <head>) and in
the entries of the topic and source pages, which theme_helpers renders once per build
for pages of every depth (`cached_fragment`, `shared_fragment`)."""

from __future__ import annotations

import pytest
from conftest import ROOT, write_entry
from site_helpers import resolve_link, soup

ENTRY = "2025/02/09/01-trump-will-mit-putin-telefoniert-haben-zeitpunkt-unklar/"
PAGES = ["", "2025/", "2025/02/", "2025/02/09/", ENTRY, "thema/kursk/", "kalender/", "404.html"]


def shared_links(output, path: str) -> dict[str, str]:
    """Text (or rel) -> href of the links in the shared parts of a page."""
    page = soup(output, path)
    parts = [page.head, page.select_one("header.site-header"),
             page.select_one("footer.site-footer")]  # fmt: skip
    return {a.get_text(" ", strip=True) or a["rel"][0]: a["href"]
            for part in parts for a in part.find_all(["a", "link"])
            if not a["href"].startswith("http")}  # fmt: skip


def test_header_footer_and_head_links_fit_the_depth_of_every_page(build_site):
    output = build_site(ROOT / "content", SITEURL="https://example.org/chronik")
    for path in PAGES:
        links = shared_links(output, path)
        assert {"Kalender", "Themen", "Suche", "stylesheet", "icon"} <= set(links), path
        page_file = output / (path if path.endswith(".html") else path + "index.html")
        for text, href in links.items():
            if path == "404.html":  # served at any depth: root-relative links
                assert href.startswith("/chronik/"), (text, href)
                continue
            target = resolve_link(output, page_file, href)
            assert target is not None and target.is_file(), (path, text, href)


def test_with_index_suffix_every_shared_link_to_a_folder_names_the_file(build_site):
    output = build_site(ROOT / "content", THEME_HELPERS={"index_suffix": "index.html"})
    for path in PAGES[:-1]:
        links = shared_links(output, path)
        assert links["Kalender"].endswith("kalender/index.html"), path
        assert links["Start"].endswith("index.html"), path


def test_an_entry_listed_at_several_depths_links_right_from_each_page(content, build_site):
    for day in range(1, 4):
        write_entry(content, f"2025/04/0{day}/1200-kursk-{day}.md",
                    f"Title: Kursk {day}\nDate: 2025-04-0{day} 12:00\nTags: Kursk, USA\n"
                    f"Source: dpa\n\nText {day}.\n")  # fmt: skip
    output = build_site(content, TOPIC_PAGES={"per_page": 1}, SOURCE_PAGES={"per_page": 2})
    pages = [p for folder in ("thema/kursk", "thema/usa", "quelle/dpa")
             for p in (output / folder).rglob("index.html")]  # fmt: skip
    assert {len(p.relative_to(output).parts) for p in pages} == {3, 5}  # two depths
    shown = 0
    for page_file in pages:
        path = page_file.parent.relative_to(output).as_posix() + "/"
        for article in soup(output, path).select("article.entry"):
            links = [a["href"] for a in article.find_all("a")]
            assert len(links) >= 5, (path, links)  # title, 2 topics, source, permalink
            for href in links:
                target = resolve_link(output, page_file, href)
                assert target is not None and target.is_file(), (path, href)
            shown += 1
    assert shown >= 9


def test_an_entry_has_the_heading_level_and_id_of_each_page_that_shows_it(build_site):
    """One fragment per entry serves the day, topic and home pages: each fills in its
    own heading level and id (the day page's id is the permalink anchor)."""
    output = build_site(ROOT / "content")
    anchor = ENTRY.split("/")[-2]
    expected = {"2025/02/09/": ("h2", anchor), "thema/usa/": ("h3", f"2025-02-09-{anchor}"),
                "": ("h4", f"2025-02-09-{anchor}")}  # fmt: skip
    for path, (level, entry_id) in expected.items():
        link = soup(output, path).select_one(f'article.entry a[href$="{anchor}/"]')
        article = link.find_parent("article")
        heading = article.select_one(".entry-title")
        assert (heading.name, article["id"]) == (level, entry_id), path
        assert article["aria-labelledby"] == heading["id"] == f"{entry_id}-titel", path


def test_the_navigation_marks_the_section_of_the_page_as_current(build_site):
    output = build_site(ROOT / "content")
    current = {"": "Start", "kalender/": "Kalender", "themen/": "Themen"}
    for path in [*current, "2025/02/09/", ENTRY, "thema/kursk/", "suche/"]:
        marked = soup(output, path).select('header.site-header nav a[aria-current="page"]')
        assert [a.get_text() for a in marked] == ([current[path]] if path in current else [])


@pytest.mark.parametrize("workers", [1, 2])
def test_a_small_fragment_cache_still_renders_each_listed_entry_about_once(
    content, build_site, monkeypatch, tmp_path, workers
):
    """The topic and source pages render in the order of the entries they show
    (incremental_writer), so an entry shown on several of them is rendered once while
    its fragment is in the bounded cache - at 100,000 entries the topics alone pass its
    limit, and rendering in the order the generators queue the pages (topic by topic)
    rendered most entries again for each topic and source. With two processes, each
    takes the queue from one end (render_pool): processes taking turns with chunks of
    it each rendered most entries."""
    import sys

    from liveticker.bench.synth import write_archive

    sys.path.insert(0, str(ROOT / "plugins"))
    import incremental_writer.render_pool as render_pool
    import theme_helpers.theme_helpers as helpers

    log = tmp_path / "fragments.log"  # one line per entry fragment made, in any process

    class Counting(dict):
        def __setitem__(self, key, value):
            if key[0] == "entry":
                with open(log, "a", encoding="utf-8") as file:
                    file.write(f"{key[1]}\n")
            super().__setitem__(key, value)

    class Shared(helpers._Shared):
        def __init__(self):
            super().__init__()
            self.fragments = Counting()

    monkeypatch.setattr(helpers, "_Shared", Shared)
    monkeypatch.setattr(helpers, "SHARED_LIMIT", 150)
    monkeypatch.setattr(render_pool, "CHUNK", 8)  # many chunks, as at 100,000 entries
    write_archive(content, 800, seed=2)
    # short pages, as at 100,000 entries (a page spans a few days of its topic)
    build_site(content, INCREMENTAL_WRITER={"workers": workers}, TOPIC_PAGES={"per_page": 5},
               SOURCE_PAGES={"per_page": 5})  # fmt: skip
    made = log.read_text(encoding="utf-8").split()
    listed = len(set(made))
    assert listed > 700  # (entries whose body holds `{` or `|` are not cached)
    assert len(made) < 1.5 * listed
