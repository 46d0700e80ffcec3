"""What both search indexes know of an entry: `SearchDoc`, built from a checked entry file.

Both indexes analyse exactly `SearchDoc.title` and `SearchDoc.text` (the body as plain
text, the words a reader sees), so the browser can re-check phrases and highlight words
on the same text that Python indexed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePosixPath

from liveticker.entry import Entry, reading_key
from liveticker.render import render_body
from liveticker.text_de import slugify


@dataclass(frozen=True)
class SearchDoc:
    path: str  # entry file relative to the content folder: 2025/02/09/01-slug.md
    url: str  # site-relative: 2025/02/09/01-slug/
    day: str  # ISO date
    time: str  # HH:MM or ""
    title: str
    text: str  # body as plain text
    topics: tuple[str, ...]  # display names
    sources: tuple[str, ...]  # codes
    order: str  # sorts ascending in reading order: newest first

    @property
    def topic_keys(self) -> list[str]:
        return [slugify(t) for t in self.topics]

    @property
    def source_keys(self) -> list[str]:
        return [s.lower() for s in self.sources]


def search_doc(entry: Entry, path: str) -> SearchDoc:
    rel = PurePosixPath(path)
    key = reading_key(entry.day, entry.time, rel.name)
    order = f"{1_000_000 - entry.day.toordinal():07d}{key[1]}{1440 + key[2]:04d}{rel.name}"
    return SearchDoc(
        path=path,
        url=f"{rel.parent.as_posix()}/{slugify(rel.stem)}/",
        day=entry.day.isoformat(),
        time=f"{entry.time:%H:%M}" if entry.time else "",
        title=entry.title,
        text=plain_text(entry.body),
        topics=tuple(entry.topics),
        sources=tuple(entry.sources),
        order=order,
    )


class _TextOnly(HTMLParser):
    _BLOCKS = frozenset({"p", "li", "br", "div", "blockquote", "h2", "h3", "h4", "h5", "h6", "tr",
               "dt", "dd", "pre", "table"})  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


# Text without any of these renders as plain paragraphs; it skips Markdown (a 50x
# speed-up for typical entries). tests/test_search_static.py checks both paths agree.
_MARKDOWN_SYNTAX = re.compile(
    r"[\\`*_\[\]<>&#|~{}]|^\s*(?:[-+]|\d+[.)])(?:\s|$)|^ {4}|^\t|^\s*[-=]{2,}\s*$|^:", re.M
)


def plain_text(markdown_body: str) -> str:
    """Markdown body -> the text a reader sees (links keep their text, not the URL)."""
    if not _MARKDOWN_SYNTAX.search(markdown_body):
        text = re.sub(r"[ \t\r\f\v]+", " ", markdown_body)
        return re.sub(r"\s*\n\s*", "\n", text).strip()
    return _rendered_text(markdown_body)


def _rendered_text(markdown_body: str) -> str:
    parser = _TextOnly()
    parser.feed(render_body(markdown_body, "s"))
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()
