"""Machine-readable page metadata: schema.org JSON-LD and Open Graph/Twitter tags.

Day pages embed a `LiveBlogPosting` with every entry as a `liveBlogUpdate`; entry pages
embed their own `BlogPosting` (part of the day's live blog) and Open Graph/Twitter meta
tags. The JSON-LD is data, not script, so the pages' CSP (`script-src 'self'`) allows it.
Setting STRUCTURED_DATA = {"description_length": 200}: the longest `og:description`.
"""

from __future__ import annotations

from jinja2 import pass_context
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
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _base(context) -> str:
    return context["PUBLIC_SITEURL"].rstrip("/") + "/"


def _publisher(context) -> dict:
    return ld.organization(context["SITENAME"], _base(context))


def update_for(article, base: str) -> ld.Update:
    return ld.Update(
        entry=article.entry,
        url=base + article.url,
        day_anchor_url=f"{base}{article.day.url}#{article.anchor}",
        text=article_text(article),
        authors=tuple(s.name for s in article.sources),
        keywords=tuple(t.name for t in article.topics),
    )


@pass_context
def day_jsonld(context, day) -> Markup:
    base = _base(context)
    headline = f"{context['SITENAME']}: {day.heading}"
    updates = [update_for(a, base) for a in day.entries]
    document = ld.live_blog(day.date, base + day.url, headline, updates, _publisher(context))
    return Markup(f'<script type="application/ld+json">{ld.script_text(document)}</script>')


@pass_context
def entry_jsonld(context, article) -> Markup:
    base = _base(context)
    headline = f"{context['SITENAME']}: {article.day.heading}"
    document = ld.entry_document(update_for(article, base), base + article.day.url, headline,
                                 _publisher(context))  # fmt: skip
    return Markup(f'<script type="application/ld+json">{ld.script_text(document)}</script>')


def add_functions(generator):
    options = structured_settings(generator.settings)
    limit = options["description_length"]
    generator.env.globals.update({
        "day_jsonld": day_jsonld,
        "entry_jsonld": entry_jsonld,
        "entry_summary": lambda article: summary(article_text(article), limit),
        "entry_published": lambda article: ld.published(article.entry),
        "entry_modified": lambda article: ld.modified(article.entry),
    })  # fmt: skip


def register():
    signals.generator_init.connect(add_functions)
