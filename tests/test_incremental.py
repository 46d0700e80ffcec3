"""Rebuilds write only what changed: unchanged files keep bytes and modification time,
stale files disappear, and the cache is only an optimisation (issue 7)."""

from __future__ import annotations

import gc
import json
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, write_entry
from test_build_equivalence import CORRECTED

from liveticker.bench.measure import changes, snapshot
from liveticker.bench.synth import write_archive
from liveticker.build import BuildFailed, build_site
from liveticker.vocab import PROJECT_CONTENT

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican's PLUGIN_PATHS does
from entry_reader import article_cache


@pytest.fixture
def site(tmp_path) -> tuple[Path, list[str], Path, Path]:
    """(content, entry paths, output, cache) of a built 120-entry archive."""
    content = tmp_path / "content"
    rels = write_archive(content, 120, seed=5)
    day = rels[-1][:10]
    write_entry(content, f"{day}/2358-korrigierte-meldung.md",
                CORRECTED.format(day=day.replace("/", "-")))  # fmt: skip
    output, cache = tmp_path / "site", tmp_path / "cache"
    build_site(content, output, cache=cache)
    return content, rels, output, cache


def test_rebuild_without_changes_writes_nothing(site):
    content, _, output, cache = site
    before = snapshot(output)
    build_site(content, output, cache=cache)
    assert changes(before, snapshot(output)) == {"written": 0, "removed": 0}


def test_rebuilds_without_changes_render_no_entry_page(site):
    """Also the first rebuild, whose entries come from Pelican's content cache while the
    first build read them: the pages' keys must not depend on how an entry was read."""
    content, rels, output, cache = site
    for _ in range(2):
        build_site(content, output, cache=cache)
        report = json.loads(next(cache.glob("output-*/last-build.json")).read_text())
        assert report["pages_unchanged"] > len(rels), report
        assert report["pages_rendered"] < 20, report  # the overview pages, never keyed


def test_rebuild_without_cache_rewrites_nothing_either(site):
    content, _, output, _ = site
    before = snapshot(output)
    build_site(content, output)  # every page rendered, none written: same bytes
    assert changes(before, snapshot(output)) == {"written": 0, "removed": 0}


def test_adding_an_entry_rewrites_only_the_pages_that_show_it(site):
    content, rels, output, cache = site
    before = snapshot(output)
    day = rels[-1][:10]
    date = day.replace("/", "-")
    write_entry(content, f"{day}/2359-neue-meldung.md", f"Title: Neue Meldung\nDate: {date} "
                "23:59\nTags: Kursk\nSource: afp\n\nGanz neu.\n")  # fmt: skip
    build_site(content, output, cache=cache)
    after = snapshot(output)
    written = {name for name, stamp in after.items() if before.get(name) != stamp}
    assert f"{day}/2359-neue-meldung/index.html" in written
    assert f"{day}/index.html" in written and "thema/kursk/index.html" in written
    oldest_entry_page = rels[0].removesuffix(".md") + "/index.html"
    assert oldest_entry_page not in written
    assert after[oldest_entry_page] == before[oldest_entry_page]
    entry_pages = {n for n in written if n.count("/") == 4 and n.endswith("/index.html")}
    assert entry_pages == {f"{day}/2359-neue-meldung/index.html",  # new, and its neighbour:
                           f"{day}/2358-korrigierte-meldung/index.html"}  # fmt: skip


def test_deleted_entry_pages_disappear_and_hand_placed_files_stay(site):
    content, rels, output, cache = site
    (output / "CNAME").write_text("chronik.example.org\n")
    page = output / rels[10].removesuffix(".md")
    assert (page / "index.html").is_file()
    (content / rels[10]).unlink()
    build_site(content, output, cache=cache)
    assert not page.exists(), "the deleted entry's folder is removed with its files"
    assert (output / "CNAME").read_text() == "chronik.example.org\n"


def test_a_changed_output_file_is_rendered_again(site):
    content, rels, output, cache = site
    page = output / rels[5].removesuffix(".md") / "index.html"
    original = page.read_bytes()
    page.write_bytes(b"tampered")
    build_site(content, output, cache=cache)
    assert page.read_bytes() == original


def test_touching_an_entry_without_changing_it_writes_nothing(site):
    content, rels, output, cache = site
    before = snapshot(output)
    os.utime(content / rels[3], ns=(1, 1))
    build_site(content, output, cache=cache)
    assert changes(before, snapshot(output))["written"] == 0


def test_an_invalid_entry_fails_the_build_also_when_the_cache_is_warm(site):
    content, rels, output, cache = site
    path = content / rels[7]
    path.write_text(path.read_text(encoding="utf-8").replace("Tags:", "Tagz:"),
                    encoding="utf-8")  # fmt: skip
    with pytest.raises(BuildFailed, match="Tagz"):
        build_site(content, output, cache=cache)


def test_two_entries_with_the_same_address_fail_the_build(content, build_site):
    text = "Title: {t}\nDate: 2025-03-01 09:30\nTags: Kursk\nSource: dpa\n\n{t} Text.\n"
    write_entry(content, "2025/03/01/0930-meldung.md", text.format(t="Eins"))
    write_entry(content, "2025/03/01/0930-Meldung.md", text.format(t="Zwei"))
    with pytest.raises(BuildFailed, match="same address"):
        build_site(content)


def test_the_cache_must_not_live_inside_the_output(tmp_path):
    content = tmp_path / "content"
    write_archive(content, 35, seed=2)
    with pytest.raises(BuildFailed, match="must not be inside the output"):
        build_site(content, tmp_path / "out", cache=tmp_path / "out" / ".cache")


def test_deleting_the_cache_gives_the_same_site(site, tmp_path):
    content, _, output, cache = site
    before = snapshot(output)
    shutil.rmtree(cache)
    build_site(content, output, cache=cache)
    assert changes(before, snapshot(output)) == {"written": 0, "removed": 0}


def test_a_vocabulary_change_reaches_entries_kept_in_the_cache(site):
    """Unchanged entries come from Pelican's content cache; a changed topics.toml must
    still show in them (the cache is only loaded when its fingerprint matches)."""
    content, rels, output, cache = site
    for name in ("topics.toml", "sources.toml"):
        shutil.copy(PROJECT_CONTENT / name, content / name)
    build_site(content, output, cache=cache)
    topics = content / "topics.toml"
    topics.write_text(topics.read_text(encoding="utf-8").replace(
        'slug = "kursk"', 'slug = "gebiet-kursk"'), encoding="utf-8")  # fmt: skip
    build_site(content, output, cache=cache)
    tagged = next(r for r in rels if "Kursk" in (content / r).read_text(encoding="utf-8"))
    page = (output / tagged.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "thema/gebiet-kursk/" in page and "thema/kursk/" not in page


def test_a_copy_of_an_entry_kept_in_the_cache_fails_the_build(site):
    content, rels, output, cache = site
    original = content / rels[4]
    text = original.read_text(encoding="utf-8")
    copy = original.with_name("2359-kopie.md")
    copy.write_text(text.replace("Title:", "Title: Kopie:", 1), encoding="utf-8")
    with pytest.raises(BuildFailed, match=f"same as in {rels[4]}"):
        build_site(content, output, cache=cache)


def _feed_titles(output: Path, path: str | Path) -> list[str]:
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.parse(output / path).getroot()
    return [item.findtext(f"{atom}title") for item in root.iter(f"{atom}entry")]


def test_feeds_follow_new_and_edited_entries_and_keep_the_others(site):
    """Feeds whose entries did not change are taken over from the last build; the
    feeds that show a new or edited entry must still be made again."""
    content, rels, output, cache = site
    day = rels[-1][:10]
    kept = next(p for p in sorted(output.glob("feeds/thema/*.atom.xml"))
                if p.name != "kursk.atom.xml")  # fmt: skip
    kept_stamp, kept_titles = kept.stat().st_mtime_ns, _feed_titles(output, kept)
    new = write_entry(
        content,
        f"{day}/2359-neue-meldung.md",
        f"Title: Neue Meldung\nDate: "
        f"{day.replace('/', '-')} 23:59\nTags: Kursk\nSource: afp\n\nGanz neu.\n",
    )
    build_site(content, output, cache=cache)
    for feed in ("feeds/alle.atom.xml", "feeds/thema/kursk.atom.xml"):
        assert _feed_titles(output, feed)[0] == "Neue Meldung"
    assert kept.stat().st_mtime_ns == kept_stamp
    new.write_text(new.read_text(encoding="utf-8").replace("Neue Meldung", "Neuer Titel"),
                   encoding="utf-8")  # fmt: skip
    build_site(content, output, cache=cache)
    assert _feed_titles(output, "feeds/thema/kursk.atom.xml")[0] == "Neuer Titel"
    assert _feed_titles(output, kept) == kept_titles


def test_a_rebuild_leaves_the_garbage_collector_as_it_found_it(site):
    """Loading Pelican's content cache pauses and then freezes the cycle collector;
    a process that builds again and again (livereload, these tests) must get it back,
    also when another plugin stops the build while the cache was about to load."""
    content, _, output, cache = site
    build_site(content, output, cache=cache)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    with pytest.raises(BuildFailed, match="CHARTS"):
        build_site(content, output, cache=cache, overrides={"CHARTS": {"recent_days": 0}})
    assert gc.isenabled() and gc.get_freeze_count() == 0


def _day_files(cache: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (cache / "articles").glob("*.pickle")}


def test_the_content_cache_serves_the_next_build_and_saves_only_changed_days(site, caplog):
    """The first build keeps its articles in one file per day: the next build reads no
    entry file; a build that read one entry rewrites only that entry's day file."""
    content, rels, output, cache = site
    days = _day_files(cache)
    assert sorted(days) == sorted({rel[:10].replace("/", "-") + ".pickle" for rel in rels})
    caplog.set_level("INFO")
    build_site(content, output, cache=cache)
    assert "entry_reader" not in caplog.text  # it reports only when it reads entries
    assert _day_files(cache) == days, "nothing read, nothing saved"
    edited = content / rels[0]
    edited.write_text(edited.read_text() + "Nachtrag.\n")
    build_site(content, output, cache=cache)
    assert f"{len(rels) + 1} entries, 1 read" in caplog.text
    rewritten = {name for name, stamp in _day_files(cache).items() if days[name] != stamp}
    assert rewritten == {rels[0][:10].replace("/", "-") + ".pickle"}
    caplog.clear()
    build_site(content, output, cache=cache)
    assert "entry_reader" not in caplog.text, "the edited entry came from the cache"


def test_a_cold_builds_content_cache_written_by_a_forked_process_serves_the_next(
        tmp_path, caplog, monkeypatch):  # fmt: skip
    """Many entries to save (a cold build): a forked process pickles them while the
    build goes on; the build waits for it at its end."""
    monkeypatch.setattr(article_cache, "FORK_MIN", 10)
    forks, fork = [], os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or fork())
    content, cache = tmp_path / "content", tmp_path / "cache"
    rels = write_archive(content, 40, seed=7)  # too few for any other helper process
    build_site(content, tmp_path / "site", cache=cache)
    assert forks == [1] and article_cache._saving is None, "forked, and waited for"
    assert len(_day_files(cache)) == len({rel[:10] for rel in rels})
    caplog.set_level("INFO")
    build_site(content, tmp_path / "site", cache=cache)
    assert "entry_reader" not in caplog.text  # nothing read: all from the day files


def test_a_deleted_entry_leaves_the_content_cache(site, caplog):
    content, rels, output, cache = site
    day = rels[0][:10]
    for rel in rels:
        if rel.startswith(day):
            (content / rel).unlink()
    build_site(content, output, cache=cache)
    assert day.replace("/", "-") + ".pickle" not in _day_files(cache)
    assert not (output / day).exists()
    caplog.set_level("INFO")
    build_site(content, output, cache=cache)
    assert "entry_reader" not in caplog.text


def test_day_files_of_other_code_or_damaged_ones_are_read_again(site, caplog):
    """A day file whose fingerprint (code, settings, vocabularies) differs, or that
    cannot be read, is not used: its entries are read, and it is written anew."""
    content, _, output, cache = site
    files = sorted((cache / "articles").glob("*.pickle"))
    files[0].write_bytes(files[0].read_bytes()[:100])
    article_cache.buildcache.save(files[1], "made by other code", {})
    before = snapshot(output)
    caplog.set_level("INFO")
    build_site(content, output, cache=cache)
    days = [content / file.stem.replace("-", "/") for file in files[:2]]
    assert f"{sum(len(list(day.glob('*.md'))) for day in days)} read" in caplog.text
    assert changes(before, snapshot(output)) == {"written": 0, "removed": 0}
    caplog.clear()
    build_site(content, output, cache=cache)
    assert "entry_reader" not in caplog.text, "both written anew"


def test_a_content_cache_that_cannot_be_written_is_not_used(tmp_path, caplog, monkeypatch):
    save = article_cache.buildcache.save

    def disk_full(path, *args):
        if path.parent.name == "articles":
            raise OSError(28, "No space left on device")
        save(path, *args)

    monkeypatch.setattr(article_cache.buildcache, "save", disk_full)
    content, cache = tmp_path / "content", tmp_path / "cache"
    rels = write_archive(content, 30, seed=2)
    build_site(content, tmp_path / "site", cache=cache)  # the site is still built
    assert "could not write the content cache" in caplog.text
    assert not list((cache / "articles").glob("*"))
    assert (tmp_path / "site" / rels[0][:10] / "index.html").is_file()
    monkeypatch.undo()
    caplog.clear()
    caplog.set_level("INFO")
    build_site(content, tmp_path / "site", cache=cache)
    assert f"{len(rels)} entries, {len(rels)} read" in caplog.text
