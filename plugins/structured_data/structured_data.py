"""Machine-readable page metadata: schema.org JSON-LD and Open Graph/Twitter tags.

Day pages embed a `LiveBlogPosting` with every entry as a `liveBlogUpdate`; entry pages
embed their own `BlogPosting` (part of the day's live blog) and Open Graph/Twitter meta
tags. The JSON-LD is data, not script, so the pages' CSP (`script-src 'self'`) allows it.
Setting STRUCTURED_DATA = {"description_length": 200}: the longest `og:description`.
"""

from __future__ import annotations

from markupsafe import Markup
from pelican import signals

from liveticker import liveblog_jsonld as ld
from liveticker.data_export import plain_text

DEFAULTS = {"description_length": 200}


def structured_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("STRUCTURED_DATA", {})}
    length = options["description_length"]
    if not isinstance(length, int) or isinstance(length, bool) or length < 50:
        raise ValueError("structured_data: STRUCTURED_DATA['description_length'] must be a "
                         f"whole number of at least 50, not {length!r}")  # fmt: skip
    return options


def article_text(article) -> str:
    """Plain text of an article's rendered body (computed once per article)."""
    if not hasattr(article, "plain_text"):
        article.plain_text = plain_text(article.content)
    return article.plain_text


def summary(text: str, limit: int) -> str:
    """The text cut at a word boundary to at most `limit` characters (with "…")."""
    # The cut only needs the start: the words of a prefix are the first words of the text,
    # the last perhaps shortened, so their first `limit` characters are the same.
    head = text[: 4 * limit]
    flat = " ".join(head.split())
    if len(flat) <= limit and len(head) < len(text):  # a start of mostly blanks
        flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def update_for(article, base: str, day_url: str) -> ld.Update:
    return ld.Update(
        entry=article.entry,
        url=base + article.url,
        day_anchor_url=f"{day_url}#{article.anchor}",
        text=article_text(article),
        authors=tuple(s.name for s in article.sources),
        keywords=tuple(t.name for t in article.topics),
    )


def jsonld_functions(settings: dict) -> dict:
    """`day_jsonld` and `entry_jsonld` for one build: the site's address and name, and
    the publisher, are read once, not for every page."""
    base = settings["SITEURL"].rstrip("/") + "/"
    site_name = settings["SITENAME"]
    publisher = ld.organization(site_name, base)

    def script(document: dict) -> Markup:
        return Markup(f'<script type="application/ld+json">{ld.script_text(document)}</script>')

    def day_jsonld(day) -> Markup:
        day_url = base + day.url
        updates = [update_for(a, base, day_url) for a in day.entries]
        return script(ld.live_blog(day.date, day_url, f"{site_name}: {day.heading}", updates,
                                   publisher))  # fmt: skip

    def entry_jsonld(article) -> Markup:
        day = article.day
        day_url = base + day.url
        return script(ld.entry_document(update_for(article, base, day_url), day_url,
                                        f"{site_name}: {day.heading}", publisher))  # fmt: skip

    return {"day_jsonld": day_jsonld, "entry_jsonld": entry_jsonld}


def add_functions(generator):
    options = structured_settings(generator.settings)
    limit = options["description_length"]
    generator.env.globals.update({
        **jsonld_functions(generator.settings),
        "entry_summary": lambda article: summary(article_text(article), limit),
        "entry_published": lambda article: ld.published(article.entry),
        "entry_modified": lambda article: ld.modified(article.entry),
    })  # fmt: skip


def register():
    signals.generator_init.connect(add_functions)
