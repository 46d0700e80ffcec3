"""The static index builder (no Pelican) and the browser core run on it under node.

The node tests (tests/js/) compare search-core.js with the Python side on data this
module writes: Whoosh's ranked results for every behaviour query, the analysis of every
corpus and lexicon word, the tokens of every fixture text and the parse of every query.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from liveticker import (
    compounds_de,
    static_files,
    static_index,
    static_layout,
    static_postings,
    static_update,
    text_de,
    whoosh_index,
)
from liveticker.search_docs import search_doc
from liveticker.search_query import parse
from liveticker.validate import check_tree

DATA = Path(__file__).parent / "data" / "search"
JS_TESTS = Path(__file__).parent / "js"
BEHAVIOUR = json.loads((DATA / "behaviour.json").read_text(encoding="utf-8"))
EXTRA_QUERIES = ["Angriff Rakete", "Ukraine-Krieg", "Kiew:", "-Drohnen thema:luftkrieg",
                 "datum:2025..2025-02-03", "\"Rotes Kreuz", "Rat*", "flüchtl", "datum:2025-02-30",
                 "quelle: dpa", "Angriff  ", "thema:Humanitäre-Lage 60.000", "ÄRZTE ẞ"]  # fmt: skip


def fixture_docs():
    entries, problems = check_tree(DATA)
    assert not [p for p in problems if p.is_error]
    return [search_doc(c.entry, c.path) for c in entries]


@pytest.fixture(scope="module")
def js_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("search-js")
    docs = fixture_docs()
    files = static_index.build_index(docs, shard_bytes=300, own_file=12)
    static_files.write_index(files, out / "index")
    (out / "manifest.json").write_text(json.dumps(files["manifest"]), encoding="utf-8")
    whoosh_index.build(docs, out / "whoosh")
    queries = [item["query"] for item in BEHAVIOUR] + EXTRA_QUERIES
    results = {q: [h.url for h in whoosh_index.search_in(out / "whoosh", q, None)] for q in queries}
    _write(out / "whoosh.json", results)
    _write(out / "queries.json", [[q, parse(q).as_dict()] for q in queries])
    shutil.copy(DATA / "behaviour.json", out / "behaviour.json")
    texts = [t for d in docs for t in (d.title, d.text)] + ["Ukraine-Krieg-Gespräche: 60.000 z.B."]
    _write(out / "tokens.json", [[t, [[k.position, k.surface, k.exact, k.stem]
                                      for k in text_de.tokens(t)]] for t in texts])  # fmt: skip
    vocabulary = {w for t in texts for w in text_de.words(t)} | set(compounds_de.nouns())
    vocabulary |= {w.capitalize() for w in list(compounds_de.nouns())[:20000]}
    vocabulary |= {"Fluechtlinge", "Strasse", "Straße", "Israel", "Frauen", "Quelle", "neue",
                   "Selenskyjs", "Trumps", "Autos", "Ökonomie", "Île", "ÄRZTE", "Systemen"}
    _write(out / "analysis.json", sorted([w, text_de.fold(w), text_de.stem(w)] for w in vocabulary))
    return out


def _write(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_js_core_agrees_with_python_on_analysis_queries_and_results(js_data):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed for the browser search tests (tests/js/)")
    run = subprocess.run(
        [node, "--test", str(JS_TESTS)], capture_output=True, text=True, timeout=300,
        env={**os.environ, "SEARCH_TEST_DATA": str(js_data)},
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "# fail 0" in run.stdout and "# skipped 0" in run.stdout


def test_index_records_format_and_analyzer():
    manifest = static_index.build_index(fixture_docs())["manifest"]
    assert manifest["format"] == static_index.FORMAT
    assert manifest["analyzer"] == text_de.ANALYZER_VERSION
    assert manifest["stemmer"].startswith("snowball-german pystemmer ")
    assert manifest["docs"] == len(fixture_docs())


def display_docs(files: dict) -> list[dict]:
    """Display data of every doc, in id order."""
    chunks = sorted((int(name.rsplit("/", 1)[1]), docs) for name, docs in files.items()
                    if name.startswith("d/"))  # fmt: skip
    return [doc for _, docs in chunks for doc in docs]


def test_doc_ids_count_from_the_oldest_entry():
    files = static_index.build_index(fixture_docs())
    days = [d["day"] for d in display_docs(files)]
    assert len(days) == files["manifest"]["docs"] and days == sorted(days)
    assert files["manifest"]["days"][-2:] == ["2025-03-01", 1]
    assert files[static_index.doc_file(0)][0]["day"] == days[0]


def test_small_shards_split_terms_by_sorted_ranges():
    files = static_index.build_index(fixture_docs(), shard_bytes=300, own_file=12)
    starts = files["manifest"]["shards"]
    assert len(starts) > 4 and starts[0] == "" and starts == sorted(starts)
    for number, start in enumerate(starts):
        keys = list(files[static_layout.shard_name(start)])
        assert all(k >= start for k in keys)
        if number + 1 < len(starts):
            assert all(k < starts[number + 1] for k in keys)
    assert any(name.startswith("p/") for name in files)


def test_shard_boundaries_stay_where_they_were_when_an_entry_is_added():
    docs = static_index.reading_order(fixture_docs())
    before = static_index.build_index(docs[:-1], shard_bytes=300, own_file=12)
    after = static_index.build_index(docs, shard_bytes=300, own_file=12)
    old, new = before["manifest"]["shards"], after["manifest"]["shards"]
    assert len(set(old) & set(new)) >= len(old) - 2


@pytest.mark.parametrize("seed", range(6))
def test_shards_laid_out_around_changed_keys_equal_a_full_layout(seed):
    """A rebuild lays out only the shards near the keys it changed; after any run of
    added, removed and grown keys the shards and posting files are the full layout's."""
    rng = random.Random(seed)
    vocabulary = [f"{rng.choice('abcdeföü')}{rng.randrange(10**6)}" for _ in range(3000)]
    postings = {key: [b"x" * rng.choice([3, 9, 40, 90, 400])] for key in vocabulary[:1500]}
    keys = sorted(postings, key=static_layout._utf16)
    shape = (300, 200)  # shard bytes, own file
    last = static_layout.layout(keys, postings, *shape)
    for _ in range(40):
        changed = set()
        for _ in range(rng.choice([1, 2, 5, 30])):
            key = rng.choice(vocabulary)
            if key in postings and rng.random() < 0.4:
                del postings[key]
            else:
                postings[key] = [b"x" * rng.choice([3, 9, 40, 90, 250, 400])]
            changed.add(key)
        keys = sorted(postings, key=static_layout._utf16)
        full = static_layout.layout(keys, postings, *shape)
        assert static_layout.layout(keys, postings, *shape, last[1:], changed) == full
        last = full


def test_varints_and_postings_round_trip():
    assert [static_postings.varint(n) for n in (0, 31, 32, 40, 1024)] == ["0", "v", "x0", "x8",
                                                                        "xw0"]  # fmt: skip
    files = static_index.build_index(fixture_docs())
    shard = next(v for k, v in files.items() if k.startswith("t/") and "angriff" in v)
    postings = static_postings.decode_postings(shard["angriff"])
    ids = [doc_id for doc_id, _ in postings]
    assert ids == sorted(set(ids))
    titles = [display_docs(files)[doc_id]["title"] for doc_id, mask in postings if mask & 1]
    assert titles == ["Angriff mit Drohnen und Raketen"]  # title, exact form


def test_compound_parts_travel_with_the_document():
    files = static_index.build_index(fixture_docs())
    charkiw = next(d for d in display_docs(files) if d["title"].startswith("Raketenangriffe"))
    parts = {group.split(" ")[0]: group.split(" ")[1:] for group in charkiw["parts"].split("|")}
    assert "angriff" in parts["raketenangriffe"]


def test_parallel_build_equals_one_process(monkeypatch):
    monkeypatch.setattr(static_index, "PARALLEL_MIN_DOCS", 2)
    docs = fixture_docs()
    assert static_index.build_index(docs, procs=2) == static_index.build_index(docs, procs=1)


def sources_of(docs):
    return [static_update.DocSource(f"{d.path}|{hash(d)}", d.order, lambda d=d: d) for d in docs]


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in folder.rglob("*.js")}  # fmt: skip


def test_unchanged_rebuild_writes_nothing_and_a_new_entry_only_its_files(tmp_path):
    docs = static_index.reading_order(fixture_docs())
    cache, folder = tmp_path / "cache.pickle", tmp_path / "search"
    small = {"shard_bytes": 300, "own_file": 12}
    first = static_update.update_site(sources_of(docs[:-1]), folder, cache, **small)
    assert first["full"] and first["analysed"] == len(docs) - 1
    before = snapshot(folder)
    again = static_update.update_site(sources_of(docs[:-1]), folder, cache, **small)
    assert (again["analysed"], again["written"], again["deleted"]) == (0, 0, 0)
    assert snapshot(folder) == before
    added = static_update.update_site(sources_of(docs), folder, cache, **small)
    assert (added["full"], added["analysed"], added["deleted"]) == (False, 1, 0)
    after = snapshot(folder)
    changed = {name for name in after if before.get(name) != after[name]}
    assert "manifest.js" in changed and len(changed) == added["written"]
    last_file = static_index.doc_file(len(docs) - 1) + ".js"
    assert [n for n in changed if n.startswith("d/")] == [last_file]
    assert [n for n in after if n.startswith("t/") and n not in changed]
    scratch = tmp_path / "scratch"
    static_files.write_index(static_index.build_index(docs, **small), scratch)
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in snapshot(scratch).items()}


def scratch_build(docs, folder: Path, **shape) -> dict:
    static_files.write_index(static_index.build_index(docs, **shape), folder)
    return {name: data for name, (_, data) in snapshot(folder).items()}


def edited(doc, words: str, **changes):
    return replace(doc, text=f"{doc.text} {words}", **changes)


def test_changed_deleted_and_inserted_entries_are_patched_in_alone(tmp_path, monkeypatch):
    """Each step analyses only the entries it changes, rewrites only files whose bytes
    change, and leaves the folder exactly as a build from scratch would."""
    docs = static_index.reading_order(fixture_docs())
    cache, folder = tmp_path / "cache.pickle", tmp_path / "search"
    small = {"shard_bytes": 300, "own_file": 12}
    static_update.update_site(sources_of(docs), folder, cache, **small)
    steps = [
        (lambda d: [*d[:5], edited(d[5], "Zusatzwort Raketenangriffe"), *d[6:]], 1),
        (lambda d: [*d[:5], edited(d[5], "", topics=("Europa",), sources=("dpa",)), *d[6:]], 1),
        (lambda d: d[1:], 0),  # the oldest entry deleted: every later id moves
        (lambda d: [*d[:3], *d[4:]], 0),
        (lambda d: [docs[0], *d[:2], docs[4], *d[2:]], 2),  # two inserted between older ones
        (lambda d: [*d[:2], edited(d[2], "Nachtrag"), *d[3:-1]], 1),  # edit + delete newest
        (lambda d: [*d, replace(docs[-1], order=docs[-1].order + "x")], 1),  # appended
    ]
    current = docs
    for step, analysed in steps:
        current = step(current)
        before = snapshot(folder)
        report = static_update.update_site(sources_of(current), folder, cache, **small)
        assert (report["full"], report["analysed"]) == (False, analysed)
        after = snapshot(folder)
        expected = scratch_build(current, tmp_path / f"scratch-{len(current)}", **small)
        assert {name: data for name, (_, data) in after.items()} == expected
        for name, (mtime, data) in after.items():
            if name in before and before[name][1] == data:
                assert before[name][0] == mtime, f"{name} rewritten with the same bytes"
    monkeypatch.setattr(static_update, "PATCH_MIN", 2)
    many = [edited(d, "Korrektur") for d in current]
    assert static_update.update_site(sources_of(many), folder, cache, **small)["full"]


def test_appended_entries_rank_the_did_you_mean_words_as_a_full_build(tmp_path, monkeypatch):
    """An append ranks only the last suggestions and the words it counted; with a list
    that ends among words found once, a new word and a word seen once before enter it,
    and others drop out, exactly as in a build from scratch."""
    docs = static_index.reading_order(fixture_docs())
    counted = static_index._Index()
    counted.add(docs, lambda *_: None)
    once = sorted(word for word, n in counted.words.items() if n == 1)
    monkeypatch.setattr(static_index, "SUGGESTIONS", len(counted.words) - len(once) + 3)
    cache, folder = tmp_path / "cache.pickle", tmp_path / "search"
    static_update.update_site(sources_of(docs), folder, cache)
    assert once[-1] not in static_files.read_script(folder / "s.js")
    current = docs
    for n, (text, entered) in enumerate([("Aalfang", "aalfang"), (once[-1], once[-1])], 1):
        day = dt.date.fromisoformat(docs[-1].day) + dt.timedelta(days=n)
        order = f"{1_000_000 - day.toordinal():07d}{docs[-1].order[7:]}"  # newer than all
        new = replace(docs[-1], day=day.isoformat(), order=order, text=text)
        current = [*current, new]
        report = static_update.update_site(sources_of(current), folder, cache)
        assert (report["full"], report["analysed"]) == (False, 1)
        written = static_files.read_script(folder / "s.js")
        assert written == static_index.build_index(current)["s"]
        assert entered in written


def test_index_files_touched_by_hand_are_rebuilt(tmp_path):
    docs = static_index.reading_order(fixture_docs())
    cache, folder = tmp_path / "cache.pickle", tmp_path / "search"
    static_update.update_site(sources_of(docs), folder, cache)
    shard = next(folder.glob("t/*.js"))
    shard.write_text("changed by hand", encoding="utf-8")
    report = static_update.update_site(sources_of(docs), folder, cache)
    assert report["full"] and report["written"] == 1
    assert {n: d for n, (_, d) in snapshot(folder).items()} == scratch_build(docs, tmp_path / "s")


def test_scripts_cannot_be_closed_by_entry_text(tmp_path):
    text = static_files.script_text("d/0/0", {"text": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and text.startswith('LivetickerSearch.receive("d/0/0",')


@pytest.mark.parametrize("body", [
    "Kiew: Angriff! Wirklich?\n\nJa: 60.000 Menschen.", "Titel\n===\n\nText", "a\n---\n",
    "Zeile  \nmit Umbruch", "1. Punkt\n2. Punkt", "Preis: 5 $ oder 4 €", "Term\n: Definition",
    "Ein [Link](https://example.org) und *kursiv* &amp; <b>fett</b>", "„Zitat“ – Strich",
    "Zeile\r\nzwei  Leerzeichen", "  eingerückt\n \n\nnach\u00a0\n Leerzeilen\t", "",
])  # fmt: skip
def test_plain_text_fast_path_matches_rendered_markdown(body):
    from liveticker.render import render_body
    from liveticker.search_docs import html_text, plain_text

    assert plain_text(body) == html_text(render_body(body, "s"))


def test_search_text_from_the_page_html_equals_own_rendering():
    """The build hands over the body HTML of the page (footnote ids prefixed with the
    entry's date): the searchable text is the same as from rendering the body anew."""
    from liveticker.render import render_body
    from liveticker.search_docs import plain_text

    body = "Laut [Reuters](https://example.org)[^1] fielen *zwei* Raketen.\n\n[^1]: Meldung 9:00"
    page_html = render_body(body, "2025-02-09-0900-raketen")
    assert "2025-02-09-0900-raketen" in page_html
    assert plain_text(body, page_html) == plain_text(body)
    assert "Reuters" in plain_text(body) and "example.org" not in plain_text(body)


def test_plain_text_of_every_fixture_and_seed_entry_matches_rendered_markdown():
    from liveticker.entry_file import split
    from liveticker.render import render_body
    from liveticker.search_docs import html_text, plain_text

    root = Path(__file__).resolve().parent.parent
    for path in [*DATA.rglob("*.md"), *(root / "content").rglob("*.md")]:
        body = split(path.read_text(encoding="utf-8")).body
        assert plain_text(body) == html_text(render_body(body, "s")), path


def _contents(folder: Path) -> dict:
    return {name: data for name, (_, data) in snapshot(folder).items()}


def test_a_cold_build_analysis_started_early_writes_the_same_index(tmp_path, monkeypatch):
    """analyse_early (a cold build's search plugin, at its context) starts a helper on
    the idle core; update_site takes over its runs. The index is the same as one built
    at once, also when background work paused the helper in between."""
    from liveticker import cores

    monkeypatch.setattr(static_update, "PARALLEL_MIN_DOCS", 2)
    docs = static_index.reading_order(fixture_docs())
    static_update.update_site(sources_of(docs), tmp_path / "at-once", procs=1)
    expected = _contents(tmp_path / "at-once")
    for name, background in (("early", None), ("paused", _Busy())):
        folder = tmp_path / name
        sources = sources_of(docs)
        early = static_update.analyse_early(sources, folder)
        assert early is not None and early.parts._helpers, "a helper started"
        if background is not None:
            cores.in_background(background)  # the entry pages start rendering
            assert all(stop.value for _, _, stop in early.parts._helpers)
        report = static_update.update_site(sources, folder, early=early)
        background and background.end()
        assert report["full"] and _contents(folder) == expected, name


@pytest.mark.parametrize("paused", [False, True])
def test_an_early_analysis_ends_with_a_failed_build(tmp_path, monkeypatch, paused):
    """Also when the entry pages had started rendering (paused, waiting to hand over)."""
    from liveticker import cores

    monkeypatch.setattr(static_update, "PARALLEL_MIN_DOCS", 2)
    early = static_update.analyse_early(sources_of(fixture_docs()), tmp_path / "search")
    (helper, _, _), = early.parts._helpers
    if paused:
        background = _Busy()
        cores.in_background(background)
    cores.end_build()  # build_site's finally, after a plugin raised
    assert not helper.is_alive()
    if paused:
        background.end()


class _Busy:
    def __init__(self):
        self.busy = True

    def running(self) -> bool:
        return self.busy

    def end(self) -> None:
        self.busy = False
