"""SearchIndexGenerator: the entries of the build -> the browser's search index and /suche/.

First pass (generate_context): note each article's entry from the metadata the entry
reader set (`entry`, `entry_path`, `url`, `source_digest`). Second pass
(generate_output): bring the index (liveticker.static_index) in `<output>/<folder>/` up
to date and render the page `suche/index.html` from the theme's `search.html`.

With the cache on, the index's postings are kept in `<CACHE_PATH>/search-index-*.pickle`:
a rebuild where no entry changed analyses nothing and writes no index file; new entries
(newer than all others, as a ticker adds them) are analysed alone and only the files
holding their words are rewritten. Anything else rebuilds the index, in this process
and in helpers on the cores that the background page renderer leaves free, also once it
ends (liveticker/parts.py). Every index file is written only if
its bytes changed.

Setting SEARCH_INDEX = {"folder": "search", "page": "suche/index.html", "cache": True}.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from liveticker import static_update
from liveticker.search_docs import doc_order, search_doc

logger = logging.getLogger(__name__)
DEFAULTS = {"folder": "search", "page": "suche/index.html", "cache": True}


def index_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("SEARCH_INDEX", {})}
    if not re.fullmatch(r"[a-z0-9_-]+", options["folder"]):
        raise ValueError("search_index: SEARCH_INDEX['folder'] must be one folder name "
                         f"(a-z, 0-9, - and _), not {options['folder']!r}")  # fmt: skip
    if not options["page"].endswith("index.html"):
        raise ValueError("search_index: SEARCH_INDEX['page'] must end in index.html, "
                         f"not {options['page']!r}")  # fmt: skip
    return options


class SearchIndexGenerator(Generator):
    def generate_context(self):
        self.options = index_settings(self.settings)
        self.sources = []
        for article in self.context.get("articles", []):
            entry = article.metadata.get("entry")
            if entry is None:
                continue
            path = article.metadata["entry_path"]
            url = getattr(article, "url", "") or None
            digest = article.metadata.get("source_digest")
            # the body HTML the reader rendered (`_content`: before Pelican rewrites links)
            load = partial(_load_doc, entry, path, url, getattr(article, "_content", None))
            signature = f"{digest}|{path}|{url}" if digest else _doc_signature(load())
            self.sources.append(static_update.DocSource(signature, doc_order(entry, path), load))
        self.context["search_index_url"] = f"{self.options['folder']}/manifest.js"
        # a cold build: the analysis starts now, on the core that is idle until the
        # entry pages render (the other plugins make their contexts meanwhile)
        self.early = static_update.analyse_early(self.sources, self._folder(),
                                                 self._cache_file())  # fmt: skip

    def generate_output(self, writer):
        folder = self._folder()
        started = time.perf_counter()
        # in this process and, while a core is free of rendering pages, in helpers
        report = static_update.update_site(self.sources, folder, self._cache_file(),
                                           early=self.early)  # fmt: skip
        logger.info("search_index: %d entries (%d analysed), %d files written, %d kept, "
                    "%d deleted, %.1f MB in %s/ (%.1f s)", len(self.sources),
                    report["analysed"], report["written"], report["kept"], report["deleted"],
                    report["bytes"] / 1e6, self.options["folder"],
                    time.perf_counter() - started)  # fmt: skip
        page = self.options["page"]
        writer.write_file(
            page, self.get_template("search"), self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            template_name="search", url=page.removesuffix("index.html"),
            page_name=page.removesuffix("/index.html"),
        )  # fmt: skip

    def _folder(self) -> Path:
        return Path(self.output_path) / self.options["folder"]

    def _cache_file(self) -> Path | None:
        cache_path = self.settings.get("CACHE_PATH")
        if not self.options["cache"] or not cache_path:
            return None
        output = str(Path(self.output_path).resolve() / self.options["folder"])
        key = hashlib.sha1(output.encode()).hexdigest()[:12]
        return Path(cache_path) / f"search-index-{key}.pickle"


def _load_doc(entry, path: str, url: str | None, html: str | None):
    doc = search_doc(entry, path, html)
    return doc if not url or url == doc.url else replace(doc, url=url)


def _doc_signature(doc) -> str:
    return hashlib.sha1(repr(doc).encode()).hexdigest()


def get_generators(pelican):
    return SearchIndexGenerator


def register():
    signals.get_generators.connect(get_generators)
