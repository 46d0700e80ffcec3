"""The fast build makes the same site as the plain one: output trees compared byte for
byte, cold and after adding, editing and deleting entries (issue 7)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_entry

from liveticker.bench.synth import write_archive
from liveticker.build import build_site
from liveticker.entry_file import format_entry

# serial reading and rendering, no cache (incremental_writer's writer all the same)
PLAIN = {"ENTRY_READER": {"workers": 1, "cache": False},
         "INCREMENTAL_WRITER": {"workers": 1, "cache": False, "skip_unchanged": False}}
PARALLEL = {"ENTRY_READER": {"workers": 2}, "INCREMENTAL_WRITER": {"workers": 2}}
CORRECTED = """\
Title: Korrigierte Meldung
Date: {day} 23:58
Tags: Diplomatie
Source: dpa
Updated: {day} 23:59
Correction: Die Zahl der Toten war falsch angegeben.

Die Zahl wurde korrigiert.
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


def assert_same_site(built: Path, expected: Path) -> None:
    got, want = tree(built), tree(expected)
    assert sorted(set(got) ^ set(want)) == [], "files only in one of the two sites"
    differing = [name for name in want if got[name] != want[name]]
    assert differing == [], f"{len(differing)} files differ, e.g. {differing[:5]}"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[Path, list[str]]:
    """A synthetic archive of 160 entries over three days, with one corrected entry."""
    content = tmp_path_factory.mktemp("archive") / "content"
    rels = write_archive(content, 160, seed=3)
    day = rels[-1][:10].replace("/", "-")
    write_entry(content, f"{rels[-1][:10]}/2358-korrigierte-meldung.md",
                CORRECTED.format(day=day))  # fmt: skip
    return content, rels


# Pelican's own Writer, in a fresh interpreter: plugins connect to Pelican's signals for
# good, so in this process a build after any other would get incremental_writer's
# writer whatever its PLUGINS say. The only change: templates get template_name, as the
# site's header needs (Pelican's Writer does not pass it; IncrementalWriter does).
PLAIN_BUILD = """
import sys
from pelican import signals
from pelican.settings import read_settings
from pelican.writers import Writer
from liveticker.build import DEV_SETTINGS, build_site

class PlainWriter(Writer):
    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        super().write_file(name, template, {**context, "template_name": template_name},
                           relative_urls, paginated, template_name, override_output, url,
                           **kwargs)

signals.get_writer.connect(lambda pelican: PlainWriter, weak=False)
plugins = read_settings(str(DEV_SETTINGS))["PLUGINS"]
build_site(sys.argv[1], sys.argv[2], overrides={
    "ENTRY_READER": {"workers": 1, "cache": False},
    "PLUGINS": [p for p in plugins if p != "incremental_writer"]})
"""


def plain_build(content: Path, output: Path) -> Path:
    """Pelican's own Writer, serial reading and rendering, no cache."""
    done = subprocess.run([sys.executable, "-c", PLAIN_BUILD, str(content), str(output)],
                          cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return output


def test_parallel_cached_build_equals_plain_pelican_build(archive, tmp_path):
    content, _ = archive
    expected = plain_build(content, tmp_path / "plain")
    fast = build_site(content, tmp_path / "fast", cache=tmp_path / "cache", overrides=PARALLEL)
    assert_same_site(fast, expected)
    # and again from a warm cache into a fresh output folder
    again = build_site(content, tmp_path / "again", cache=tmp_path / "cache", overrides=PARALLEL)
    assert_same_site(again, expected)


def test_incremental_builds_equal_cold_builds_after_add_edit_delete(archive, tmp_path):
    source, rels = archive
    content = tmp_path / "content"
    shutil.copytree(source, content)
    output, cache = tmp_path / "site", tmp_path / "cache"
    build_site(content, output, cache=cache, overrides=PARALLEL)

    def check(step: str) -> None:
        incremental = build_site(content, output, cache=cache, overrides=PARALLEL)
        cold = build_site(content, tmp_path / f"cold-{step}", overrides=PLAIN)
        assert_same_site(incremental, cold)

    newest_day = rels[-1][:10]
    added = write_entry(content, f"{newest_day}/2359-neue-meldung.md",
                        "Title: Neue Meldung\nDate: " + newest_day.replace("/", "-") +
                        " 23:59\nTags: Diplomatie, Kursk\nSource: afp\n\nGanz neu.\n")  # fmt: skip
    check("added")
    edited = content / rels[40]
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n\n", "\n\nNeu: ", 1),
                      encoding="utf-8")  # fmt: skip
    check("edited")
    added.unlink()
    check("deleted")
    old_day = content / rels[0]
    old_day.unlink()  # an entry of the oldest day: its neighbours and day change
    check("deleted-old")


def test_incremental_build_after_moving_an_entry_to_another_day(archive, tmp_path):
    source, rels = archive
    content = tmp_path / "content"
    shutil.copytree(source, content)
    output, cache = tmp_path / "site", tmp_path / "cache"
    build_site(content, output, cache=cache)
    from liveticker.validate import check_entry_text
    from liveticker.vocab import load_vocabulary

    moved = content / rels[70]
    checked, _ = check_entry_text(moved.read_text(encoding="utf-8"), rels[70],
                                  load_vocabulary(content))  # fmt: skip
    import dataclasses

    entry = dataclasses.replace(checked.entry, day=checked.entry.day.replace(day=1))
    target = content / f"{entry.day:%Y/%m/%d}" / moved.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(format_entry(entry), encoding="utf-8")
    moved.unlink()
    incremental = build_site(content, output, cache=cache)
    assert_same_site(incremental, build_site(content, tmp_path / "cold", overrides=PLAIN))


# --- the Markdown fast path (liveticker/render.py) ---------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from liveticker import data_export, render  # noqa: E402
from liveticker.bench.synth import synthesize  # noqa: E402

_ALPHABET = "ab Zä.,;:?!()–„“'\"-+*_#1290\n\t<>&[]|{}~=\\`^\xa0 "


def _python_markdown(text: str) -> str:
    render._markdown.reset()
    return render._markdown.convert(text)


def test_plain_prose_fast_path_gives_python_markdowns_bytes_for_the_archive():
    taken = 0
    for item in synthesize(2500, seed=4):
        fast = render._plain_paragraphs(item.entry.body)
        if fast is not None:
            taken += 1
            assert fast == _python_markdown(item.entry.body), item.rel
    assert taken > 2000  # prose takes the fast path


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_plain_prose_fast_path_never_differs_from_python_markdown(text):
    fast = render._plain_paragraphs(text)
    if fast is not None:
        assert fast == _python_markdown(text)


# Plain prose skips nh3 and the HTML parser of the data export's text: both give the
# same bytes as the full path, on prose and on any text (all of Unicode but surrogates).
_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
_PROSE = st.text(alphabet=_ALPHABET, max_size=60)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(_PROSE, _ANY_TEXT))
def test_plain_prose_rendered_without_nh3_is_what_nh3_makes_of_it(text):
    if render._plain_paragraphs(text) is not None:
        assert render.render_body(text, "e") == render.sanitize(_python_markdown(text), "e")


@settings(max_examples=3000, deadline=None)
@given(st.one_of(_PROSE, _ANY_TEXT))
def test_the_export_text_of_plain_prose_is_that_of_its_html(text):
    html = render.render_body(text, "e")
    assert data_export.body_text(text, html) == data_export.plain_text(html)


def test_the_archive_takes_the_plain_prose_paths_with_the_same_bytes():
    for item in synthesize(1000, seed=5):
        body = item.entry.body
        full = render.sanitize(_python_markdown(body), "e")
        assert render.render_body(body, "e") == full, item.rel
        assert data_export.body_text(body, full) == data_export.plain_text(full), item.rel


def test_a_build_past_its_memory_budget_renders_alone_and_the_same(tmp_path, monkeypatch):
    """With no room for a copy of the build process (BUILD_MEMORY_MB, `invoke build
    --max-memory`), no helper process is started once the build process is big - only
    the reading worker, forked while it is small - and the site is the same. (The pages
    are then written by a writer process, a fresh interpreter, not a fork.)"""
    import os

    sys.path.insert(0, str(ROOT / "plugins"))
    import incremental_writer.render_pool as render_pool

    monkeypatch.setattr(render_pool, "WRITER_MIN", 100)
    started = []
    here = render_pool._render_here
    monkeypatch.setattr(render_pool, "_render_here", lambda jobs: started.append(1) or here(jobs))

    content = tmp_path / "content"
    write_archive(content, 500, seed=4)
    forks = []
    fork = os.fork

    def counting_fork():
        pid = fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    build_site(content, tmp_path / "wide", cache=tmp_path / "cache-wide")
    wide, forks[:], started[:] = len(forks), [], []
    build_site(content, tmp_path / "narrow", cache=tmp_path / "cache-narrow",
               overrides={"BUILD_MEMORY_MB": 1})  # fmt: skip
    assert wide > 1, "a build within its budget renders in helpers"
    assert len(forks) == 1, "only the reading worker"
    assert started, "its pages written by the writer process"
    assert_same_site(tmp_path / "narrow", tmp_path / "wide")
