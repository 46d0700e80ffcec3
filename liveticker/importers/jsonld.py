"""schema.org `LiveBlogPosting` in JSON-LD -> entries.

Read from every `<script type="application/ld+json">` of a page, or from a bare JSON
file. Objects may sit in lists or under `@graph`; each `liveBlogUpdate` is one item
(`headline`, `datePublished` with offset, `articleBody`, `author`). `articleBody` is
text; only if it carries real HTML tags is it read as HTML (scripts dropped), so
`<Fortsetzung folgt>` stays visible text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

from bs4 import BeautifulSoup

from liveticker.entry import Entry
from liveticker.importers import html, mdtext
from liveticker.importers.base import ImportFailed, item_label, no_items
from liveticker.importers.dates import check_given_day, iso_local

_LD_TYPE = "application/ld+json"


def documents(text: str) -> tuple[list, list[str]]:
    """The JSON-LD documents of a page or bare JSON file, and parse errors met."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        blocks = [stripped]
    else:
        soup = BeautifulSoup(text, "html.parser")
        blocks = [
            s.string or "" for s in soup.find_all("script")
            if (s.get("type") or "").split(";")[0].strip().lower() == _LD_TYPE
        ]  # fmt: skip
    found, errors = [], []
    for number, block in enumerate(blocks, 1):
        try:
            found.append(json.loads(block))
        except json.JSONDecodeError as exc:
            errors.append(f"JSON-LD block {number} is not valid JSON ({exc})")
    return found, errors


def live_blogs(node) -> Iterator[dict]:
    """Every LiveBlogPosting object, wherever it is nested."""
    if isinstance(node, list):
        for item in node:
            yield from live_blogs(item)
    elif isinstance(node, dict):
        if _has_type(node, "LiveBlogPosting"):
            yield node
        for key, value in node.items():
            if key != "liveBlogUpdate" and isinstance(value, list | dict):
                yield from live_blogs(value)


def parse(text: str, day: dt.date | None = None) -> Iterator[Entry]:
    """Yield one Entry per liveBlogUpdate in source order; `sources` holds author names."""
    docs, errors = documents(text)
    updates = [u for blog in live_blogs(docs) for u in _as_list(blog.get("liveBlogUpdate"))]
    if not updates:
        why = "; ".join(errors) or "no LiveBlogPosting with liveBlogUpdate items"
        raise no_items("jsonld", why)
    stated = set()
    for number, update in enumerate(updates, 1):
        if not isinstance(update, dict):
            raise ImportFailed(f"item {number}: liveBlogUpdate entry is not an object")
        title = mdtext.normalize(mdtext.decode_text(_text(update.get("headline"))))
        if not title:
            raise ImportFailed(f"item {number}: liveBlogUpdate has no 'headline'")
        item_day, time = iso_local(_text(update.get("datePublished")))
        if item_day is None:
            raise ImportFailed(
                f"{item_label(number, title)}: 'datePublished' "
                f"{update.get('datePublished')!r} is not an ISO date-time such as "
                "'2025-04-07T18:30:00+02:00'"
            )
        stated.add(item_day)
        yield Entry(
            day=item_day,
            time=time,
            title=title,
            body=body(_text(update.get("articleBody"))),
            sources=tuple(_authors(update.get("author"))),
            updated=_updated(update, item_day, time),
        )
    check_given_day(day, stated)


def body(article_body: str) -> str:
    """articleBody -> Markdown: HTML if it has real tags, else text whose lines are
    paragraphs (JSON has no hard wrapping)."""
    if mdtext.looks_like_html(article_body):
        soup = BeautifulSoup(article_body, "html.parser")
        html.remove_chrome(soup)
        return "\n\n".join(html.block_paragraphs(soup))
    return mdtext.body_from_text(mdtext.decode_text(article_body), lines_are_paragraphs=True)


def _updated(update: dict, day: dt.date, time: dt.time | None) -> dt.datetime | None:
    """dateModified as naive Berlin time, if it is a later minute than datePublished."""
    mod_day, mod_time = iso_local(_text(update.get("dateModified")))
    if mod_day is None or mod_time is None or time is None:
        return None
    modified = dt.datetime.combine(mod_day, mod_time)
    return modified if modified > dt.datetime.combine(day, time) else None


def _authors(value) -> Iterator[str]:
    """Author names of agencies; a `Person` is a journalist, not a source, and is left out."""
    for author in _as_list(value):
        if isinstance(author, str) and author.strip():
            yield author.strip()
        elif isinstance(author, dict) and not _has_type(author, "Person"):
            name = _text(author.get("name"))
            if name:
                yield name


def _has_type(node: dict, name: str) -> bool:
    kinds = node.get("@type", ())
    kinds = [kinds] if isinstance(kinds, str) else kinds
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == name for k in kinds)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value) -> str:
    if isinstance(value, list):
        value = " ".join(_text(v) for v in value)
    return value.strip() if isinstance(value, str) else ""
