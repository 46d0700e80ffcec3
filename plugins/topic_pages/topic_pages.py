"""TopicPagesGenerator: /themen/ and /thema/<slug>/ (paginated: /thema/<slug>/seite/2/).

Every topic of the vocabulary gets a page, also one without entries yet, so links from
/themen/ never break. Setting TOPIC_PAGES = {"per_page": 25}.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from liveticker.vocab import Topic, load_vocabulary

DEFAULTS = {"per_page": 25}


@dataclass
class TopicPage:
    topic: Topic
    entries: list = field(default_factory=list)  # reading order

    @property
    def url(self) -> str:
        return f"thema/{self.topic.slug}/"

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}seite/{number}/"


def topic_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("TOPIC_PAGES", {})}
    if not isinstance(options["per_page"], int) or options["per_page"] < 1:
        raise ValueError(f"topic_pages: TOPIC_PAGES['per_page'] must be a positive whole "
                         f"number, not {options['per_page']!r}")  # fmt: skip
    return options


def by_day(articles: list) -> list[tuple]:
    """[(date, [articles of that day])] keeping the given order."""
    return [(day, list(group)) for day, group in groupby(articles, key=lambda a: a.entry.day)]


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
        per_page = self.options["per_page"]
        for page in self.topic_pages:
            count = max(1, math.ceil(len(page.entries) / per_page))
            for number in range(1, count + 1):
                chunk = page.entries[(number - 1) * per_page : number * per_page]
                url = page.page_url(number)
                writer.write_file(
                    f"{url}index.html", template, self.context, relative_urls=relative,
                    url=url, template_name="topic", topic_page=page, groups=by_day(chunk),
                    page_number=number, page_count=count,
                    previous_url=page.page_url(number - 1) if number > 1 else None,
                    next_url=page.page_url(number + 1) if number < count else None,
                )  # fmt: skip


def get_generators(pelican):
    return TopicPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
