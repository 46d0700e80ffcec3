"""Pelican's content cache for entries: finished Article objects kept between builds,
one pickle per day folder.

Pelican can keep the articles a generator made (CACHE_CONTENT with
CONTENT_CACHING_LAYER "generator") and, on the next build, take an unchanged file's
Article from that cache instead of reading it: per entry one stat() instead of
Pelican's path, metadata and object work - about 2 s of 3 at 10,000 entries.

Pelican would load and save that cache as one pickle of every article (40 MB at 10,000
entries), written in full whenever any entry changed. Here Pelican loads nothing:
`load` fills the generator's cache from one file per day folder (`articles/` in the
build cache), and a build saves only the days of the entries it read or lost - adding
an entry rewrites one small file. A cold build's day files are written by a forked
process while the build goes on, unless the memory budget leaves no room for one: it
touches every article while pickling, and so holds a copy of all of them (1.1 GB at
100,000 entries). The settings and the shared context are not pickled (persistent ids):
a loaded article gets this build's.

Pelican's cache knows only file modification times, not code, settings or vocabularies:
every day file carries a fingerprint of those and is ignored when it differs.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
from importlib.metadata import version
from pathlib import Path

import pelican
from pelican.generators import ArticlesGenerator

from liveticker import buildcache, cores
from liveticker.vocab import vocabulary_dir

logger = logging.getLogger(__name__)
FOLDER = "articles"
SUFFIX = ".pickle"
FORK_MIN = 2000  # entries to save: fewer are pickled in the build process itself
_fingerprint: str | None = None  # of this build, while its cache is on
_saving: _Saving | None = None  # the forked process writing day files


def fingerprint(settings: dict) -> str:
    """Everything an entry's Article is made of besides its own file."""
    content = Path(settings["PATH"]).resolve()
    vocab = vocabulary_dir(content)
    return buildcache.digest(
        str(content),
        buildcache.code_fingerprint(),
        buildcache.settings_fingerprint(settings),
        pelican.__version__, version("markdown"), version("nh3"),
        (vocab / "topics.toml").read_bytes(), (vocab / "sources.toml").read_bytes(),
    )  # fmt: skip


def configure(settings: dict, enabled: bool) -> None:
    """Turn Pelican's content cache on, without its own loading (see `load`)."""
    global _fingerprint
    finish_saving()  # an earlier build in this process that failed before `finalized`
    _fingerprint = None
    if not enabled or not settings.get("CACHE_PATH"):
        return
    _fingerprint = fingerprint(settings)
    for old in ("ArticlesGenerator", "ArticlesGenerator.fingerprint"):  # the single pickle
        (Path(settings["CACHE_PATH"]) / old).unlink(missing_ok=True)
    settings.update(CACHE_CONTENT=True, CONTENT_CACHING_LAYER="generator",
                    GZIP_CACHE=False, LOAD_CONTENT_CACHE=False)  # fmt: skip


def day_of(rel: str) -> str:
    """The name of the file that keeps the article of entry file `rel` (relative to the
    content folder): its folder's path, e.g. 2025-02-09."""
    return os.path.dirname(rel).replace(os.sep, "-").replace("/", "-") or "-"


def _folder(generator: ArticlesGenerator) -> Path:
    return Path(generator.settings["CACHE_PATH"]) / FOLDER


def _shared(generator: ArticlesGenerator) -> dict[str, object]:
    """The objects every article refers to, kept out of the pickles."""
    return {"settings": generator.settings, "context": generator.context}


_paused = False  # the collector was turned off by pause_collector


def pause_collector(generator) -> None:
    """`generator_init`: an ArticlesGenerator's cache is loaded at its
    `article_generator_init` - 1.4 million objects at 10,000 entries, none of them
    garbage, which the cycle collector would walk again and again meanwhile and in
    every full collection of the build after. So: no collections while it loads, then
    the loaded objects are moved out of the collector's sight (gc.freeze) until the
    build is finalized."""
    global _paused
    if isinstance(generator, ArticlesGenerator) and gc.isenabled():
        gc.disable()
        _paused = True


def load(generator: ArticlesGenerator) -> None:
    """`article_generator_init`: fill Pelican's cache from the day files made with this
    build's fingerprint; others are deleted (their entries are read again)."""
    global _paused
    if _fingerprint is not None:
        unpickler = unpickler_for(_shared(generator))
        for path in _folder(generator).glob(f"*{SUFFIX}"):
            records = buildcache.load(path, _fingerprint, unpickler)
            if records is None:  # made for other code or settings, or damaged
                path.unlink(missing_ok=True)
            else:
                generator._cache.update(records)
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False


def restore_collector(pelican_object) -> None:
    """`initialized` and `finalized`: the collector as it was before - also after a
    build that failed between pause and load (a wrong setting of another plugin)."""
    global _paused
    if _paused:
        gc.enable()
        _paused = False
    gc.unfreeze()


def refresh(generator: ArticlesGenerator, read: list[str]) -> None:
    """`article_generator_pretaxonomy`: files no longer there leave the cache; the days
    of those and of the files read in this build (`read`) are saved when Pelican saves
    its cache."""
    if _fingerprint is None:
        return
    base = os.path.join(generator.path, "")
    current = {a.source_path[len(base):] for a in entries_of(generator)}
    gone = [rel for rel in generator._cache if rel not in current]
    for rel in gone:
        del generator._cache[rel]
    days = {day_of(rel) for rel in [*read, *gone]}
    generator.save_cache = lambda: save(generator, days)


def save(generator: ArticlesGenerator, days: set[str]) -> None:
    """Write the files of `days` (delete those with no entry left). Many entries (a
    cold build) are pickled by a forked process on a free core while the build goes on,
    where the memory budget allows it (liveticker.cores); `finish_saving` waits for it."""
    global _saving
    if not days:
        return
    by_day: dict[str, dict] = {day: {} for day in days}
    for rel, record in generator._cache.items():
        kept = by_day.get(day_of(rel))
        if kept is not None:
            kept[rel] = record
    folder, pickler = _folder(generator), pickler_for(_shared(generator))
    many = sum(map(len, by_day.values())) >= FORK_MIN
    if many and hasattr(os, "fork") and cores.free() > 1:
        pid = os.fork()
        if pid == 0:  # the child: write, report by exit code, never return into the build
            code = 1
            try:
                gc.disable()  # it exits right after: collecting would only copy pages
                _write_days(folder, by_day, pickler)
                code = 0
            finally:
                os._exit(code)
        _saving = _Saving(pid)
        cores.in_background(_saving)
        return
    _write_days(folder, by_day, pickler)


class _Saving:
    """The forked writer of day files, as background work of the build (a core and a
    copy of the build's memory are taken while it runs)."""

    def __init__(self, pid: int):
        self.pid, self.status = pid, None

    def running(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is None

    def wait(self) -> int:
        if self.status is None:
            self.status = os.waitpid(self.pid, 0)[1]
        return os.waitstatus_to_exitcode(self.status)


def finish_saving(pelican_object=None) -> None:
    """`finalized` (and the next build's start): wait for the forked writer."""
    global _saving
    if _saving is not None:
        saving, _saving = _saving, None
        if saving.wait() != 0:
            logger.warning("entry_reader: the process writing the content cache failed; "
                           "the next build reads the entries it did not write again")  # fmt: skip


def _write_days(folder: Path, by_day: dict[str, dict], pickler) -> None:
    for day, records in by_day.items():
        path = folder / f"{day}{SUFFIX}"
        try:
            if records:
                buildcache.save(path, _fingerprint, records, pickler)
            else:
                path.unlink(missing_ok=True)
        except OSError as error:  # the next build reads these entries again
            logger.warning("entry_reader: could not write the content cache %s (%s); the "
                           "next build reads its entries again", path, error)  # fmt: skip
            path.unlink(missing_ok=True)


def pickler_for(shared: dict[str, object]) -> type[pickle.Pickler]:
    """A Pickler that keeps the `shared` objects out of the file, by name, and writes
    non-ASCII strings itself: pickle's own way caches a UTF-8 copy inside every such
    string it writes, for as long as the string lives - in the build process, a second
    copy of every title and body (280 MB at 100,000 entries)."""
    names = {id(obj): name for name, obj in shared.items()}

    class Pickler(pickle.Pickler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.strings: dict[int, int] = {}  # id of a string written -> its number

        def persistent_id(self, obj):
            if type(obj) is str:
                if obj.isascii():
                    return None
                number = self.strings.get(id(obj))
                if number is not None:  # the same object again: once in the file
                    return number
                self.strings[id(obj)] = len(self.strings)
                return obj.encode("utf-8", "surrogatepass")
            return names.get(id(obj))

    return Pickler


def unpickler_for(shared: dict[str, object]) -> type[pickle.Unpickler]:
    """The Unpickler for what `pickler_for` wrote."""

    class Unpickler(pickle.Unpickler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.strings: list[str] = []

        def persistent_load(self, pid):
            if type(pid) is bytes:
                self.strings.append(pid.decode("utf-8", "surrogatepass"))
                return self.strings[-1]
            if type(pid) is int:
                return self.strings[pid]
            return shared[pid]

    return Unpickler


def holds(generator: ArticlesGenerator, rel: str) -> bool:
    """Whether Pelican will take this file's Article from its cache (unchanged). Pelican
    stat()s the file even when its cache has no record of it (a cold build)."""
    return (_fingerprint is not None and rel in generator._cache
            and generator.get_cached_data(rel) is not None)  # fmt: skip


def entries_of(generator) -> list:
    """The entry articles of a generator (none for the other generators)."""
    if not isinstance(generator, ArticlesGenerator):
        return []
    return [a for a in generator.articles + generator.translations
            + generator.hidden_articles + generator.drafts if hasattr(a, "checked")]  # fmt: skip
