"""The browser's search index: entries -> a manifest plus shards, as classic script files.

Every file is `LivetickerSearch.receive("<name>", <JSON>);`, so the page loads it with a
`<script src>` (no fetch/XHR: works from file:// and under `script-src 'self'`). A query
loads `manifest.js`, the term shards that hold its keys (`t/<name>.js`), posting files
of very frequent keys (`p/<name>.js`) and the display files of the results it shows
(`d/<folder>/<n>.js`, DOCS_PER_FILE entries each). `docs/search.md` describes the format.

Doc ids count in reading order from the oldest entry (0 = oldest), so a new entry of the
ticker gets the next id and changes only the postings of its own keys.
- Postings of a key: one string of base-32 varints, doc-id gaps in ascending order; a 0
  switches the field mask (`search_docs.BITS`) of the entries that follow
  (`static_postings`).
- Term shards: keys in JavaScript string order, cut where a key's CRC-32 says so
  (content-defined: adding a key moves no other boundary) or where a shard would pass
  twice SHARD_BYTES (`static_layout`). A shard's file is named after the CRC-32 of its
  first key.
- `_Index` remembers the shard layout it last produced, so that `term_files` lays out
  anew only around the changed keys and serialises only the shards and posting files
  whose keys changed (`static_update` builds on that).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from liveticker import parts, search_rank, text_de
from liveticker.search_docs import BITS, SearchDoc, doc_terms
from liveticker.search_query import PREFIX_MIN
from liveticker.static_layout import _base36, _utf16, layout
from liveticker.static_postings import add_postings, add_zero_mask, append_postings

FORMAT = 2
SHARD_BYTES = 16_000  # raw JSON per term shard, on average
OWN_FILE_CHARS = 4_000  # postings longer than this get their own file
DOCS_PER_FILE = 2  # entries per display file (more: fewer files, more bytes per query)
FILES_PER_FOLDER = 1000
SUGGESTIONS = 6000
PARALLEL_MIN_DOCS = 4000  # fewer entries are analysed in this process
PARTS = 16  # many entries: parts, this process taking them from one end, helpers from the other
BATCH = 512  # entries analysed, then added to the postings: each pass stays in CPU cache
# Receives (display file name, its display data); one with `in_worker = True` is called
# in the analysing processes themselves (it writes files), others in the parent.
Sink = Callable[[str, list], None]


def settings() -> dict:
    return {"format": FORMAT, **text_de.analyzer_settings()}


class Postings(dict):
    """key -> [postings bytearray, last id, last mask]. An index that `static_update`
    loads starts empty, with a `reader` (`static_files.PostingsReader`) that reads a
    shard's postings from the index files when one of its keys is first asked for
    (`need`, or `postings[key]`): an append reads the shards near its keys only."""

    reader = None

    def __missing__(self, key: str) -> list:
        if self.reader is None:
            raise KeyError(key)
        self.reader.read(self, (key,))
        return dict.__getitem__(self, key)

    def need(self, keys) -> None:
        """Read the postings of `keys` (so that `get` and `in` answer for them)."""
        if self.reader is not None:
            self.reader.read(self, keys)

    def need_all(self) -> None:
        if self.reader is not None:
            self.reader.read_all(self)


@dataclass
class _Index:
    """Everything the term files are made of; `static_update` pickles it between builds.
    Display files are written as entries are added (`add`'s sink) and not kept here."""

    shard_bytes: int = SHARD_BYTES
    own_file: int = OWN_FILE_CHARS
    postings: Postings = field(default_factory=Postings)
    words: Counter = field(default_factory=Counter)  # suggestion word -> entries with it
    days: list = field(default_factory=list)  # [day, count, ...] in id order
    topics: Counter = field(default_factory=Counter)  # (slug, name) -> entries
    sources: Counter = field(default_factory=Counter)  # code -> entries
    docs: int = 0
    keys: list = field(default_factory=list)  # the keys of `postings`, in JS string order
    shards: dict = field(default_factory=dict)  # shard file -> its keys, as last produced
    own: dict = field(default_factory=dict)  # key -> number of its posting file, likewise
    suggested: list = field(default_factory=list)  # the suggestions last produced
    risen: set | None = field(default_factory=set)  # words counted since; None: some fell

    def add(self, docs: list, sink: Sink, procs: int = 1, tail: list = (),
            analysis: Analysis | None = None) -> set[str]:  # fmt: skip
        """Append docs (next ids, oldest first; a DocSource is loaded where it is
        analysed). `tail`: display data of the last, partial display file, which the new
        docs complete; `sink` gets every display file they touch. `procs`: processes
        to analyse many docs in (0: as cores are free, liveticker.parts); `analysis`:
        their Analysis, if started already. Returns their keys."""
        first = self.docs
        if analysis is not None:
            parts = analysis.results()
        elif procs == 1 or len(docs) < PARALLEL_MIN_DOCS:
            parts = [_Part(first, list(tail), sink).feed(docs).result()]
        else:
            parts = Analysis(docs, first, list(tail), sink, procs).results()
        touched: set[str] = set()
        for part_postings, words, days, topics, sources in parts:
            self.postings.need(part_postings)
            append_postings(self.postings, part_postings)
            touched.update(part_postings)
            self.count_words(words)
            if self.days and days and self.days[-2] == days[0]:
                self.days[-1] += days[1]
                days = days[2:]
            self.days += days
            self.topics.update(topics)
            self.sources.update(sources)
        self.docs = first + len(docs)
        self.sort_keys(touched)
        return touched

    def sort_keys(self, candidates) -> None:
        """Bring `keys` up to date after `candidates` may have been added or removed."""
        if not self.keys:
            self.keys = sorted(self.postings, key=_utf16)
            return
        postings, known = self.postings, set(self.keys)
        if any(k not in postings for k in candidates):
            self.keys = [k for k in self.keys if k in postings]
        for key in candidates:
            if key in postings and key not in known:
                bisect.insort(self.keys, key, key=_utf16)

    def __getstate__(self) -> dict:
        """Without the posting strings: the index files hold them, and are read back
        when needed (`Postings`); kept are the last id and mask of every key."""
        state = dict(self.__dict__)
        postings = state.pop("postings")
        reader = postings.reader
        tails = dict(reader.tails) if reader is not None and not reader.complete else {}
        tails.update((key, entry[1] * 64 + entry[2]) for key, entry in postings.items())
        state["tails"] = tails
        return state

    def __setstate__(self, state: dict) -> None:
        self.tails = state.pop("tails")
        self.__dict__.update(state)
        self.postings = Postings()

    def count_words(self, counts: Counter, sign: int = 1) -> None:
        """Add (sign 1) or take back (-1) suggestion word counts. While counts only
        rise, `term_files` ranks only the last suggestions and the risen words: no word
        outside both can have passed the last suggestion."""
        if sign > 0:
            self.words.update(counts)
            if self.risen is not None:
                self.risen.update(counts)
            return
        if not counts:
            return
        self.words.subtract(counts)
        for word in counts:
            if self.words[word] <= 0:
                del self.words[word]
        self.risen = None

    def term_files(self, dirty=None) -> tuple[dict[str, object], set[str]]:
        """The term shards and posting files that hold a key of `dirty` or whose keys
        changed (all, if `dirty` is None), suggestions and manifest; and the names of all
        term files."""
        files: dict[str, object] = {}
        old = None if dirty is None else (self.shards, self.own)
        starts, shards, own = layout(self.keys, self.postings, self.shard_bytes, self.own_file,
                                     old, dirty)  # fmt: skip
        for name, keys in shards.items():
            if dirty is None or self.shards.get(name) != keys or not dirty.isdisjoint(keys):
                files[name] = {k: own[k] if k in own else self.postings[k][0].decode()
                               for k in keys}  # fmt: skip
        for key, number in own.items():
            if dirty is None or self.own.get(key) != number or key in dirty:
                files[f"p/{_base36(number)}"] = self.postings[key][0].decode()
        self.shards, self.own = shards, own
        if dirty is None or self.risen is None or not self.suggested:
            self.suggested = suggestions(self.words)
        else:
            self.suggested = suggestions(self.words, self.risen.union(self.suggested))
        self.risen = set()
        files["s"] = self.suggested
        files["manifest"] = {
            **settings(),
            "docs": self.docs,
            "weights": search_rank.WEIGHTS,
            "bits": BITS,
            "prefixFactor": search_rank.PREFIX_FACTOR,
            "prefixMin": PREFIX_MIN,
            "docsPerFile": DOCS_PER_FILE,
            "filesPerFolder": FILES_PER_FOLDER,
            "shards": starts,
            "days": self.days,
            "topics": sorted(self.topics),
            "sources": sorted(self.sources),
        }
        names = {*shards, *(f"p/{_base36(n)}" for n in own.values()), "s", "manifest"}
        return files, names


def reading_order(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Docs in id order: oldest first."""
    return sorted(docs, key=lambda d: d.order, reverse=True)


def build_index(docs: list[SearchDoc], shard_bytes: int = SHARD_BYTES,
                own_file: int = OWN_FILE_CHARS, procs: int = 1) -> dict[str, object]:  # fmt: skip
    """All files of the index as {relative name without `.js`: JSON-able data} (pure).
    Tests pass small `shard_bytes`/`own_file` to get many shards from few entries."""
    index = _Index(shard_bytes, own_file)
    files: dict[str, object] = {}
    index.add(reading_order(docs), files.__setitem__, procs)
    files.update(index.term_files()[0])
    return files


def doc_file(doc_id: int) -> str:
    """Name of the display file that holds doc `doc_id`."""
    number = doc_id // DOCS_PER_FILE
    return f"d/{number // FILES_PER_FOLDER}/{number}"


# ---- Postings ----


class _Part:
    """Postings, suggestion words, day runs, topics and sources of consecutive docs, fed
    in id order from `first_id` on; their display files go to `sink` (with `tail`, the
    displays of the ids before first_id in the same file)."""

    def __init__(self, first_id: int, tail: list, sink: Sink):
        self.next_id, self.displays, self.sink = first_id, list(tail), sink
        self.postings: dict[str, list] = {}
        self.counts: Counter[str] = Counter()
        self.days: list = []
        self.topics: Counter = Counter()
        self.sources: Counter = Counter()

    def feed(self, docs: list, between: Callable[[], None] | None = None) -> _Part:
        """Add docs (SearchDocs or DocSources) with the next ids; `between()` is called
        before each batch (a helper's Parts.check_pause)."""
        postings, days, displays = self.postings, self.days, self.displays
        for lo in range(0, len(docs), BATCH):
            if between is not None:
                between()
            batch = [d if isinstance(d, SearchDoc) else d.load() for d in docs[lo : lo + BATCH]]
            terms = [doc_terms(doc, self.counts) for doc in batch]
            ids = range(self.next_id, self.next_id + len(batch))
            add_postings(postings, [masks for masks, _ in terms], ids.start)
            for doc_id, doc, (_, parts_of) in zip(ids, batch, terms, strict=True):
                topic_keys = doc.topic_keys
                for key in topic_keys:
                    add_zero_mask(postings, f"thema:{key}", doc_id)
                for key in doc.source_keys:
                    add_zero_mask(postings, f"quelle:{key}", doc_id)
                    self.sources[key] += 1
                self.topics.update(zip(topic_keys, doc.topics, strict=True))
                if days and days[-2] == doc.day:
                    days[-1] += 1
                else:
                    days += [doc.day, 1]
                displays.append(display(doc, parts_of))
                if (doc_id + 1) % DOCS_PER_FILE == 0:
                    self.sink(doc_file(doc_id), displays)
                    displays = self.displays = []
            self.next_id = ids.stop
        return self

    def result(self) -> tuple:
        """(postings, suggestion words, day runs, topics, sources); the last, partial
        display file goes to the sink."""
        if self.displays:
            self.sink(doc_file(self.next_id - 1), self.displays)
            self.displays = []
        return (self.postings, suggestion_words(self.counts), self.days, self.topics,
                self.sources)  # fmt: skip


def suggestion_words(counts: Counter) -> Counter:
    """Word counts as the did-you-mean list counts them: lower case, letters only, 4+."""
    merged: Counter[str] = Counter()
    for word, count in counts.items():
        if len(word) >= 4 and word.isalpha():
            merged[word.lower()] += count
    return merged


class Analysis:
    """The analysis of many docs (ids first_id, first_id+1, ...) in PARTS runs that each
    start a display file (so that each process writes whole display files): this
    process takes runs from the front, helpers from the back as cores are free
    (liveticker.parts) - on an idle core from `start_early` on, if called."""

    def __init__(self, docs: list, first_id: int, tail: list, sink: Sink, procs: int = 0):
        self.docs, self.first_id, self.tail, self.sink = docs, first_id, tail, sink
        step = -(-len(docs) // PARTS)
        self.cuts = [0]
        for lo in range(step, len(docs), step):
            lo -= (first_id + lo) % DOCS_PER_FILE
            if lo > self.cuts[-1]:
                self.cuts.append(lo)
        self.cuts.append(len(docs))
        self.parts = parts.Parts(len(self.cuts) - 1, self._back, procs)

    def start_early(self) -> None:
        text_de.preload()  # loaded once, shared by the helpers
        self.parts.start_early()

    def results(self) -> list:
        """The _Part results of all runs, in id order."""
        text_de.preload()
        own = _Part(self.first_id, self.tail, self.sink)
        done, others = self.parts.run(lambda number: own.feed(self._docs_of(number)))
        results = [own.result()] if done else []  # else the helpers did every run
        for number in sorted(others):
            part, files = others[number]
            for name, displays in files.items():
                self.sink(name, displays)
            results.append(part)
        return results

    def cancel(self) -> None:
        self.parts.cancel()

    def _docs_of(self, number: int) -> list:
        return self.docs[self.cuts[number] : self.cuts[number + 1]]

    def _back(self, number: int) -> tuple:
        """Run `number` in a helper: its result and (unless the sink writes them itself,
        `in_worker`) its display files."""
        files: dict[str, list] = {}
        in_worker = getattr(self.sink, "in_worker", False)
        part = _Part(self.first_id + self.cuts[number], self.tail if number == 0 else [],
                     self.sink if in_worker else files.__setitem__)  # fmt: skip
        return part.feed(self._docs_of(number), self.parts.check_pause).result(), files


# ---- Files ----


def display(doc: SearchDoc, parts_of: dict) -> dict:
    """What the page shows of a result; `parts`: "exact part part|exact part ..." (the
    part stems of each compound, for highlighting; words hold no space or `|`)."""
    parts = "|".join(" ".join([exact, *stems]) for exact, stems in parts_of.items())
    return {"url": doc.url, "title": doc.title, "day": doc.day, "time": doc.time,
            "topics": list(doc.topics), "sources": list(doc.sources), "text": doc.text,
            "parts": parts}  # fmt: skip


def suggestions(words: Counter, candidates=None) -> list:
    """The SUGGESTIONS words found in the most entries (of `candidates`, if given)."""
    ranked = sorted(words if candidates is None else candidates, key=lambda w: (-words[w], w))
    return ranked[:SUGGESTIONS]
