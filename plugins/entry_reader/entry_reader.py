"""EntryReader: entry file -> Pelican article metadata and safe HTML.

The reader only calls the shared parser/validator (liveticker.validate) and renderer.
Unlike Pelican's log-and-skip, an invalid entry fails the build: problems are logged
with the same text `invoke check` prints, and the build stops before writing.

Speed (issue 7): before Pelican asks for the first file, every entry that Pelican's
content cache does not hold is checked and rendered in worker processes (prefetch.py),
while Pelican makes the articles of those already read. Each article gets its URL
precomputed from ARTICLE_URL / ARTICLE_SAVE_AS (Pelican would format them again on
every access) and the digest of its file (`source_digest`), which incremental_writer
uses in its page keys.

With the build cache on, Pelican's own content cache (CONTENT_CACHING_LAYER
"generator") keeps the finished Article objects too, so an unchanged entry costs one
stat() instead of Pelican's per-file reading work (article_cache.py). Checks that span
entries (duplicates, equal addresses) therefore run over the generator's articles, not
over the files read in this build.

Setting ENTRY_READER = {"cache": True, "workers": 0}: keep Pelican's content cache in
the build cache (CACHE_PATH); worker processes (0: one per core less the build
process's own, see liveticker/cores.py; 1: read in this process).
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from pelican import signals
from pelican.readers import BaseReader

from liveticker.validate import ERROR, Problem, find_duplicates
from liveticker.vocab import load_vocabulary

from . import article_cache
from . import prefetch as prefetch_module
from .prefetch import Prefetched, prefetch, read_entry

logger = logging.getLogger(__name__)
DEFAULTS = {"cache": True, "workers": 0}


class EntryBuildError(RuntimeError):
    """Raised after reading when any entry had an error."""


def reader_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("ENTRY_READER", {})}
    if not isinstance(options["workers"], int) or options["workers"] < 0:
        raise ValueError(f"entry_reader: ENTRY_READER['workers'] must be 0 (one per core) "
                         f"or more, not {options['workers']!r}")  # fmt: skip
    return options


@dataclass
class _BuildState:
    """Errors and entries of the current build (new for each Pelican run)."""

    problems: list = field(default_factory=list)
    results: dict = field(default_factory=dict)
    prefetched: bool = False
    read: list = field(default_factory=list)  # files Pelican's content cache did not hold


_state = _BuildState()


class EntryReader(BaseReader):
    enabled = True
    file_extensions: ClassVar = ["md"]
    _vocab = None

    def read(self, source_path):
        content_root = self.settings["PATH"]
        root = os.path.join(content_root, "")
        rel = source_path[len(root):] if source_path.startswith(root) else \
            os.path.relpath(source_path, content_root)  # fmt: skip
        rel = rel.replace(os.sep, "/")
        result = _state.results.get(rel) or read_entry(content_root, rel,
                                                       url_patterns(self.settings))  # fmt: skip
        if self._vocab is None:
            self._vocab = load_vocabulary(Path(content_root))
        vocab = self._vocab
        for problem in result.problems:  # warnings: for every article, after reading
            if problem.is_error:
                logger.error("%s", problem)
        _state.problems.extend(p for p in result.problems if p.is_error)
        checked = result.checked
        if checked is None:
            raise EntryBuildError(f"{rel}: invalid entry")
        entry = checked.entry
        metadata = {
            **result.meta,
            "entry": entry,
            "checked": checked,
            "warnings": tuple(p for p in result.problems if not p.is_error),
            "source_digest": result.digest,
            "topics": [vocab.topic(name) for name in entry.topics],
            "sources": [vocab.source(code) for code in entry.sources],
        }
        if result.text is not None:
            metadata["plain_text"] = result.text
        return result.html, metadata


def url_patterns(settings: dict) -> tuple[str, str]:
    return (settings["ARTICLE_URL"], settings["ARTICLE_SAVE_AS"])


def add_reader(readers):
    for extension in EntryReader.file_extensions:
        readers.reader_classes[extension] = EntryReader


def reset_run(pelican):
    global _state
    if isinstance(_state.results, Prefetched):  # a failed build's readers, if still at work
        _state.results.close()
    _state = _BuildState()
    prefetch_module._vocabularies.clear()
    options = reader_settings(pelican.settings)
    article_cache.configure(pelican.settings, enabled=options["cache"])


def walk_content_once(generator):
    """`article_generator_init`: Pelican walks the content folder for the articles, again
    for files of disabled readers, and prefetch_entries a third time - 0.1 s each at
    10,000 entries, mostly matching every name against IGNORE_FILES. Walk it once per
    build (all files not ignored) and filter the names by extension, as Pelican does."""
    original, walks = generator.get_files, {}

    def get_files(paths, exclude=None, extensions=None):
        key = (tuple([paths] if isinstance(paths, str) else paths), tuple(exclude or ()))
        if key not in walks:
            walks[key] = original(paths, exclude=exclude, extensions=False)
        if extensions is None:
            extensions = tuple(generator.readers.extensions)
        if extensions is False:
            return set(walks[key])
        return {f for f in walks[key] if os.path.splitext(f)[1][1:] in extensions}

    generator.get_files = get_files


def known_source_paths(generator):
    """`article_generator_init`: Pelican files every article under its path relative
    to the content folder, which it computes anew in each build with three path
    functions (0.2 s at 10,000 entries, also for unchanged ones); an entry's article
    already holds that path (`entry_path`, as the reader found it)."""
    original = generator.add_source_path

    def add_source_path(content, static=False):
        rel = None if static else content.metadata.get("entry_path")
        if rel is None:
            return original(content, static)
        generator.context["generated_content"][rel] = content
        return None

    generator.add_source_path = add_source_path


def prefetch_entries(generator):
    """Before the first file is read: read every entry file Pelican's content cache
    does not hold, in worker processes."""
    if _state.prefetched:
        return
    _state.prefetched = True
    settings = generator.settings
    options = reader_settings(settings)
    content_root = Path(generator.path)
    files = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    extensions = tuple(f".{e}" for e in EntryReader.file_extensions)
    # in Pelican's order, so the workers deliver what Pelican asks for next
    every = [os.path.normpath(f).replace(os.sep, "/") for f in files if f.endswith(extensions)]
    rels = [rel for rel in every if not article_cache.holds(generator, rel)]
    _state.read = rels
    _state.results = prefetch(content_root, rels, options["workers"], url_patterns(settings))
    logger.info("entry_reader: %d entries, %d read, %d unchanged from the content cache",
                len(every), len(rels), len(every) - len(rels))  # fmt: skip


def _same_url(articles: list) -> list[Problem]:
    urls = defaultdict(list)
    for article in articles:
        urls[article.url].append(article.checked)
    problems = []
    for url, entries in urls.items():
        first, *others = sorted(entries, key=lambda c: c.path)
        problems.extend(Problem(c.path, 1, ERROR, f"this entry gets the same address {url} "
                                f"as {first.path}; rename one of the two files")
                        for c in others)  # fmt: skip
    return problems


def finish_reading(generator):
    """Before Pelican groups the articles (and saves its content cache): deleted files
    leave that cache; it saves the days of those and of the files read."""
    if isinstance(_state.results, Prefetched):
        _state.results.finish()
    article_cache.refresh(generator, _state.read)


def fail_on_invalid_entries(generators):
    """Stop before any page is written if an entry was invalid or duplicated."""
    # the articles hold what the rest of the build needs; the read results would only
    # take memory (100 MB and more at 100,000 entries)
    _state.results = {}
    articles = [a for g in generators for a in article_cache.entries_of(g)]
    for problem in sorted(p for a in articles for p in a.warnings):
        logger.warning("%s", problem)
    checked = [a.checked for a in articles]
    duplicates = find_duplicates(checked) + _same_url(articles)
    for problem in duplicates:
        logger.error("%s", problem)
    problems = sorted(_state.problems + duplicates)
    if problems:
        raise EntryBuildError(
            f"{len(problems)} error(s) in entries - run `invoke check` for details:\n"
            + "\n".join(str(p) for p in problems)
        )
    if not checked:
        raise EntryBuildError(f"no entries found in {generators[0].settings['PATH']}")


def register():
    signals.initialized.connect(reset_run)
    signals.generator_init.connect(article_cache.pause_collector)
    signals.article_generator_init.connect(article_cache.load)
    signals.article_generator_init.connect(walk_content_once)
    signals.article_generator_init.connect(known_source_paths)
    signals.initialized.connect(article_cache.restore_collector)
    signals.finalized.connect(article_cache.restore_collector)
    signals.finalized.connect(article_cache.finish_saving)
    signals.readers_init.connect(add_reader)
    signals.article_generator_preread.connect(prefetch_entries)
    signals.article_generator_pretaxonomy.connect(finish_reading)
    signals.all_generators_finalized.connect(fail_on_invalid_entries)
