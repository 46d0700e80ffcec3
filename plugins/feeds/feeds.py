"""Atom feeds: all entries (feeds/alle.atom.xml) and one per topic
(feeds/thema/<slug>.atom.xml). Setting FEEDS = {"max_items": 50}.

Written with feedgenerator directly instead of Pelican's feed writer, because Pelican
strips markup from titles (`<b>x</b>` would vanish) while titles here are plain text.
A feed whose entries did not change since the last build is not rendered again
(liveticker/output_memo.py): ~1,000 items per build otherwise.
"""

from __future__ import annotations

import os
from functools import partial

from pelican import signals
from pelican.generators import Generator

from liveticker.atom import StableAtom1Feed
from liveticker.output_memo import OutputMemo, entry_key

DEFAULTS = {"max_items": 50}
ALL_FEED = "feeds/alle.atom.xml"


def topic_feed(slug: str) -> str:
    return f"feeds/thema/{slug}.atom.xml"


def feed_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("FEEDS", {})}
    if not isinstance(options["max_items"], int) or options["max_items"] < 1:
        raise ValueError(f"feeds: FEEDS['max_items'] must be a positive whole number, "
                         f"not {options['max_items']!r}")  # fmt: skip
    return options


def render_feed(settings: dict, path: str, title: str, articles: list,
                newest=None) -> str:  # fmt: skip
    """`newest`: <updated> of a feed without entries (the archive's newest entry)."""
    base = settings["SITEURL"].rstrip("/")
    feed = StableAtom1Feed(
        title=title,
        link=f"{base}/",
        feed_url=f"{base}/{path}",
        description=settings.get("SITESUBTITLE", ""),
        language="de",
        empty_updated=newest,
    )
    for article in articles:
        url = f"{base}/{article.url}"
        feed.add_item(
            title=article.title,
            link=url,
            unique_id=url,
            description=article.content,
            content=None,
            pubdate=article.date,
            updateddate=getattr(article, "modified", None) or article.date,
            categories=[t.name for t in article.topics],
            author_name=", ".join(s.name for s in article.sources) or None,
        )
    return feed.writeString("utf-8")


class FeedsGenerator(Generator):
    def generate_context(self):
        self.options = feed_settings(self.settings)

    def generate_output(self, writer):
        output = os.path.abspath(self.output_path)  # the memo's paths: os.path.abspath
        sitename = self.settings["SITENAME"]
        newest = self.context["articles"][0].date if self.context["articles"] else None
        feeds = [(ALL_FEED, sitename, self.context["articles"])]
        feeds += [
            (topic_feed(page.topic.slug), f"{sitename}: {page.topic.name}", page.entries)
            for page in self.context["topic_pages"]
        ]
        memo = OutputMemo(self.settings, "feeds")
        for path, title, articles in feeds:
            items = articles[: self.options["max_items"]]
            keys = tuple(entry_key(article, article.url) for article in items)
            # `newest` only shows in a feed without entries
            key = None if None in keys else (title, keys or str(newest))
            make = partial(self._render, path, title, items, newest)
            memo.item_files(path, key, [os.path.join(output, path)], make)
        memo.save()

    def _render(self, path: str, title: str, items: list, newest) -> list[str]:
        return [render_feed(self.settings, path, title, items, newest)]


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
