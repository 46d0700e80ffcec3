"""SourcePagesGenerator: /quellen/ and /quelle/<code>/ with archive pages /quelle/<code>/seite/N/.

Lists the entries of each agency of the source vocabulary, newest first, grouped by day.
Every source gets a page, also one without entries, so links never break. Archive
pages are numbered from the oldest entry, as for topics (liveticker/listing.py).
Setting SOURCE_PAGES = {"per_page": 25}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from liveticker.listing import write_listing
from liveticker.vocab import Source, load_vocabulary

DEFAULTS = {"per_page": 25}


@dataclass
class SourcePage:
    source: Source
    entries: list = field(default_factory=list)  # reading order

    @property
    def url(self) -> str:
        return f"quelle/{self.source.code}/"


def source_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("SOURCE_PAGES", {})}
    per_page = options["per_page"]
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
        raise ValueError(f"source_pages: SOURCE_PAGES['per_page'] must be a positive whole "
                         f"number, not {per_page!r}")  # fmt: skip
    return options


def source_pages(articles: list, sources) -> list[SourcePage]:
    """One page per source of the vocabulary, with its articles in the given order."""
    pages = {source.code: SourcePage(source) for source in sources}
    for article in articles:
        for source in article.sources:
            pages[source.code].entries.append(article)
    return list(pages.values())


class SourcePagesGenerator(Generator):
    def generate_context(self):
        self.options = source_settings(self.settings)
        vocab = load_vocabulary(Path(self.settings["PATH"]))
        self.source_pages = source_pages(self.context["articles"], vocab.sources)
        self.context["source_pages"] = self.source_pages

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        writer.write_file(
            "quellen/index.html",
            self.get_template("sources"),
            self.context,
            relative_urls=relative,
            url="quellen/",
            template_name="sources",
        )
        template = self.get_template("source")
        for page in self.source_pages:
            write_listing(writer, template, self.context, page.url, page.entries,
                          self.options["per_page"], relative, "source", source_page=page)


def get_generators(pelican):
    return SourcePagesGenerator


def register():
    signals.get_generators.connect(get_generators)
