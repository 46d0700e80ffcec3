"""The browser's search index: entries -> a manifest plus shards, as classic script files.

Every file is `LivetickerSearch.receive("<name>", <JSON>);`, so the page loads it with a
`<script src>` (no fetch/XHR: works from file:// and under `script-src 'self'`). A query
loads `manifest.js`, the term shards that hold its keys (`t/<name>.js`), posting files
of very frequent keys (`p/<name>.js`) and the display files of the results it shows
(`d/<folder>/<n>.js`, DOCS_PER_FILE entries each). `docs/search.md` describes the format.

Doc ids count in reading order from the oldest entry (0 = oldest), so a new entry of the
ticker gets the next id and changes only the postings of its own keys.
- Postings of a key: one string of base-32 varints (`DIGITS`), doc-id gaps in ascending
  order; a 0 switches the field mask (`search_docs.BITS`) of the entries that follow.
- Term shards: keys in JavaScript string order, cut where a key's CRC-32 says so
  (content-defined: adding a key moves no other boundary) or where a shard would pass
  twice SHARD_BYTES. A shard's file is named after the CRC-32 of its first key.
- `update_site` (the build) keeps the postings in a cache file: when the entries of the
  last build are unchanged and only newer ones were added, only those are analysed; every
  file is written with `write_if_changed`, so unchanged files keep their bytes and mtime.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import pickle
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from liveticker import search_rank, text_de
from liveticker.files import write_if_changed
from liveticker.search_docs import BITS, SearchDoc, doc_terms
from liveticker.search_query import PREFIX_MIN

FORMAT = 2
SHARD_BYTES = 16_000  # raw JSON per term shard, on average
OWN_FILE_CHARS = 4_000  # postings longer than this get their own file
DOCS_PER_FILE = 2  # entries per display file (more: fewer files, more bytes per query)
FILES_PER_FOLDER = 1000
SUGGESTIONS = 6000
PARALLEL_MIN_DOCS = 4000  # fewer entries are analysed in this process
WRITE_THREADS = 4
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def varint(n: int) -> str:
    """5-bit groups, most significant first: continuation digits DIGITS[32:], the last
    group from DIGITS[:32] (`0` -> "0", `40` -> "x8")."""
    out = DIGITS[n & 31]
    n >>= 5
    while n:
        out = DIGITS[32 + (n & 31)] + out
        n >>= 5
    return out


_VARINT = [varint(n).encode() for n in range(1 << 15)]


def _enc(n: int) -> bytes:
    return _VARINT[n] if n < 32768 else varint(n).encode()


def settings() -> dict:
    return {"format": FORMAT, **text_de.analyzer_settings()}


@dataclass
class _Index:
    """Everything the files are made of; the cache of `update_site` pickles it."""

    shard_bytes: int = SHARD_BYTES
    own_file: int = OWN_FILE_CHARS
    postings: dict = field(default_factory=dict)  # key -> [bytearray, last id, last mask]
    counts: Counter = field(default_factory=Counter)  # word -> entries holding it
    days: list = field(default_factory=list)  # [day, count, ...] in id order
    topics: set = field(default_factory=set)  # (slug, name)
    sources: set = field(default_factory=set)
    docs: int = 0
    tail: list = field(default_factory=list)  # display data of the last, partial file

    def add(self, docs: list[SearchDoc | DocSource], procs: int = 1) -> dict[str, list]:
        """Append docs (next ids, oldest first; a DocSource is loaded where it is
        analysed); returns the display files they touch."""
        first = self.docs
        if procs > 1 and len(docs) >= PARALLEL_MIN_DOCS:
            parts = _parallel(docs, first, procs)
        else:
            parts = [_encode_range(docs, first)]
        for part_postings, counts, _ in parts:
            _append_postings(self.postings, part_postings)
            self.counts.update(counts)
        shown = self.tail + [d for _, _, displays in parts for d in displays]
        for display in shown[len(self.tail) :]:
            if self.days and self.days[-2] == display["day"]:
                self.days[-1] += 1
            else:
                self.days += [display["day"], 1]
            self.topics.update(zip(display.pop("topicKeys"), display["topics"], strict=True))
            self.sources.update(s.lower() for s in display["sources"])
        start = first - len(self.tail)
        self.docs = first + len(docs)
        touched = {}
        for offset in range(0, len(shown), DOCS_PER_FILE):
            touched[doc_file(start + offset)] = shown[offset : offset + DOCS_PER_FILE]
        last = touched.get(doc_file(self.docs - 1), []) if self.docs else []
        self.tail = last if len(last) < DOCS_PER_FILE else []
        return touched

    def term_files(self) -> dict[str, object]:
        """Term shards, posting files, suggestions and manifest."""
        files: dict[str, object] = {}
        starts = _shards(self.postings, files, self.shard_bytes, self.own_file)
        files["s"] = _suggestions(self.counts)
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
        return files


def reading_order(docs: list[SearchDoc]) -> list[SearchDoc]:
    """Docs in id order: oldest first."""
    return sorted(docs, key=lambda d: d.order, reverse=True)


def build_index(docs: list[SearchDoc], shard_bytes: int = SHARD_BYTES,
                own_file: int = OWN_FILE_CHARS, procs: int = 1) -> dict[str, object]:  # fmt: skip
    """All files of the index as {relative name without `.js`: JSON-able data} (pure).
    Tests pass small `shard_bytes`/`own_file` to get many shards from few entries."""
    index = _Index(shard_bytes, own_file)
    files: dict[str, object] = dict(index.add(reading_order(docs), procs))
    files.update(index.term_files())
    return files


def doc_file(doc_id: int) -> str:
    """Name of the display file that holds doc `doc_id`."""
    number = doc_id // DOCS_PER_FILE
    return f"d/{number // FILES_PER_FOLDER}/{number}"


def script_text(name: str, data: object) -> str:
    """A script that hands `data` to the search core; `<` is escaped so that no entry
    text can close a script element, U+2028/9 for old parsers."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    body = body.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'LivetickerSearch.receive("{name}",{body});\n'


def write_index(files: dict[str, object], folder: Path, keep: set[str] = frozenset()) -> dict:
    """Write the files as `<name>.js` under `folder`, each only if its bytes changed;
    delete other `.js` files there unless named in `keep` (files of the last build that
    are still current). Returns {"written", "kept", "deleted", "bytes"}."""
    folder = os.path.abspath(folder)
    jobs = [(os.path.join(folder, f"{name}.js"), name, data) for name, data in files.items()]
    current = {path for path, _, _ in jobs}
    for name in keep:
        path = os.path.join(folder, f"{name}.js")
        if path not in current and os.path.isfile(path):
            jobs.append((path, name, None))  # unchanged: only recorded as an output
            current.add(path)
    for subfolder in {os.path.dirname(path) for path, _, _ in jobs}:
        os.makedirs(subfolder, exist_ok=True)
    # Creating files is mostly kernel time, which threads overlap.
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        written = list(pool.map(_write, jobs, chunksize=256))
    report = {"written": sum(w for w, _ in written), "deleted": 0,
              "bytes": sum(size for _, size in written)}  # fmt: skip
    report["kept"] = len(jobs) - report["written"]
    for path in _js_files(folder):
        if path not in current:
            os.unlink(path)
            report["deleted"] += 1
    return report


def _write(job: tuple[str, str, object]) -> tuple[bool, int]:
    path, name, data = job
    raw = Path(path).read_bytes() if data is None else script_text(name, data).encode()
    return write_if_changed(Path(path), raw), len(raw)


def _js_files(folder: str) -> list[str]:
    found, folders = [], [folder]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.path)
            elif entry.name.endswith(".js"):
                found.append(entry.path)
    return found


def build_for_site(docs: list[SearchDoc], folder: Path, procs: int = 0) -> int:
    """Build and write the whole index (no cache); total bytes."""
    files = build_index(docs, procs=procs or os.cpu_count() or 1)
    return write_index(files, folder)["bytes"]


@dataclass(frozen=True)
class DocSource:
    """An entry as the build knows it: `signature` changes whenever its SearchDoc may
    (file digest and URL), `order` is `SearchDoc.order`, `load()` makes the SearchDoc."""

    signature: str
    order: str
    load: Callable[[], SearchDoc]


def update_site(sources: list[DocSource], folder: Path, cache_file: Path | None = None,
                procs: int = 0, shard_bytes: int = SHARD_BYTES,
                own_file: int = OWN_FILE_CHARS) -> dict:  # fmt: skip
    """Bring the index in `folder` up to date with `sources`. With a cache file from the
    last build whose entries are the oldest of `sources`, unchanged, only the newer ones
    are analysed and only the files they touch change. Returns the write report plus
    "analysed" (entries analysed) and "full" (whether it was a full build)."""
    procs = procs or os.cpu_count() or 1
    sources = sorted(sources, key=lambda s: s.order, reverse=True)
    signatures = [s.signature for s in sources]
    fingerprint = _fingerprint()
    cached = _load_cache(cache_file, fingerprint, folder)
    same_shape = cached is not None and (cached[0].shard_bytes, cached[0].own_file) == (
        shard_bytes, own_file)  # fmt: skip
    if same_shape and signatures[: len(cached[1])] == cached[1]:
        index, known = cached
    else:
        index, known = _Index(shard_bytes, own_file), []
    new = sources[len(known) :]
    touched = index.add(new, procs)
    files = {**touched, **index.term_files()}
    keep = {doc_file(i * DOCS_PER_FILE) for i in range(-(-index.docs // DOCS_PER_FILE))}
    report = write_index(files, folder, keep)
    report.update(analysed=len(new), full=not known)
    if cache_file is not None:
        manifest = (Path(folder) / "manifest.js").read_bytes()
        _save_cache(cache_file, (fingerprint, hashlib.sha1(manifest).hexdigest(), index,
                                 signatures))  # fmt: skip
    return report


# ---- Postings ----


def _encode_range(docs: list, first_id: int) -> tuple[dict, Counter, list]:
    """Postings, word counts and display data of docs with ids first_id, first_id+1, ...
    (SearchDocs or DocSources)."""
    postings: dict[str, list] = {}
    counts: Counter[str] = Counter()
    displays = []
    get = postings.get
    small = _VARINT
    for doc_id, doc in enumerate(docs, first_id):
        if isinstance(doc, DocSource):
            doc = doc.load()
        masks, parts_of = doc_terms(doc, counts)
        for key, mask in masks.items():  # the inner loop of the build: keep it lean
            entry = get(key)
            if entry is None:
                postings[key] = [bytearray(b"0" + _enc(mask) + _enc(doc_id + 1)), doc_id, mask]
                continue
            if entry[2] != mask:
                entry[0] += b"0" + small[mask]
                entry[2] = mask
            gap = doc_id - entry[1]
            entry[0] += small[gap] if gap < 32768 else _enc(gap)
            entry[1] = doc_id
        for key in doc.topic_keys:
            _add_zero_mask(postings, f"thema:{key}", doc_id)
        for key in doc.source_keys:
            _add_zero_mask(postings, f"quelle:{key}", doc_id)
        displays.append({**_display(doc, parts_of), "topicKeys": doc.topic_keys})
    return postings, counts, displays


def _add_zero_mask(postings: dict, key: str, doc_id: int) -> None:
    entry = postings.get(key)
    if entry is None:
        postings[key] = [bytearray(b"00" + _enc(doc_id + 1)), doc_id, 0]
    else:
        entry[0] += _enc(doc_id - entry[1])
        entry[1] = doc_id


def _append_postings(postings: dict, later: dict) -> None:
    """Join the postings of later doc ids onto `postings` (both as made by _encode_range:
    each string starts with 0, its first mask and its first id + 1)."""
    for key, (data, last_id, last_mask) in later.items():
        entry = postings.get(key)
        if entry is None:
            postings[key] = [data, last_id, last_mask]
            continue
        mask, position = _decode_varint(data, 1)
        first, position = _decode_varint(data, position)
        head = b"" if mask == entry[2] else b"0" + _enc(mask)
        entry[0] += head + _enc(first - 1 - entry[1]) + data[position:]
        entry[1], entry[2] = last_id, last_mask


def _decode_varint(data: bytes, start: int) -> tuple[int, int]:
    value, position = 0, start
    while True:
        digit = DIGITS.index(chr(data[position]))
        position += 1
        if digit < 32:
            return value * 32 + digit, position
        value = value * 32 + digit - 32


def decode_postings(text: str) -> list[tuple[int, int]]:
    """[(doc id, mask), ...] of a postings string (tests, debugging)."""
    out, doc_id, mask, position, set_mask = [], -1, 0, 0, False
    data = text.encode()
    while position < len(data):
        value, position = _decode_varint(data, position)
        if set_mask:
            mask, set_mask = value, False
        elif value == 0:
            set_mask = True
        else:
            doc_id += value
            out.append((doc_id, mask))
    return out


_JOB: list[SearchDoc] = []


def _parallel(docs: list[SearchDoc], first_id: int, procs: int) -> list:
    """_encode_range over `procs` forked workers, each on a run of consecutive docs."""
    global _JOB
    step = -(-len(docs) // procs)
    _JOB = docs
    try:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            return pool.starmap(_encode_job, [(lo, min(lo + step, len(docs)), first_id)
                                              for lo in range(0, len(docs), step)])  # fmt: skip
    finally:
        _JOB = []


def _encode_job(lo: int, hi: int, first_id: int):
    return _encode_range(_JOB[lo:hi], first_id + lo)


# ---- Files ----


def shard_name(start: str) -> str:
    """File name of the shard whose first key is `start` (search-core.js: shardName)."""
    return f"t/{_base36(zlib.crc32(start.encode()))}"


def _shards(postings: dict, files: dict, shard_bytes: int, own_file: int) -> list[str]:
    starts: list[str] = []
    names: set[str] = set()
    used: set[int] = set()
    shard: dict[str, object] = {}
    size = 0
    spread = max(1, shard_bytes * 3 // 4)
    for key in sorted(postings, key=_utf16):
        value: object = postings[key][0].decode()
        if len(value) > own_file:
            number = zlib.crc32(key.encode())
            while number in used:
                number += 1
            used.add(number)
            files[f"p/{_base36(number)}"] = value
            value = number
        entry = len(key) + (len(value) if isinstance(value, str) else 10) + 6
        # Each byte of an entry is a cut point with probability 1/spread, after a minimum
        # size: shards average about shard_bytes, whatever the sizes of the entries.
        cut = size + entry > 2 * shard_bytes or (
            size >= shard_bytes // 4 and zlib.crc32(key.encode()) % spread < entry)  # fmt: skip
        if shard and cut and shard_name(key) not in names:
            files[shard_name(starts[-1])] = shard
            shard, size = {}, 0
        if not shard:
            starts.append("" if not starts else key)
            names.add(shard_name(starts[-1]))
        shard[key] = value
        size += entry
    if shard:
        files[shard_name(starts[-1])] = shard
    return starts


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be")  # the order of JavaScript's `<` on strings


def _base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = DIGITS[digit] + out
        if not number:
            return out


def _display(doc: SearchDoc, parts_of: dict) -> dict:
    """What the page shows of a result; `parts`: "exact part part|exact part ..." (the
    part stems of each compound, for highlighting; words hold no space or `|`)."""
    parts = "|".join(" ".join([exact, *stems]) for exact, stems in parts_of.items())
    return {"url": doc.url, "title": doc.title, "day": doc.day, "time": doc.time,
            "topics": list(doc.topics), "sources": list(doc.sources), "text": doc.text,
            "parts": parts}  # fmt: skip


def _suggestions(counts: Counter) -> list:
    merged: Counter[str] = Counter()
    for word, count in counts.items():
        if len(word) >= 4 and word.isalpha():
            merged[word.lower()] += count
    ranked = sorted(merged.items(), key=lambda pair: (-pair[1], pair[0]))
    return [word for word, _ in ranked[:SUGGESTIONS]]


# ---- Cache of update_site ----


def _fingerprint() -> str:
    """Format, analyzer and the code that makes the index."""
    here = Path(__file__).resolve().parent
    names = ("static_index.py", "search_docs.py", "text_de.py", "compounds_de.py", "search_rank.py")
    code = b"".join((here / name).read_bytes() for name in names)
    return hashlib.sha1(json.dumps(settings()).encode() + code).hexdigest()


def _load_cache(cache_file: Path | None, fingerprint: str, folder: Path):
    """(index, signatures) of the last build into `folder`, if that is still what the
    folder holds; else None."""
    if cache_file is None:
        return None
    try:
        with open(cache_file, "rb") as handle:
            saved, manifest_digest, index, signatures = pickle.load(handle)
        manifest = (Path(folder) / "manifest.js").read_bytes()
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError):
        return None
    if saved != fingerprint or hashlib.sha1(manifest).hexdigest() != manifest_digest:
        return None
    return index, signatures


def _save_cache(cache_file: Path, value) -> None:
    cache_file = Path(cache_file)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache_file)
