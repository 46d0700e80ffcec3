"""Reading the entries Pelican's content cache does not hold before Pelican asks for
them, in worker processes.

`read_entry` is the whole per-file work (check + render) as a pure function of the
file's bytes, so its result is plain data that a worker process can send back. Results
are not kept between builds: Pelican's content cache (article_cache.py) keeps the
finished articles, and a second cache of the read results cost a cold build 0.8 s of
pickling at 10,000 entries while saving reads only after a settings change.

The workers and the build process share the files: each takes the next chunk of them
(in the order Pelican asks for them) from a shared counter. The build process, busy with
Pelican's own work per article, reads a chunk itself only when the file Pelican asks for
has not arrived yet; so both stay busy to the end whichever is faster on a given
machine (a fixed share read here left a core idle for 15-40 % of the reading).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import posixpath
import queue
from dataclasses import dataclass
from pathlib import Path

from liveticker import buildcache, cores
from liveticker.data_export import body_text
from liveticker.dates_de import clock
from liveticker.entry import reading_key
from liveticker.parts import claim
from liveticker.render import render_body
from liveticker.text_de import slugify
from liveticker.validate import CheckedEntry, Problem, check_entry_bytes
from liveticker.vocab import load_vocabulary

logger = logging.getLogger(__name__)
PARALLEL_MIN = 200  # fewer files to read than this: a worker costs more than it saves
CHUNK = 32  # files taken at a time (~30 ms of reading)


@dataclass
class ReadResult:
    rel: str
    digest: str
    checked: CheckedEntry | None
    problems: list[Problem]
    html: str | None
    text: str | None = None  # plain text of `html` (data_export.body_text)
    meta: dict | None = None  # the article's plain metadata (entry_metadata)


def anchor_of(rel: str) -> str:
    return slugify(posixpath.splitext(posixpath.basename(rel))[0])


_vocabularies: dict = {}


def entry_metadata(checked: CheckedEntry, rel: str, anchor: str,
                   url_patterns: tuple[str, ...]) -> dict:  # fmt: skip
    """The article metadata that needs no vocabulary objects, made where the file is
    read (in the workers) rather than in the build process, which Pelican keeps busy."""
    entry = checked.entry
    meta = {"title": entry.title, "date": entry.local_datetime, "slug": anchor,
            "anchor": anchor, "entry_path": rel, "clock": clock(entry.time),
            "reading_key": reading_key(entry.day, entry.time, posixpath.basename(rel))}  # fmt: skip
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
    with open(os.path.join(content_root, rel), "rb") as file:
        data = file.read()
    vocab = _vocabularies.get(content_root)
    if vocab is None:
        vocab = _vocabularies[content_root] = load_vocabulary(Path(content_root))
    checked, problems = check_entry_bytes(data, rel, vocab)
    # ids inside the body (footnotes) carry the date: pages showing several days stay unique
    anchor = anchor_of(rel)
    id_prefix = f"{checked.entry.day.isoformat()}-{anchor}" if checked else ""
    html = render_body(checked.entry.body, id_prefix) if checked else None
    # the data export's plain text, also used by structured_data: made here, in the
    # workers, and cached with the article, not once per plugin and build
    text = body_text(checked.entry.body, html) if checked else None
    meta = entry_metadata(checked, rel, anchor, url_patterns) if checked else None
    return ReadResult(rel, buildcache.digest(data), checked, problems, html, text, meta)


def _worker(
    root: str, chunks: list[list[str]], url_patterns: tuple[str, ...], counter, results
) -> None:
    """In a worker process: read the chunks it takes and put (chunk number, results);
    (chunk number, None) for a chunk it failed on (the build process reads that one
    itself, and so reports the error); None when there are none left."""
    while taken := claim(counter, len(chunks)):
        number = taken[0]
        try:
            results.put((number, [read_entry(root, rel, url_patterns) for rel in chunks[number]]))
        except Exception:  # read again in the build process, which raises it
            results.put((number, None))
    results.put(None)


def worker_count(requested: int) -> int:
    """Worker processes for reading (0: read in this process). `requested` is the
    setting: 1 reads here, N > 1 starts N; 0 starts one per core that the build process,
    busy with Pelican's per-article work meanwhile, leaves free (liveticker.cores)."""
    if requested:
        return requested if requested > 1 else 0
    return cores.free(beside=1) if cores.available() > 1 else 0


class Prefetched:
    """Read results by path, for the files `rels` (see the module's docstring): `get`
    waits for a file's result, or reads chunks here, only when Pelican asks for it."""

    def __init__(self, content_root: Path, rels: list[str], workers: int,
                 url_patterns: tuple[str, ...]):  # fmt: skip
        self.results: dict[str, ReadResult] = {}
        self._root, self._url_patterns = str(content_root), url_patterns
        self._chunks = [rels[i : i + CHUNK] for i in range(0, len(rels), CHUNK)]
        self._chunk_of = {rel: i // CHUNK for i, rel in enumerate(rels)}
        self._arrived: set[int] = set()
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        self._next = context.Value("q", 0)  # the first chunk no process has taken yet
        self._queue = context.Queue() if workers else None
        self._workers = [context.Process(target=_worker, daemon=True, args=(
            self._root, self._chunks, url_patterns, self._next, self._queue))
            for _ in range(workers)]  # fmt: skip
        for process in self._workers:
            process.start()
        self._running = len(self._workers)

    def get(self, rel: str) -> ReadResult | None:
        number = self._chunk_of.get(rel)
        if number is not None:
            self._until_arrived(number)
        return self.results.get(rel)

    def finish(self) -> None:
        """Take every remaining result and end the workers."""
        for number in range(len(self._chunks)):
            self._until_arrived(number)
        self.close()

    def close(self) -> None:
        for process in self._workers:
            if process.is_alive():
                process.terminate()
            process.join()
        self._workers, self._running = [], 0

    def _until_arrived(self, number: int) -> None:
        while number not in self._arrived:
            if self._take(block=False):
                continue
            mine = claim(self._next, len(self._chunks))
            if mine:  # rather than wait: read the next chunk here
                self._store(mine[0], None)
            elif not self._take(block=True) and not self._running_workers():
                self._store(number, None)  # a worker died with it

    def _take(self, block: bool) -> bool:
        """Store one message of the workers; False if none came."""
        if not self._running:
            return False
        try:
            message = self._queue.get(block, timeout=1.0 if block else None)
        except queue.Empty:
            return False
        if message is None:
            self._running -= 1
        else:
            self._store(*message)
        return True

    def _running_workers(self) -> bool:
        if not any(process.is_alive() for process in self._workers):
            self._running = 0
        return bool(self._running)

    def _store(self, number: int, results: list[ReadResult] | None) -> None:
        if number in self._arrived:
            return
        if results is None:  # read here
            results = [read_entry(self._root, rel, self._url_patterns)
                       for rel in self._chunks[number]]  # fmt: skip
        self.results.update((result.rel, result) for result in results)
        self._arrived.add(number)


def prefetch(content_root: Path, rels: list[str], workers: int,
             url_patterns: tuple[str, ...]) -> Prefetched:  # fmt: skip
    """The results for `rels`, read in worker processes and in this process; few files
    only here, unless workers are set explicitly (`workers` > 1)."""
    processes = worker_count(workers)
    if len(rels) < PARALLEL_MIN and workers <= 1:
        processes = 0
    return Prefetched(content_root, rels, processes, url_patterns)
