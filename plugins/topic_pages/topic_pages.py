"""TopicPagesGenerator: /themen/ and /thema/<slug>/ with archive pages /thema/<slug>/seite/N/.

Every topic of the vocabulary gets a page, also one without entries yet, so links from
/themen/ never break. Archive pages are numbered from the oldest entry, so they keep
their entries as the ticker grows (liveticker/listing.py).
Setting TOPIC_PAGES = {"per_page": 25}.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from liveticker.listing import page_number_of, page_url, write_listing
from liveticker.vocab import Topic, load_vocabulary

DEFAULTS = {"per_page": 25}


@dataclass
class TopicPage:
    topic: Topic
    entries: list = field(default_factory=list)  # reading order

    @property
    def url(self) -> str:
        return f"thema/{self.topic.slug}/"

    def url_of(self, index: int, per_page: int) -> str:
        """The URL of the page showing entries[index]."""
        return page_url(self.url, page_number_of(index, len(self.entries), per_page))


def topic_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("TOPIC_PAGES", {})}
    if not isinstance(options["per_page"], int) or options["per_page"] < 1:
        raise ValueError(f"topic_pages: TOPIC_PAGES['per_page'] must be a positive whole "
                         f"number, not {options['per_page']!r}")  # fmt: skip
    return options


class TopicPagesGenerator(Generator):
    def generate_context(self):
        self.options = topic_settings(self.settings)
        vocab = load_vocabulary(Path(self.settings["PATH"]))
        pages = {topic.name: TopicPage(topic) for topic in vocab.topics}
        for article in self.context["articles"]:
            for topic in article.topics:
                pages[topic.name].entries.append(article)
        self.topic_pages = list(pages.values())
        self.context["topic_pages"] = self.topic_pages

    def generate_output(self, writer):
        relative = self.settings["RELATIVE_URLS"]
        writer.write_file("themen/index.html", self.get_template("topics"), self.context,
                          relative_urls=relative, url="themen/", template_name="topics")
        template = self.get_template("topic")
        for page in self.topic_pages:
            write_listing(writer, template, self.context, page.url, page.entries,
                          self.options["per_page"], relative, "topic", topic_page=page)


def get_generators(pelican):
    return TopicPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
