"""The browser's search index: entries -> a manifest plus shards, as classic script files.

Every file is `LivetickerSearch.receive("<name>", <JSON>);`, so the page loads it with a
`<script src>` (no fetch/XHR: works from file:// and under `script-src 'self'`). A query
loads `manifest.js`, the term shards that hold its words (`t/<n>.js`, split by sorted
key ranges listed in the manifest), posting files of very frequent terms (`p/<n>.js`) and
one file per result shown (`d/<n // 1000>/<n>.js`). `docs/search.md` describes the format.

Doc ids follow reading order (0 = newest), so "newer first" is "smaller id first".
Postings of a key are impact-ordered: groups of documents with the same field mask,
best-weighted group first, each group delta-coded - the browser can stop after the first
groups for a frequent word.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from itertools import groupby, pairwise
from pathlib import Path

from liveticker import search_rank, text_de
from liveticker.search_docs import SearchDoc
from liveticker.search_query import PREFIX_MIN

FORMAT = 1
SHARD_BYTES = 24_000  # raw JSON per term shard
OWN_FILE_NUMBERS = 3_000  # posting lists longer than this get their own file
DOCS_PER_FOLDER = 1000
SUGGESTIONS = 6000
# Field bits of a posting; search-core.js reads the names from the manifest.
BITS = {"title_exact": 1, "title_stem": 2, "title_part": 4,
        "body_exact": 8, "body_stem": 16, "body_part": 32}  # fmt: skip


def settings() -> dict:
    return {"format": FORMAT, **text_de.analyzer_settings()}


def build_index(
    docs: list[SearchDoc], shard_bytes: int = SHARD_BYTES, own_file: int = OWN_FILE_NUMBERS
) -> dict[str, object]:
    """All files of the index as {relative name without `.js`: JSON-able data} (pure).
    Tests pass small `shard_bytes`/`own_file` to get many shards from few entries."""
    docs = sorted(docs, key=lambda d: d.order)
    postings: dict[str, list[int]] = {}  # key -> [rank << 28 | mask << 22 | doc id]
    frequency: Counter[str] = Counter()
    files: dict[str, object] = {}
    terms_of: dict[tuple[str, str], tuple] = {}  # (area, word) -> ((key, bit), ...), parts
    for doc_id, doc in enumerate(docs):
        masks: dict[str, int] = {}
        parts_of: dict[str, list[str]] = {}
        for area, text in (("title", doc.title), ("body", doc.text)):
            found = text_de.words(text)
            frequency.update(found)
            for word in set(found):
                known = terms_of.get((area, word))
                if known is None:
                    known = terms_of[(area, word)] = _terms(area, word)
                for key, bit in known[0]:
                    masks[key] = masks.get(key, 0) | bit
                if known[1]:
                    parts_of.update(known[1])
        for key in doc.topic_keys:
            masks[f"thema:{key}"] = 0
        for key in doc.source_keys:
            masks[f"quelle:{key}"] = 0
        for key, mask in masks.items():
            entry = _RANKED[mask] | doc_id
            try:
                postings[key].append(entry)
            except KeyError:
                postings[key] = [entry]
        files[doc_file(doc_id)] = _display(doc, doc_id, parts_of)
    shard_starts = _write_terms(postings, files, shard_bytes, own_file)
    files["s"] = _suggestions(frequency)
    files["manifest"] = {
        **settings(),
        "docs": len(docs),
        "weights": search_rank.WEIGHTS,
        "bits": BITS,
        "prefixFactor": search_rank.PREFIX_FACTOR,
        "prefixMin": PREFIX_MIN,
        "docsPerFolder": DOCS_PER_FOLDER,
        "shards": shard_starts,
        "days": _day_runs(docs),
        "topics": sorted({pair for d in docs for pair in zip(d.topic_keys, d.topics, strict=True)}),
        "sources": sorted({s for d in docs for s in d.source_keys}),
    }
    return files


def doc_file(doc_id: int) -> str:
    return f"d/{doc_id // DOCS_PER_FOLDER}/{doc_id}"


def write_index(files: dict[str, object], folder: Path) -> int:
    """Write the files as `<name>.js` under `folder` (replacing it); total bytes."""
    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    total = 0
    made: set[Path] = set()
    for name, data in files.items():
        path = folder / f"{name}.js"
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        text = script_text(name, data)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def script_text(name: str, data: object) -> str:
    """A script that hands `data` to the search core; `<` is escaped so that no entry
    text can close a script element, U+2028/9 for old parsers."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'LivetickerSearch.receive("{name}",{body});\n'


def build_for_site(docs: list[SearchDoc], folder: Path) -> int:
    """Build and write the index of a site (the Pelican plugin calls this)."""
    return write_index(build_index(docs), folder)


def _terms(area: str, word: str) -> tuple:
    pairs: dict[str, int] = {}
    parts_of = {}
    for exact, stemmed, parts in text_de.word_analyses(word):
        pairs[exact] = pairs.get(exact, 0) | BITS[f"{area}_exact"]
        pairs[stemmed] = pairs.get(stemmed, 0) | BITS[f"{area}_stem"]
        for part in parts:
            pairs[part] = pairs.get(part, 0) | BITS[f"{area}_part"]
        if parts:
            parts_of[exact] = list(parts)
    return tuple(pairs.items()), parts_of


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")  # the order of JavaScript's `<` on strings


def _write_terms(postings: dict, files: dict, shard_bytes: int, own_file: int) -> list[str]:
    starts: list[str] = []
    shard: dict[str, object] = {}
    size = 0
    own = 0
    for key in sorted(postings, key=_utf16):
        encoded: object = _encode(postings[key])
        if len(encoded) > own_file:
            files[f"p/{own}"] = encoded
            encoded, own = own, own + 1
        entry = len(key) + 4 + (len(json.dumps(encoded, separators=(",", ":"))) if
                                isinstance(encoded, list) else 8)  # fmt: skip
        if shard and size + entry > shard_bytes:
            files[f"t/{len(starts) - 1}"] = shard
            shard, size = {}, 0
        if not shard:
            starts.append(key)
        shard[key] = encoded
        size += entry
    if shard:
        files[f"t/{len(starts) - 1}"] = shard
    if starts:
        starts[0] = ""
    return starts


def _encode(entries: list[int]) -> list[int]:
    """[mask, count, first id, gap, gap, ..., mask, count, ...], best mask first."""
    entries.sort()
    out: list[int] = []
    for group, members in groupby(entries, key=_GROUP):
        ids = [e & _ID for e in members]
        out += [group & 63, len(ids), ids[0]]
        out += [b - a for a, b in pairwise(ids)]
    return out


def _best_weight(mask: int) -> int:
    return max((search_rank.WEIGHTS[f] for f, b in BITS.items() if mask & b), default=0)


# A posting is one int: rank of its mask (best weight first) << 28 | mask << 22 | doc id,
# so that sorting a key's postings gives the impact order of `_encode`.
_ID = (1 << 22) - 1
_RANKED = [0] * 64
for _rank, _mask in enumerate(sorted(range(64), key=lambda m: (-_best_weight(m), m))):
    _RANKED[_mask] = (_rank << 28) | (_mask << 22)


def _GROUP(entry: int) -> int:
    return entry >> 22


def _display(doc: SearchDoc, doc_id: int, parts_of: dict) -> dict:
    return {
        "id": doc_id, "url": doc.url, "title": doc.title, "day": doc.day, "time": doc.time,
        "topics": list(doc.topics), "topicKeys": doc.topic_keys,
        "sources": list(doc.sources), "text": doc.text, "parts": parts_of,
    }  # fmt: skip


def _day_runs(docs: list[SearchDoc]) -> list:
    runs: list = []
    for doc in docs:
        if runs and runs[-2] == doc.day:
            runs[-1] += 1
        else:
            runs += [doc.day, 1]
    return runs


def _suggestions(frequency: Counter) -> list:
    merged: Counter[str] = Counter()
    for word, count in frequency.items():
        if len(word) >= 4 and word.isalpha():
            merged[word.lower()] += count
    return [w for w, _ in merged.most_common(SUGGESTIONS)]
