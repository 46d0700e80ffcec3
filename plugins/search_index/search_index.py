"""SearchIndexGenerator: the entries of the build -> the browser's search index and /suche/.

First pass (generate_context): collect a `SearchDoc` per article from the metadata the
entry reader set (`entry`, `entry_path`, `url`). Second pass (generate_output): write the
index (liveticker.static_index) into `<output>/<folder>/` and render the page
`suche/index.html` from the theme's `search.html`.

Setting SEARCH_INDEX = {"folder": "search", "page": "suche/index.html"}.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from liveticker import static_index
from liveticker.search_docs import search_doc

logger = logging.getLogger(__name__)
DEFAULTS = {"folder": "search", "page": "suche/index.html"}


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
        self.docs = []
        for article in self.context.get("articles", []):
            entry = article.metadata.get("entry")
            if entry is None:
                continue
            doc = search_doc(entry, article.metadata["entry_path"])
            url = getattr(article, "url", "") or doc.url
            self.docs.append(doc if url == doc.url else _with_url(doc, url))
        self.context["search_index_url"] = f"{self.options['folder']}/manifest.js"

    def generate_output(self, writer):
        folder = Path(self.output_path) / self.options["folder"]
        size = static_index.build_for_site(self.docs, folder)
        logger.info("search_index: %d entries, %.1f MB in %s/", len(self.docs),
                    size / 1e6, self.options["folder"])  # fmt: skip
        page = self.options["page"]
        writer.write_file(
            page, self.get_template("search"), self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", False),
            template_name="search", url=page.removesuffix("index.html"),
            page_name=page.removesuffix("/index.html"),
        )  # fmt: skip


def _with_url(doc, url: str):
    from dataclasses import replace

    return replace(doc, url=url)


def get_generators(pelican):
    return SearchIndexGenerator


def register():
    signals.get_generators.connect(get_generators)
