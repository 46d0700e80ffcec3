"""Pelican's content cache for entries: finished Article objects kept between builds.

Pelican can pickle the articles a generator made (CACHE_CONTENT with
CONTENT_CACHING_LAYER "generator") and, on the next run, take an unchanged file's
Article from that pickle instead of reading it (LOAD_CONTENT_CACHE): per entry one
stat() instead of Pelican's path, metadata and object work - about 2 s of 3 at 10,000
entries. Pelican's cache knows only file modification times, not code, settings or
vocabularies, so it is loaded only when a fingerprint of those, kept next to it, is
unchanged; otherwise it is rebuilt from scratch.

The pickle is written by a forked process (`save_in_background`) while the build goes
on; the fingerprint that makes it valid is written once that process has succeeded.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
from importlib.metadata import version
from pathlib import Path

import pelican
from pelican.generators import ArticlesGenerator

from liveticker import buildcache
from liveticker.vocab import vocabulary_dir

logger = logging.getLogger(__name__)
PICKLE = "ArticlesGenerator"  # the file name Pelican gives it
STAMP = f"{PICKLE}.fingerprint"
_fingerprint: str | None = None
_saving: tuple[int, Path, dict] | None = None  # (pid, pickle, settings) being written
SAVE_AFTER = 50  # entries not taken from the cache in one build


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
    """Turn Pelican's content cache on (in CACHE_PATH) and load it only if it was
    made by the same code, settings and vocabularies."""
    global _fingerprint
    finish_saving()  # an earlier build in this process that failed before `finalized`
    _fingerprint = None
    if not enabled or not settings.get("CACHE_PATH"):
        return
    _fingerprint = fingerprint(settings)
    folder = Path(settings["CACHE_PATH"])
    try:
        same = (folder / STAMP).read_text() == _fingerprint
    except OSError:
        same = False
    if not same:  # a cache that failed to save must not pass for a new one
        (folder / STAMP).unlink(missing_ok=True)
        (folder / PICKLE).unlink(missing_ok=True)
    settings.update(CACHE_CONTENT=True, CONTENT_CACHING_LAYER="generator",
                    GZIP_CACHE=False, LOAD_CONTENT_CACHE=same)  # fmt: skip


_paused = False  # the collector was turned off by pause_collector


def pause_collector(generator) -> None:
    """`generator_init`: an ArticlesGenerator loads Pelican's cache right after this
    signal - 1.4 million objects at 10,000 entries, none of them garbage, which the
    cycle collector would walk again and again meanwhile and in every full collection
    of the build after. So: no collections while it loads, then the loaded objects
    are moved out of the collector's sight (gc.freeze) until the build is finalized."""
    global _paused
    if isinstance(generator, ArticlesGenerator) and gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector(generator: ArticlesGenerator) -> None:
    """`article_generator_init`: the cache is loaded."""
    global _paused
    if _paused:
        gc.freeze()
        gc.enable()
        _paused = False


def restore_collector(pelican_object) -> None:
    """`initialized` and `finalized`: the collector as it was before - also after a
    build that failed between pause and resume (a wrong setting of another plugin)."""
    global _paused
    if _paused:
        gc.enable()
        _paused = False
    gc.unfreeze()


def refresh(generator: ArticlesGenerator, uncached: int) -> None:
    """Cached articles get this build's context (Pelican resolves intra-site links
    through it). The cache is written again only when SAVE_AFTER or more entries were
    not in it: re-reading a few on the next build is cheaper than writing the whole
    pickle (40 MB at 10,000 entries), and the ticker's usual build adds one entry.
    Files no longer there leave the cache when it is written."""
    if _fingerprint is None:
        return
    entries = entries_of(generator)
    for article in entries:
        article._context = generator.context
    save = uncached >= SAVE_AFTER or not generator.settings["LOAD_CONTENT_CACHE"]
    if save:
        current = {a.source_path for a in entries}
        base = Path(generator.path)
        for f in [f for f in generator._cache if str(base / f) not in current]:
            del generator._cache[f]
    generator._cache_data_policy = save
    if save and hasattr(os, "fork"):
        generator.save_cache = lambda: save_in_background(generator)


def save_in_background(generator: ArticlesGenerator) -> None:
    """Pelican's save_cache, in a forked process: pickling the articles (0.7 s at
    10,000 entries) then overlaps the build's next steps, which leave a core idle.
    Written to a temporary file and renamed, so a reader never sees half a pickle;
    `finish_saving` waits for it and only then writes the fingerprint."""
    global _saving
    path = Path(generator._cache_path)
    pid = os.fork()
    if pid == 0:  # the child: write, report by exit code, never return into the build
        code = 1
        try:
            gc.disable()  # it exits right after: collecting would only copy pages
            _write_pickle(generator._cache, path)
            code = 0
        finally:
            os._exit(code)
    _saving = (pid, path, generator.settings)


def _write_pickle(data, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def finish_saving(pelican_object=None) -> None:
    """`finalized`: wait for the pickle to be written, then mark it valid (a failed
    write is removed: the next build reads every entry instead)."""
    global _saving
    if _saving is None:
        return
    (pid, path, settings), _saving = _saving, None
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        write_stamp(settings)
        return
    logger.warning("entry_reader: could not write Pelican's content cache %s; the next "
                   "build reads every entry again", path)  # fmt: skip
    with contextlib.suppress(OSError):
        (path.parent / STAMP).unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def holds(generator: ArticlesGenerator, rel: str) -> bool:
    """Whether Pelican will take this file's Article from its cache (unchanged). Pelican
    stat()s the file even when its cache has no record of it (a cold build)."""
    return (_fingerprint is not None and rel in generator._cache
            and generator.get_cached_data(rel) is not None)  # fmt: skip


def write_stamp(settings: dict) -> None:
    """After Pelican saved its cache: note what made it (not while it is still being
    written: finish_saving does it then)."""
    if _fingerprint is None or _saving is not None:
        return
    stamp = Path(settings["CACHE_PATH"]) / STAMP
    try:
        if stamp.read_text() == _fingerprint:
            return
    except OSError:
        pass
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(_fingerprint)


def entries_of(generator) -> list:
    """The entry articles of a generator (none for the other generators)."""
    if not isinstance(generator, ArticlesGenerator):
        return []
    return [a for a in generator.articles + generator.translations
            + generator.hidden_articles + generator.drafts if hasattr(a, "checked")]  # fmt: skip
