"""Reading the entries Pelican's content cache does not hold before Pelican asks for
them, in a worker process.

`read_entry` is the whole per-file work (check + render) as a pure function of the
file's bytes, so its result is plain data that a worker process can send back. Results
are not kept between builds: Pelican's content cache (article_cache.py) keeps the
finished articles, and a second cache of the read results cost a cold build 0.8 s of
pickling at 10,000 entries while saving reads only after a settings change.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from liveticker import buildcache, cores
from liveticker.dates_de import clock
from liveticker.entry import reading_key
from liveticker.render import render_body
from liveticker.text_de import slugify
from liveticker.validate import CheckedEntry, Problem, check_entry_bytes
from liveticker.vocab import load_vocabulary

try:  # the data export's plain text, also used by structured_data: derived here, in
    # the workers and cached, instead of once per plugin and build in the main process
    from liveticker.data_export import plain_text
except ImportError:  # pragma: no cover - a checkout without the data export
    plain_text = None

logger = logging.getLogger(__name__)
PARALLEL_MIN = 200  # fewer files to read than this: a pool costs more than it saves
CHUNK = 64
# With a single worker process, the build process reads every HERE_EVERY-th file itself
# when Pelican asks for it: its own work per article (Pelican's) is about 0.55 of the
# reading of one (measured at 10,000 entries: 4.5 and 8 CPU s), so a fifth of the files
# gives both processes the same load and neither waits for the other.
HERE_EVERY = 5


@dataclass
class ReadResult:
    rel: str
    digest: str
    checked: CheckedEntry | None
    problems: list[Problem]
    html: str | None
    text: str | None = None  # plain text of `html` (see plain_text above)
    meta: dict | None = None  # the article's plain metadata (entry_metadata)


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


class Prefetched:
    """Read results by path. Files being read arrive while Pelican already works on the
    first ones (it asks in the order they were given to the workers); `get` waits for
    a file's result only when Pelican asks for it. Files in `here` are read in this
    process when Pelican asks for them."""

    def __init__(self, stream: Iterator[ReadResult], here: set[str] = frozenset(),
                 read_here: Callable[[str], ReadResult] | None = None):  # fmt: skip
        self.results: dict[str, ReadResult] = {}
        self._stream: Iterator[ReadResult] | None = stream
        self._here, self._read_here = here, read_here

    def get(self, rel: str) -> ReadResult | None:
        if rel in self._here:
            return self._read_here(rel)
        while rel not in self.results and self._stream is not None:
            self._take()
        return self.results.get(rel)

    def finish(self) -> None:
        """Take every remaining result and end the workers."""
        while self._stream is not None:
            self._take()

    def _take(self) -> None:
        result = next(self._stream, None)
        if result is None:
            self._stream = None
            return
        self.results[result.rel] = result


def prefetch(content_root: Path, rels: list[str], workers: int,
             url_patterns: tuple[str, ...]) -> Prefetched:  # fmt: skip
    """The results for `rels`, read in worker processes in the order of `rels` - with a
    single worker, a share of them in this process (HERE_EVERY)."""
    processes = worker_count(workers)
    here = set(rels[HERE_EVERY - 1 :: HERE_EVERY]) if processes == 1 else set()
    stream = read_many(content_root, [rel for rel in rels if rel not in here], processes,
                       workers > 1, url_patterns)  # fmt: skip
    return Prefetched(stream, here, partial(read_entry, str(content_root),
                                            url_patterns=url_patterns))  # fmt: skip
