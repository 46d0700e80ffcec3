"""Reading all entries before Pelican asks for them: cached, and in parallel.

`read_entry` is the whole per-file work (check + render) as a pure function of the
file's bytes, so its result is plain data that a worker process can send back and the
cache can keep. The cache (one file per content folder in the build cache) maps a
relative path to (stat stamp, digest of the bytes, result); a file whose stat stamp
changed is hashed again, and re-read only if its bytes changed. Results with errors
are never cached, so `invoke check` and the build report them every time.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from liveticker import buildcache, cores
from liveticker.dates_de import clock
from liveticker.entry import reading_key
from liveticker.render import render_body
from liveticker.text_de import slugify
from liveticker.validate import CheckedEntry, Problem, check_entry_bytes
from liveticker.vocab import load_vocabulary, vocabulary_dir

try:  # the data export's plain text, also used by structured_data: derived here, in
    # the workers and cached, instead of once per plugin and build in the main process
    from liveticker.data_export import plain_text
except ImportError:  # pragma: no cover - a checkout without the data export
    plain_text = None

logger = logging.getLogger(__name__)
PARALLEL_MIN = 200  # fewer files to read than this: a pool costs more than it saves
CHUNK = 64


@dataclass
class ReadResult:
    rel: str
    digest: str
    checked: CheckedEntry | None
    problems: list[Problem]
    html: str | None
    text: str | None = None  # plain text of `html` (see plain_text above)
    meta: dict | None = None  # the article's plain metadata (entry_metadata)

    @property
    def cacheable(self) -> bool:
        return self.checked is not None and not any(p.is_error for p in self.problems)


def anchor_of(rel: str) -> str:
    return slugify(Path(rel).stem)


_vocabularies: dict = {}


def entry_metadata(checked: CheckedEntry, rel: str, url_patterns: tuple[str, ...]) -> dict:
    """The article metadata that needs no vocabulary objects, made where the file is
    read (in the workers) rather than in the build process, which Pelican keeps busy."""
    entry = checked.entry
    anchor = anchor_of(rel)
    meta = {"title": entry.title, "date": entry.local_datetime, "slug": anchor,
            "anchor": anchor, "entry_path": rel, "clock": clock(entry.time),
            "reading_key": reading_key(entry.day, entry.time, PurePosixPath(rel).name)}  # fmt: skip
    if entry.updated:
        meta["modified"] = entry.updated.replace(tzinfo=entry.local_datetime.tzinfo)
    # as Pelican would format them (it keeps them as override_url/_save_as); patterns
    # that use more fields than date and slug (or none given) are left to Pelican
    with contextlib.suppress(KeyError, IndexError, AttributeError, ValueError):
        meta["url"], meta["save_as"] = (p.format(date=entry.local_datetime, slug=anchor)
                                        for p in url_patterns)  # fmt: skip
    return meta


def read_entry(content_root: str, rel: str, url_patterns: tuple[str, ...] = ()) -> ReadResult:
    """Check and render one entry file (runs in worker processes too). `url_patterns`:
    ARTICLE_URL and ARTICLE_SAVE_AS, to precompute the article's addresses."""
    data = (Path(content_root) / rel).read_bytes()
    vocab = _vocabularies.get(content_root)
    if vocab is None:
        vocab = _vocabularies[content_root] = load_vocabulary(Path(content_root))
    checked, problems = check_entry_bytes(data, rel, vocab)
    # ids inside the body (footnotes) carry the date: pages showing several days stay unique
    id_prefix = f"{checked.entry.day.isoformat()}-{anchor_of(rel)}" if checked else ""
    html = render_body(checked.entry.body, id_prefix) if checked else None
    text = plain_text(html) if html is not None and plain_text is not None else None
    meta = entry_metadata(checked, rel, url_patterns) if checked else None
    return ReadResult(rel, buildcache.digest(data), checked, problems, html, text, meta)


def _read_chunk(job: tuple[str, list[str], tuple[str, ...]]) -> list[ReadResult]:
    content_root, rels, url_patterns = job
    return [read_entry(content_root, rel, url_patterns) for rel in rels]


def worker_count(requested: int) -> int:
    """Worker processes for reading (0: read in this process). `requested` is the
    setting: 1 reads here, N > 1 starts N; 0 starts one per core that the build process,
    busy with Pelican's per-article work meanwhile, leaves free (liveticker.cores)."""
    if requested:
        return requested if requested > 1 else 0
    return cores.free(beside=1) if cores.available() > 1 else 0


def read_many(content_root: Path, rels: list[str], workers: int, force: bool = False,
              url_patterns: tuple[str, ...] = ()) -> Iterator[ReadResult]:  # fmt: skip
    """Read files in `workers` worker processes (0: in this process), yielding the
    results in the order of `rels` as they come; few files are read in this process
    unless `force` (workers set explicitly)."""
    root = str(content_root)
    if not workers or not rels or (len(rels) < PARALLEL_MIN and not force):
        yield from (read_entry(root, rel, url_patterns) for rel in rels)
        return
    chunks = [(root, rels[i : i + CHUNK], url_patterns) for i in range(0, len(rels), CHUNK)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers) as pool:
        for chunk in pool.imap(_read_chunk, chunks):
            yield from chunk


def _stamp(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


class EntryCache:
    """Read results of one content folder, kept between builds in the build cache."""

    def __init__(self, cache_dir: Path | None, content_root: Path,
                 url_patterns: tuple[str, ...] = ()):  # fmt: skip
        self.path = None
        self.url_patterns = url_patterns
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        vocab_dir = vocabulary_dir(content_root)
        self.fingerprint = buildcache.digest(
            buildcache.code_fingerprint(),
            *(version(package) for package in ("markdown", "nh3")),
            (vocab_dir / "topics.toml").read_bytes(),
            (vocab_dir / "sources.toml").read_bytes(),
            *url_patterns,
        )
        if cache_dir is not None:
            self.path = Path(cache_dir) / f"entries-{buildcache.folder_key(content_root)}.pickle"
            self.entries = buildcache.load(self.path, self.fingerprint) or {}

    def lookup(self, rel: str, stamp, data_digest: str | None = None) -> ReadResult | None:
        found = self.entries.get(rel)
        if found is None:
            return None
        if found[0] == stamp or (data_digest and found[1].digest == data_digest):
            if found[0] != stamp:
                self.entries[rel] = (stamp, found[1])
                self.dirty = True
            return found[1]
        return None

    def store(self, rel: str, stamp, result: ReadResult) -> None:
        if result.cacheable:
            self.entries[rel] = (stamp, result)
            self.dirty = True

    def forget_except(self, rels: set[str]) -> None:
        for rel in set(self.entries) - rels:
            del self.entries[rel]
            self.dirty = True

    def save(self) -> None:
        if self.path is not None and self.dirty:
            buildcache.save(self.path, self.fingerprint, self.entries)
            self.dirty = False


class Prefetched:
    """Read results by path. Files being read arrive while Pelican already works on the
    first ones (it asks in the order they were given to the workers); `get` waits for
    a file's result only when Pelican asks for it."""

    def __init__(self, results: dict, stream: Iterator[ReadResult], cache: EntryCache,
                 stamps: dict):  # fmt: skip
        self.results, self._stream, self._cache, self._stamps = results, stream, cache, stamps

    def get(self, rel: str) -> ReadResult | None:
        while rel not in self.results and self._stream is not None:
            self._take()
        return self.results.get(rel)

    def finish(self) -> None:
        """Take every remaining result (so the cache gets them) and end the workers."""
        while self._stream is not None:
            self._take()

    def _take(self) -> None:
        result = next(self._stream, None)
        if result is None:
            self._stream = None
            return
        self.results[result.rel] = result
        self._cache.store(result.rel, self._stamps[result.rel], result)


def prefetch(content_root: Path, rels: list[str], cache: EntryCache, workers: int,
             every: list[str]) -> tuple[Prefetched, int]:  # fmt: skip
    """Results for all `rels`: from the cache where the file is unchanged, the rest read
    in parallel, in the order of `rels`; the cache forgets files not in `every` (deleted
    ones). Returns (the results, number of files being read)."""
    results: dict[str, ReadResult] = {}
    stamps, todo = {}, []
    for rel in rels:
        path = content_root / rel
        stamps[rel] = stamp = _stamp(path.stat())
        hit = cache.lookup(rel, stamp)
        if hit is None and rel in cache.entries:  # touched: same bytes?
            hit = cache.lookup(rel, stamp, buildcache.digest(path.read_bytes()))
        if hit is None:
            todo.append(rel)
        else:
            results[rel] = hit
    cache.forget_except(set(every))
    stream = read_many(content_root, todo, worker_count(workers), workers > 1,
                       cache.url_patterns)  # fmt: skip
    return Prefetched(results, stream, cache, stamps), len(todo)
