"""schema.org JSON-LD on day and entry pages: valid against the vocabulary, safe inside
<script>, and read back by `invoke import --format jsonld` into the same day."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, write_entry
from hypothesis import given, settings
from hypothesis import strategies as st
from schemaorg_vocab import vocabulary
from site_helpers import soup
from timeline_content import build_timeline

from liveticker.liveblog_jsonld import indented_json
from liveticker.validate import check_tree

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                 max_size=4),
    max_leaves=25,
)  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


def documents(output, path):
    page = soup(output, path)
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def import_page(page_file, content):
    command = [sys.executable, "-m", "invoke", "import", str(page_file), "--format", "jsonld",
               "--content", str(content)]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_checker_knows_the_vocabulary_and_rejects_mistakes():
    vocab = vocabulary()
    assert "LiveBlogPosting" in vocab.ancestors("LiveBlogPosting")
    assert "CreativeWork" in vocab.ancestors("BlogPosting")
    bad = {"@context": "https://schema.org", "@type": "BlogPosting", "headlin": "x",
           "liveBlogUpdate": [], "datePublished": "9. Februar 2025",
           "author": {"@type": "Place", "name": "Kiew"}}  # fmt: skip
    problems = "\n".join(vocab.check(bad))
    assert "'headlin' is not a schema.org property" in problems
    assert "'liveBlogUpdate' is not a property of BlogPosting" in problems
    assert "literal '9. Februar 2025' fits none of ['Date', 'DateTime']" in problems
    assert "a ['Place'] node is not allowed" in problems


def test_every_day_and_entry_page_has_valid_schema_org_json_ld(site):
    vocab = vocabulary()
    checked = 0
    for page_file in site.rglob("index.html"):
        path = page_file.relative_to(site).as_posix().removesuffix("index.html")
        for document in documents(site, path):
            assert vocab.check(document) == [], path
            checked += 1
    assert checked == 7 + 12  # seven day pages, twelve entry pages


def test_day_page_lists_its_entries_as_live_blog_updates(site):
    (blog,) = documents(site, "2025/01/30/")
    assert blog["@type"] == "LiveBlogPosting"
    assert blog["url"] == "http://127.0.0.1:8000/2025/01/30/"
    updates = blog["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == [
        "Abendlage", "Luftalarm in Kiew", "Ohne Uhrzeit eins", "Ohne Uhrzeit zwei"]  # fmt: skip
    assert [u["datePublished"] for u in updates] == [
        "2025-01-30T18:00:00+01:00",
        "2025-01-30T07:15:00+01:00",
        "2025-01-30",
        "2025-01-30",
    ]
    page = soup(site, "2025/01/30/")
    for update in updates:
        anchor = update["url"].split("#")[1]
        assert update["url"] == f"http://127.0.0.1:8000/2025/01/30/#{anchor}"
        assert page.find(id=anchor)["class"] == ["entry"]
    assert updates[1]["author"] == [{"@type": "Organization", "name": "Associated Press"}]
    assert updates[0]["articleBody"] == "Bericht: Abendlage, 2025-01-30 18:00."


def test_script_content_cannot_end_the_json_ld_element(site):
    page = soup(site, "2025/02/09/")
    raw = page.find("script", type="application/ld+json").string
    assert "</script" not in raw and "\\u003c/script\\u003e\\u003cb\\u003eTag" in raw
    (blog,) = documents(site, "2025/02/09/")
    assert blog["liveBlogUpdate"][1]["headline"] == 'Titel mit </script><b>Tag</b> & "Zeichen"'


def test_entry_page_has_its_item_open_graph_and_twitter_meta(site):
    path = "2025/02/09/2105-eintrag-10/"
    (item,) = documents(site, path)
    assert item["@type"] == "BlogPosting" and item["url"] == f"http://127.0.0.1:8000/{path}"
    assert item["isPartOf"]["@id"] == "http://127.0.0.1:8000/2025/02/09/#liveblog"
    assert item["dateModified"] == "2025-02-09T23:10:00+01:00"
    assert item["correction"]["text"] == "Der Ort hieß Pokrowsk, nicht Kurachowe."
    assert item["keywords"] == "USA, Diplomatie"
    head = soup(site, path).head
    meta = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta")
            if m.get("content") and (m.get("property") or m.get("name"))}  # fmt: skip
    assert meta["og:type"] == "article" and meta["og:title"] == "Korrigierte Meldung"
    assert meta["og:url"] == f"http://127.0.0.1:8000/{path}"
    assert meta["og:description"].startswith("Ein Bericht mit Nachdruck, 50 % & mehr. Zweiter")
    assert meta["article:published_time"] == "2025-02-09T21:05:00+01:00"
    assert meta["article:modified_time"] == "2025-02-09T23:10:00+01:00"
    assert meta["twitter:card"] == "summary" and meta["twitter:title"] == "Korrigierte Meldung"
    assert [m["content"] for m in head.find_all("meta", property="article:tag")] == [
        "USA",
        "Diplomatie",
    ]


def test_seed_day_page_imported_as_jsonld_reproduces_the_day(seed_site, tmp_path):
    fresh = tmp_path / "fresh"
    report = import_page(seed_site / "2025/02/09/index.html", fresh)
    assert report.count("wrote ") == 8
    original, _ = check_tree(ROOT / "content")
    imported, problems = check_tree(fresh)
    assert not [p for p in problems if p.is_error]
    expected = {c.path: c.entry for c in original if c.path.startswith("2025/02/09/")}
    got = {c.path: c.entry for c in imported}
    assert list(got) == list(expected), "same file names, so the same order and slugs"
    for path, entry in expected.items():
        assert got[path].title == entry.title and got[path].body == entry.body, path
        assert (got[path].day, got[path].time) == (entry.day, entry.time), path
        assert got[path].sources == entry.sources, path


def test_timed_days_with_offsets_and_corrections_round_trip(site, tmp_path):
    fresh = tmp_path / "fresh"
    days = ("2025/01/13", "2025/01/30", "2025/02/09")
    for day in days:
        import_page(site / day / "index.html", fresh)
    original, _ = check_tree(site.parent / "content")
    imported, _ = check_tree(fresh)

    def key(entry):
        return (entry.day, str(entry.time), entry.title)

    want = sorted((c.entry for c in original if c.path.startswith(days)), key=key)
    got = sorted((c.entry for c in imported), key=key)
    assert [(e.day, e.time, e.title, e.sources, e.updated) for e in got] == [
        (e.day, e.time, e.title, e.sources, e.updated) for e in want]  # fmt: skip
    plain = [(e.body, w.body) for e, w in zip(got, want, strict=True) if e.day.month == 1]
    assert all(a == b for a, b in plain), "bodies without markup come back word for word"
    untimed = sorted(c.path for c in imported if c.entry.time is None)
    assert [p.split("/")[-1][:3] for p in untimed] == ["01-", "02-"]


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_json_ld_text_is_exactly_what_json_dumps_writes(value):
    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


def test_long_entry_description_is_its_text_cut_at_a_word_boundary(content, build_site):
    words = [f"Wort{i}," if i % 7 == 6 else f"Wort{i}" for i in range(400)]
    write_entry(content, "2025/04/01/1200-lang.md", "Title: Lang\nDate: 2025-04-01 12:00\n"
                "Tags: Kursk\nSource: dpa\n\n" + " ".join(words) + "\n")  # fmt: skip
    page = soup(build_site(content), "2025/04/01/1200-lang/")
    description = page.find("meta", attrs={"name": "description"})["content"]
    cut = " ".join(words)[:199].rsplit(" ", 1)[0].rstrip(",") + "…"
    assert description == cut and len(cut) <= 200
