"""Keeping the browser index of a site current between builds: analyse only what changed.

`update_site` (the `search_index` plugin) keeps two pickles in the build cache: a small
head (the signature and order of every entry in id order, and size and mtime of every
index file written) and the `_Index` (keys with their last id and mask, counts, shard
layout; the posting strings are read back from the term files as needed). A rebuild where
no entry changed and no index file was touched reads only the head: nothing is analysed
or written, the files are only recorded as current outputs. Entries newer than all
others (the ticker's case) are appended; entries changed, deleted or inserted between
older ones are analysed alone, their old terms come from their old display files, and
only the posting strings of the affected keys are rewritten - by splicing, since ids
after a deleted or inserted entry shift by one, which changes one gap per key. Anything
else (many changes, other code or settings, index files touched by hand) rebuilds the
index, in one process per core. Every file is written only if its bytes changed, so the
output equals a build from scratch byte for byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, groupby, pairwise
from pathlib import Path

from liveticker import files
from liveticker.search_docs import SearchDoc, doc_terms
from liveticker.static_files import PostingsReader, file_sink, js_stats, read_script, script_text
from liveticker.static_index import (
    DOCS_PER_FILE,
    OWN_FILE_CHARS,
    PARALLEL_MIN_DOCS,
    SHARD_BYTES,
    Analysis,
    _Index,
    display,
    doc_file,
    settings,
    suggestion_words,
)
from liveticker.static_postings import DIGITS, enc

PATCH_MIN = 50  # up to this many changed entries (or 2 % of all) are patched in


@dataclass(frozen=True)
class DocSource:
    """An entry as the build knows it: `signature` changes whenever its SearchDoc may
    (file digest and URL), `order` is `SearchDoc.order`, `load()` makes the SearchDoc."""

    signature: str
    order: str
    load: Callable[[], SearchDoc]


def analyse_early(sources: list[DocSource], folder: Path,
                  cache_file: Path | None = None) -> Analysis | None:  # fmt: skip
    """If the index in `folder` will be built from scratch because no earlier build
    left its state (`cache_file` missing: a cold build), start analysing many `sources`
    now, in a helper on a core that is idle until background work starts
    (liveticker.parts); pass the result on to update_site. (Not by reading that state:
    it would be read twice in every rebuild.)"""
    if len(sources) < PARALLEL_MIN_DOCS or (cache_file is not None and cache_file.exists()):
        return None
    analysis = Analysis(sorted(sources, key=lambda s: s.order, reverse=True), 0, [],
                        file_sink(os.path.abspath(folder)))  # fmt: skip
    analysis.start_early()
    return analysis


def update_site(sources: list[DocSource], folder: Path, cache_file: Path | None = None,
                procs: int = 0, shard_bytes: int = SHARD_BYTES,
                own_file: int = OWN_FILE_CHARS, early: Analysis | None = None) -> dict:  # fmt: skip
    """Bring the index in `folder` up to date with `sources`; `procs`: processes for a
    full rebuild (0: as cores are free, liveticker.parts), `early`: its analysis as
    analyse_early started it. Returns {"written",
    "kept", "deleted", "bytes"} of the index files, "analysed" (entries analysed) and
    "full" (whether the index was built from scratch)."""
    folder = os.path.abspath(folder)
    sources = sorted(sources, key=lambda s: s.order, reverse=True)
    signatures = [s.signature for s in sources]
    before = js_stats(folder)
    head = _load_head(cache_file, (shard_bytes, own_file), before)
    if head is not None and head["signatures"] == signatures:
        files.note_outputs(before)
        return {"written": 0, "kept": len(before), "deleted": 0, "analysed": 0, "full": False,
                "bytes": sum(size for size, _ in before.values())}  # fmt: skip
    if early is not None and (head is not None or early.docs != sources):
        early.cancel()  # not the build it was started for
        early = None
    index = _load_index(cache_file, head, folder)
    state = _State(folder, sources, index or _Index(shard_bytes, own_file), head)
    try:
        after = state.write(before) if index is not None and state.patch() else None
    except (OSError, ValueError, KeyError):  # an index file unreadable after all
        after = None
    if after is None:
        state = _State(folder, sources, _Index(shard_bytes, own_file), None)
        state.index.add(sources, file_sink(folder), procs, analysis=early)
        state.dirty = state.displays = None
        state.analysed = len(sources)
        after = state.write(before)
    report = {"written": sum(1 for p, s in after.items() if before.get(p) != s),
              "deleted": sum(1 for p in before if p not in after),
              "bytes": sum(size for size, _ in after.values()),
              "analysed": state.analysed, "full": state.head is None}  # fmt: skip
    report["kept"] = len(after) - report["written"]
    if cache_file is not None:
        _save(cache_file, (shard_bytes, own_file), state, after)
    return report


class _State:
    """One update: the index, the entries now (id order) and the last build's head."""

    def __init__(self, folder: str, sources: list[DocSource], index: _Index, head):
        self.folder, self.sources, self.index, self.head = folder, sources, index, head
        self.dirty: set | None = set()  # keys whose postings changed
        self.displays: set | None = set()  # display files written (None: not known)
        self._file_sink = file_sink(folder)
        self.analysed = 0
        self.old_displays: dict[int, list] = {}  # display file number -> its data
        self.new_displays: dict[int, dict] = {}  # new id -> display of an analysed entry

    def patch(self) -> bool:
        """Apply the changes since the last build; False if there are too many."""
        old_orders, old_sigs = self.head["orders"], self.head["signatures"]
        orders = [s.order for s in self.sources]
        new_pos = {o: i for i, o in enumerate(orders)}
        old_pos = {o: i for i, o in enumerate(old_orders)}
        if len(new_pos) < len(orders) or len(orders) < len(old_orders) // 2:
            return False
        if [s.signature for s in self.sources[: len(old_sigs)]] == old_sigs:
            return self._append(len(old_sigs))
        sigs = [s.signature for s in self.sources]
        removed = [i for i, o in enumerate(old_orders)
                   if o not in new_pos or sigs[new_pos[o]] != old_sigs[i]]  # fmt: skip
        new_ids = [j for j, o in enumerate(orders)
                   if o not in old_pos or sigs[j] != old_sigs[old_pos[o]]]  # fmt: skip
        if len(removed) + len(new_ids) > 2 * max(PATCH_MIN, len(orders) // 50):
            return False
        self.index.postings.need_all()
        try:
            old_docs = [_from_display(self._old_display(i)) for i in removed]
        except (OSError, ValueError, KeyError, IndexError):
            return False
        self._forget(old_docs)
        added, keys = self._analyse(new_ids)
        segments = _segments(old_orders, orders, old_pos, new_pos, removed, new_ids)
        shifted = any(offset for _, _, offset in segments) or len(orders) != len(old_orders)
        if shifted:
            first = min([lo for lo, _, offset in segments if offset] + removed + [len(old_orders)])
            keys.update(k for k, entry in self.index.postings.items() if entry[1] >= first)
        else:
            for doc in old_docs:
                keys.update(_keys(doc, doc_terms(doc)[0]))
        postings = self.index.postings
        for key in keys:
            old = postings.get(key)
            new = _rewrite(old[0] if old else b"", segments, added.get(key, ()))
            if new is None:
                del postings[key]
            else:
                postings[key] = new
            if old is None or new is None or new[0] != old[0]:
                self.dirty.add(key)
        self.index.docs = len(orders)
        self.index.days = _days(orders)
        self.index.sort_keys(keys)
        self._rewrite_displays(old_pos, orders, new_ids)
        return True

    def _append(self, known: int) -> bool:
        tail_length = known % DOCS_PER_FILE
        try:
            tail = self._old_file(known - 1)[:tail_length] if tail_length else []
        except (OSError, ValueError):
            return False
        self.dirty = self.index.add(self.sources[known:], self._sink, tail=tail)
        self.analysed = len(self.sources) - known
        return True

    def _old_file(self, doc_id: int) -> list:
        """Display data of the last build's file holding `doc_id` (read once)."""
        number = doc_id // DOCS_PER_FILE
        if number not in self.old_displays:
            path = Path(self.folder, f"{doc_file(doc_id)}.js")
            self.old_displays[number] = read_script(path)
        return self.old_displays[number]

    def _old_display(self, doc_id: int) -> dict:
        return self._old_file(doc_id)[doc_id % DOCS_PER_FILE]

    def _forget(self, old_docs: list[SearchDoc]) -> None:
        """Take the counts of the old versions of changed or deleted entries back."""
        counts: Counter = Counter()
        for doc in old_docs:
            doc_terms(doc, counts)
            self.index.topics.subtract(zip(doc.topic_keys, doc.topics, strict=True))
            self.index.sources.subtract(doc.source_keys)
        self.index.count_words(suggestion_words(counts), -1)
        for counter in (self.index.topics, self.index.sources):
            for key in [k for k, n in counter.items() if n <= 0]:
                del counter[key]

    def _analyse(self, new_ids: list[int]) -> tuple[dict, set]:
        """{key: [(new id, mask), ...]} of the changed and inserted entries."""
        added: dict[str, list] = {}
        counts: Counter = Counter()
        for doc_id in new_ids:
            doc = self.sources[doc_id].load()
            masks, parts_of = doc_terms(doc, counts)
            for key, mask in _keys(doc, masks).items():
                added.setdefault(key, []).append((doc_id, mask))
            self.index.topics.update(zip(doc.topic_keys, doc.topics, strict=True))
            self.index.sources.update(doc.source_keys)
            self.new_displays[doc_id] = display(doc, parts_of)
        self.index.count_words(suggestion_words(counts))
        self.analysed = len(new_ids)
        return added, set(added)

    def _rewrite_displays(self, old_pos: dict, orders: list[str], new_ids: list[int]) -> None:
        """Write the display files whose entries changed, moved or were added."""
        old_n, new_n = len(self.head["orders"]), len(orders)
        old_ids = [old_pos.get(o) for o in orders]
        moved = [j for j, i in enumerate(old_ids) if i != j]
        first = min([*new_ids, *moved[:1], new_n])
        # old files a later new file may still need lie at most `back` files before it
        back = max((abs(j - old_ids[j]) for j in moved if old_ids[j] is not None), default=0)
        back = back // DOCS_PER_FILE + 1
        for lo in range(first - first % DOCS_PER_FILE, new_n, DOCS_PER_FILE):
            ids = range(lo, min(lo + DOCS_PER_FILE, new_n))
            same = all(old_ids[j] == j and j not in self.new_displays for j in ids)
            if same and min(lo + DOCS_PER_FILE, old_n) == ids.stop:
                continue
            displays = [self.new_displays[j] if j in self.new_displays
                        else self._old_display(old_ids[j]) for j in ids]  # fmt: skip
            if lo < old_n:
                self._old_file(lo)  # read before it is overwritten
            number = lo // DOCS_PER_FILE
            for stale in [n for n in self.old_displays if n < number - back]:
                del self.old_displays[stale]
            self._sink(doc_file(lo), displays)

    def _sink(self, name: str, data: list) -> None:
        self.displays.add(name)
        self._file_sink(name, data)

    def write(self, before: dict) -> dict[str, tuple[int, int]]:
        """Write the changed term files, delete stale ones; returns the new file stats.
        `before`: the stats of the files before the update (those of the last build, if
        it is a patch; the folder is not scanned again)."""
        term, names = self.index.term_files(self.dirty)
        for name, data in term.items():
            files.write_if_changed(Path(self.folder, f"{name}.js"), script_text(name, data))
        if self.displays is None:
            current = {os.path.join(self.folder, f"{name}.js") for name in names}
            current.update(os.path.join(self.folder, f"{doc_file(i)}.js")
                           for i in range(0, self.index.docs, DOCS_PER_FILE))  # fmt: skip
            stats = js_stats(self.folder)
            stale = stats.keys() - current
        else:
            stats = dict(before)
            display_files = -(-self.index.docs // DOCS_PER_FILE)
            stale = [p for p in before if not _current(p[len(self.folder) + 1 : -3],
                                                       names, display_files)]  # fmt: skip
            for name in {*term, *self.displays}:
                path = os.path.join(self.folder, f"{name}.js")
                stat = os.stat(path)
                stats[path] = (stat.st_size, stat.st_mtime_ns)
        for path in stale:
            os.unlink(path)
            del stats[path]
        files.note_outputs(stats)
        return stats


def _current(name: str, term_files: set[str], display_files: int) -> bool:
    """Whether a file of the last build is one of this build's (`d/<f div 1000>/<f>`
    for each display file number f below `display_files`, or a term file)."""
    if name.startswith("d/"):
        return int(name.rpartition("/")[2]) < display_files
    return name in term_files


def _keys(doc: SearchDoc, masks: dict[str, int]) -> dict[str, int]:
    """All keys of a document with their masks: words, topics and sources (mask 0)."""
    keys = dict(masks)
    keys.update((f"thema:{key}", 0) for key in doc.topic_keys)
    keys.update((f"quelle:{key}", 0) for key in doc.source_keys)
    return keys


def _from_display(data: dict) -> SearchDoc:
    return SearchDoc(path="", url=data["url"], day=data["day"], time=data["time"],
                     title=data["title"], text=data["text"], topics=tuple(data["topics"]),
                     sources=tuple(data["sources"]), order="")  # fmt: skip


def _segments(old_orders, orders, old_pos, new_pos, removed, new_ids) -> list[tuple]:
    """Runs (lo, hi, offset) of old ids that stay, each moving by one offset: old id i
    becomes i + offset."""
    cuts = {0, len(old_orders)}
    for i in removed:
        cuts.update((i, i + 1))
    inserted = [j for j in new_ids if orders[j] not in old_pos]
    for j in inserted:  # the first old entry after an inserted one starts a run
        later = next((orders[k] for k in range(j + 1, len(orders)) if orders[k] in old_pos), None)
        cuts.add(old_pos[later] if later is not None else len(old_orders))
    gone = set(removed)
    bounds = sorted(cuts)
    return [(lo, hi, new_pos[old_orders[lo]] - lo) for lo, hi in pairwise(bounds)
            if lo < hi and not (hi == lo + 1 and lo in gone)]  # fmt: skip


class _Values(dict):
    """Varint token (bytes) -> its value."""

    def __missing__(self, token: bytes) -> int:
        value = 0
        for char in token.decode():
            digit = DIGITS.index(char)
            value = value * 32 + (digit - 32 if digit >= 32 else digit)
        self[token] = value
        return value


_VALUES = _Values()
_T = rb"[w-zA-Z_-]*[0-9a-v]"  # one varint
# One posting: an optional mask switch (0 and the mask), then its gap, which is never 0.
_ENTRY = re.compile(rb"(?:0(" + _T + rb"))?([w-zA-Z_-]+[0-9a-v]|[1-9a-v])")


def _rewrite(data, segments: list[tuple], added) -> list | None:
    """A postings string with the entries of old ids outside `segments` dropped, those
    inside moved by their run's offset and `added` [(new id, mask), ...] merged in; as
    [bytearray, last id, last mask], None if no entry is left. Only the first entry of
    each run is encoded again: within a run, gaps and mask switches stay as they were."""
    entries = _ENTRY.findall(data)
    switches, gaps = zip(*entries, strict=True) if entries else ((), ())
    cum = list(accumulate(map(_VALUES.__getitem__, gaps)))  # per entry: its id + 1

    def start(entry: int) -> int:  # byte offset of an entry
        return sum(map(len, gaps[:entry])) + sum(map(len, switches[:entry])) + sum(
            map(bool, switches[:entry]))  # fmt: skip

    def mask_at(entry: int) -> int:
        while not switches[entry]:
            entry -= 1
        return _VALUES[switches[entry]]

    items: list[tuple] = [(new_id, mask) for new_id, mask in added]
    for lo, hi, offset in segments:
        a, b = bisect_left(cum, lo + 1), bisect_left(cum, hi + 1)
        if a < b:
            items.append((cum[a] - 1 + offset, a, b, offset))
    items.sort(key=lambda item: item[0])
    out: list = []
    last_id, last_mask = -1, -1
    for item in items:
        mask = item[1] if len(item) == 2 else mask_at(item[1])
        if mask != last_mask:
            out.append(b"0" + enc(mask))
        out.append(enc(item[0] - last_id))
        last_id, last_mask = item[0], mask
        if len(item) == 4 and item[2] > item[1] + 1:  # the rest of the run, as it was
            _, a, b, offset = item
            out.append(data[start(a + 1) : start(b)])
            last_id, last_mask = cum[b - 1] - 1 + offset, mask_at(b - 1)
    return [bytearray(b"".join(out)), last_id, last_mask] if out else None


def _days(orders: list[str]) -> list:
    """[day, count, ...] in id order, from the orders (they start with the day)."""
    days: list = []
    for prefix, run in groupby(orders, key=lambda order: order[:7]):
        day = dt.date.fromordinal(1_000_000 - int(prefix)).isoformat()
        days += [day, sum(1 for _ in run)]
    return days


# ---- The cache ----


def _fingerprint() -> str:
    """Format, analyzer and the code that makes the index."""
    here = Path(__file__).resolve().parent
    names = ("static_index.py", "static_layout.py", "static_update.py", "static_files.py",
             "search_docs.py", "text_de.py", "compounds_de.py", "search_rank.py")  # fmt: skip
    code = b"".join((here / name).read_bytes() for name in names)
    return hashlib.sha1(json.dumps(settings()).encode() + code).hexdigest()


def _index_file(cache_file: Path) -> Path:
    return Path(cache_file).with_name(Path(cache_file).stem + "-postings.pickle")


def _load_head(cache_file: Path | None, shape: tuple, stats: dict) -> dict | None:
    """The head of the last build into this folder, if the folder still holds exactly
    the files it wrote; else None."""
    if cache_file is None:
        return None
    try:
        with open(cache_file, "rb") as handle:
            head = pickle.load(handle)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
        return None
    if not isinstance(head, dict) or head.get("fingerprint") != _fingerprint():
        return None
    return head if head.get("shape") == shape and head.get("stats") == stats else None


def _load_index(cache_file: Path | None, head: dict | None, folder: str) -> _Index | None:
    """The index of the last build; its postings are read from the files in `folder` as
    they are needed (`head` says the files are the ones it wrote)."""
    if head is None:
        return None
    try:
        with open(_index_file(cache_file), "rb") as handle:
            token, index = pickle.load(handle)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
        return None
    if token != head["token"]:
        return None
    index.postings.reader = PostingsReader(folder, index.shards, index.tails)
    del index.tails
    return index


def _save(cache_file: Path, shape: tuple, state: _State, stats: dict) -> None:
    token = os.urandom(8).hex()
    head = {"fingerprint": _fingerprint(), "shape": shape, "token": token, "stats": stats,
            "orders": [s.order for s in state.sources],
            "signatures": [s.signature for s in state.sources]}  # fmt: skip
    _dump(_index_file(cache_file), (token, state.index))
    _dump(cache_file, head)


def _dump(path: Path, value) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
