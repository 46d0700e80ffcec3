"""The browser index of a real build follows edits and deletions of single entries, and
rewrites only the index files whose bytes change (issue 7)."""

from __future__ import annotations

from pathlib import Path

from conftest import write_entry

from liveticker.bench.synth import write_archive
from liveticker.build import build_site
from liveticker.static_files import read_script
from liveticker.static_index import doc_file
from liveticker.static_layout import _base36, shard_name
from liveticker.static_postings import decode_postings
from liveticker.text_de import fold

ENTRY = """\
    Title: Lagebericht am Nachmittag
    Date: {day} 15:47
    Tags: Kursk
    Source: afp

    Beobachter melden {word} im Grenzgebiet.
    """


def search(index: Path, word: str) -> list[str]:
    """URLs of the entries holding `word` exactly, read from the index files as the
    browser reads them: manifest -> term shard (-> posting file) -> display files."""
    key = fold(word)
    manifest = read_script(index / "manifest.js")
    starts = [s for s in manifest["shards"] if s.encode("utf-16-be") <= key.encode("utf-16-be")]
    shard = read_script(index / f"{shard_name(starts[-1])}.js")
    postings = shard.get(key)
    if postings is None:
        return []
    if isinstance(postings, int):
        postings = read_script(index / f"p/{_base36(postings)}.js")
    found = []
    for doc_id, _ in decode_postings(postings):
        shown = read_script(index / f"{doc_file(doc_id)}.js")
        found.append(shown[doc_id % manifest["docsPerFile"]]["url"])
    return found


def index_files(index: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(index).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in index.rglob("*.js")}  # fmt: skip


def test_editing_and_deleting_one_entry_updates_the_browser_search(tmp_path):
    content, output, cache = tmp_path / "content", tmp_path / "site", tmp_path / "cache"
    rels = write_archive(content, 120, seed=3)
    day = rels[len(rels) // 2][:10]  # an entry between older and newer ones
    rel = f"{day}/1547-lagebericht.md"
    write_entry(content, rel, ENTRY.format(day=day.replace("/", "-"), word="Quokkas"))
    build_site(content, output, cache=cache)
    index = output / "search"
    url = f"{day}/1547-lagebericht/"
    assert search(index, "Quokkas") == [url]
    before = index_files(index)

    write_entry(content, rel, ENTRY.format(day=day.replace("/", "-"), word="Wombats"))
    build_site(content, output, cache=cache)
    assert search(index, "Wombats") == [url]
    assert search(index, "Quokkas") == []
    after = index_files(index)
    assert after.keys() == before.keys()
    both = {n: (before[n][1] + after[n][1]).lower() for n in after}
    untouched = [n for n, text in both.items() if b"quokka" not in text and b"wombat" not in text]
    assert len(untouched) > len(after) - 10
    assert [n for n in untouched if after[n][0] != before[n][0]] == []

    (content / rel).unlink()
    build_site(content, output, cache=cache)
    assert search(index, "Wombats") == []
    fresh = tmp_path / "fresh"
    build_site(content, fresh)
    assert {n: d for n, (_, d) in index_files(index).items()} == {
        n: d for n, (_, d) in index_files(fresh / "search").items()}  # fmt: skip
