"""Pelican's content cache for entries: finished Article objects kept between builds.

Pelican can pickle the articles a generator made (CACHE_CONTENT with
CONTENT_CACHING_LAYER "generator") and, on the next run, take an unchanged file's
Article from that pickle instead of reading it (LOAD_CONTENT_CACHE): per entry one
stat() instead of Pelican's path, metadata and object work - about 2 s of 3 at 10,000
entries. Pelican's cache knows only file modification times, not code, settings or
vocabularies, so it is loaded only when a fingerprint of those, kept next to it, is
unchanged; otherwise it is rebuilt from scratch.
"""

from __future__ import annotations

import gc
from importlib.metadata import version
from pathlib import Path

import pelican
from pelican.generators import ArticlesGenerator

from liveticker import buildcache
from liveticker.vocab import vocabulary_dir

PICKLE = "ArticlesGenerator"  # the file name Pelican gives it
STAMP = f"{PICKLE}.fingerprint"
_fingerprint: str | None = None
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


def holds(generator: ArticlesGenerator, rel: str) -> bool:
    """Whether Pelican will take this file's Article from its cache (unchanged). Pelican
    stat()s the file even when its cache has no record of it (a cold build)."""
    return (_fingerprint is not None and rel in generator._cache
            and generator.get_cached_data(rel) is not None)  # fmt: skip


def write_stamp(settings: dict) -> None:
    """After Pelican saved its cache: note what made it."""
    if _fingerprint is None:
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
