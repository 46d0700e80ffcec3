"""schema.org JSON-LD for day and entry pages: a `LiveBlogPosting` per day with one
`BlogPosting` per entry in `liveBlogUpdate` (the range schema.org gives that property).

The shape is the one `invoke import --format jsonld` reads (issue 5): `headline`,
`datePublished` with offset (a bare date for entries without a time), `articleBody` as
plain text, one paragraph per line, and `author` naming the credited agencies, whose
full names are aliases in the source vocabulary. A day page fed back to the importer
therefore gives back its entries.
"""

from __future__ import annotations

import datetime as dt
import json
from json.encoder import encode_basestring
from typing import NamedTuple

from liveticker.entry import BERLIN, Entry


class Update(NamedTuple):
    """One entry as the JSON-LD needs it (a tuple: one per entry of every day page)."""

    entry: Entry
    url: str  # permalink of the entry page
    day_anchor_url: str  # the entry on its day page: permalink of the day + "#anchor"
    text: str  # plain text, paragraphs separated by blank lines
    authors: tuple[str, ...] = ()  # full names of the sources
    keywords: tuple[str, ...] = ()  # topic names


def published(entry: Entry) -> str:
    """ISO 8601 with offset for timed entries, a bare date (schema.org `Date`) otherwise."""
    if entry.time is None:
        return entry.day.isoformat()
    return entry.local_datetime.isoformat()


def modified(entry: Entry) -> str | None:
    return entry.updated.replace(tzinfo=BERLIN).isoformat() if entry.updated else None


def organization(name: str, url: str | None = None) -> dict:
    node = {"@type": "Organization", "name": name}
    if url:
        node["url"] = url
    return node


def blog_posting(update: Update, publisher: dict, url: str) -> dict:
    entry = update.entry
    node = {
        "@type": "BlogPosting",
        "@id": update.url,
        "url": url,
        "headline": entry.title,
        "datePublished": published(entry),
        "articleBody": "\n".join([p for p in update.text.split("\n\n") if p]),
        "inLanguage": "de",
        "publisher": publisher,
    }
    if entry.updated:
        node["dateModified"] = modified(entry)
    if update.authors:
        node["author"] = [organization(name) for name in update.authors]
    if update.keywords:
        node["keywords"] = ", ".join(update.keywords)
    if entry.correction:
        node["correction"] = {"@type": "CorrectionComment", "text": entry.correction}
        if entry.updated:
            node["correction"]["datePublished"] = modified(entry)
    return node


def live_blog(day: dt.date, day_url: str, headline: str, updates: list[Update],
              publisher: dict) -> dict:  # fmt: skip
    """The document of a day page; `updates` in the page's order."""
    start = dt.datetime.combine(day, dt.time(0, 0), BERLIN)
    end = dt.datetime.combine(day, dt.time(23, 59, 59), BERLIN)
    node = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": f"{day_url}#liveblog",
        "url": day_url,
        "headline": headline,
        "inLanguage": "de",
        "coverageStartTime": start.isoformat(),
        "coverageEndTime": end.isoformat(),
        "publisher": publisher,
        "liveBlogUpdate": [blog_posting(u, publisher, u.day_anchor_url) for u in updates],
    }
    times = [u.entry.local_datetime for u in updates if u.entry.time]
    node["datePublished"] = min(times).isoformat() if times else day.isoformat()
    return node


def entry_document(update: Update, day_url: str, day_headline: str, publisher: dict) -> dict:
    """The document of an entry page: the entry, part of its day's live blog."""
    node = {"@context": "https://schema.org", **blog_posting(update, publisher, update.url)}
    node["mainEntityOfPage"] = update.url
    node["isPartOf"] = {"@type": "LiveBlogPosting", "@id": f"{day_url}#liveblog",
                        "url": day_url, "headline": day_headline}  # fmt: skip
    return node


def script_text(document: dict) -> str:
    """JSON for a `<script type="application/ld+json">` element: `<`, `>` and `&` are
    \\u-escaped, so no text in an entry can close the element."""
    text = indented_json(document)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def indented_json(value, indent: str = "\n") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, the same text, for the values
    JSON-LD documents hold. With an indent, json falls back to its pure-Python encoder;
    this one is faster, mostly by encoding string values without a call of its own."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = indent + " "
    if isinstance(value, dict):
        items = [f"{inner}{encode_basestring(k)}: "
                 f"{encode_basestring(v) if isinstance(v, str) else indented_json(v, inner)}"
                 for k, v in value.items()]  # fmt: skip
        brackets = "{}"
    elif isinstance(value, (list, tuple)):
        items = [inner + (encode_basestring(v) if isinstance(v, str) else indented_json(v, inner))
                 for v in value]  # fmt: skip
        brackets = "[]"
    else:  # numbers, booleans, None
        return json.dumps(value)
    if not items:
        return brackets
    return brackets[0] + ",".join(items) + indent + brackets[1]
