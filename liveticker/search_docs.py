"""What both search indexes know of an entry: `SearchDoc`, built from a checked entry file.

Both indexes analyse exactly `SearchDoc.title` and `SearchDoc.text` (the body as plain
text, the words a reader sees), so the browser can re-check phrases and highlight words
on the same text that Python indexed. `doc_terms` is that analysis: one mask of field
bits per key (exact form, stem or compound part), the same for both indexes.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from itertools import chain

from liveticker.entry import Entry, reading_key
from liveticker.render import render_body
from liveticker.text_de import slugify, word_analyses, words

# Field bits of a key in a document: where (title, body) and how (exact form, stem,
# compound part) it occurs. Both indexes keep one mask per (key, document).
BITS = {"title_exact": 1, "title_stem": 2, "title_part": 4,
        "body_exact": 8, "body_stem": 16, "body_part": 32}  # fmt: skip


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
        return [_topic_key(t) for t in self.topics]

    @property
    def source_keys(self) -> list[str]:
        return [s.lower() for s in self.sources]


@lru_cache(maxsize=4096)
def _topic_key(topic: str) -> str:
    return slugify(topic)


def doc_order(entry: Entry, path: str) -> str:
    """`SearchDoc.order` of an entry (cheap: no text is analysed)."""
    name = path.rpartition("/")[2]
    key = reading_key(entry.day, entry.time, name)
    return f"{1_000_000 - entry.day.toordinal():07d}{key[1]}{1440 + key[2]:04d}{name}"


def search_doc(entry: Entry, path: str, html: str | None = None) -> SearchDoc:
    """`html`: the body as `render.render_body` made it for the page, if at hand (saves
    rendering Markdown again; any id prefix gives the same text)."""
    folder, _, name = path.rpartition("/")
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # as PurePosixPath.stem
    return SearchDoc(
        path=path,
        url=f"{folder or '.'}/{slugify(stem)}/",
        day=entry.day.isoformat(),
        time=f"{entry.time:%H:%M}" if entry.time else "",
        title=entry.title,
        text=plain_text(entry.body, html),
        topics=tuple(entry.topics),
        sources=tuple(entry.sources),
        order=doc_order(entry, path),
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
# Characters anywhere, and patterns at a line start (lists, code, rules, definitions):
_MARKDOWN_CHARS = re.compile(r"[\\`*_\[\]<>&#|~{}]")
_MARKDOWN_LINE = re.compile(r"\s*(?:[-+]|\d+[.)])(?:\s|$)| {4}|\t|\s*[-=]{2,}\s*$|:")
_SPACE_RUN = re.compile(r"[ \t\r\f\v]{2,}|[\t\r\f\v]")


def plain_text(markdown_body: str, html: str | None = None) -> str:
    """Markdown body -> the text a reader sees (links keep their text, not the URL);
    `html`: its rendering by `render_body`, if already made."""
    if _MARKDOWN_CHARS.search(markdown_body) or any(
        map(_MARKDOWN_LINE.match, markdown_body.split("\n"))):  # fmt: skip
        return html_text(render_body(markdown_body, "s") if html is None else html)
    return _squeeze(markdown_body)


def _squeeze(text: str) -> str:
    """Runs of blanks as one space, lines stripped, no empty lines (str methods: a
    regex over the whole text cost as much as the rest of the analysis)."""
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACE_RUN.sub(" ", text)
    return "\n".join(filter(None, map(str.strip, text.split("\n"))))


def html_text(body_html: str) -> str:
    """The text of a rendered body, blocks as lines."""
    parser = _TextOnly()
    parser.feed(body_html)
    parser.close()
    return _squeeze(html.unescape("".join(parser.parts)))


def doc_terms(doc: SearchDoc, counts: Counter | None = None) -> tuple[dict[str, int], dict]:
    """The keys of a document with their field bits (`BITS`), and {exact form: part
    stems} of its compounds (the browser marks those words). `counts`, if given, counts
    each distinct word of the text and of the title once (for the did-you-mean list)."""
    masks: dict[str, int] = {}
    parts_of: dict[str, list[str]] = {}
    get = masks.get
    for table, text in ((_BODY_KEYS, doc.text), (_TITLE_KEYS, doc.title)):
        distinct = set(words(text))
        if counts is not None:
            counts.update(distinct)
        if not table.keys() >= distinct:
            _analyse(distinct.difference(table))
        for key, bit in chain.from_iterable(map(table.__getitem__, distinct)):
            masks[key] = get(key, 0) | bit  # the inner loop of both index builds: keep it lean
        for word in sorted(distinct & _PART_WORDS):  # sorted: same bytes in every build
            parts_of.update(_PARTS[word])
    return masks, parts_of


# Per distinct word, analysed once per process (texts repeat words): its (key, bit) pairs
# in the body and in the title and, for compounds, {exact form: part stems}.
_BODY_KEYS: dict[str, tuple[tuple[str, int], ...]] = {}
_TITLE_KEYS: dict[str, tuple[tuple[str, int], ...]] = {}
_PARTS: dict[str, dict[str, list[str]]] = {}
_PART_WORDS: set[str] = set()  # the keys of _PARTS, as a set for fast intersections
_MAX_WORDS = 400_000


def _analyse(found) -> None:
    if len(_BODY_KEYS) > _MAX_WORDS:
        for table in (_BODY_KEYS, _TITLE_KEYS, _PARTS, _PART_WORDS):
            table.clear()
    for word in found:
        pairs: dict[str, int] = {}  # bits of the body; title bits are these // 8
        for exact, stemmed, parts in word_analyses(word):
            pairs[exact] = pairs.get(exact, 0) | BITS["body_exact"]
            pairs[stemmed] = pairs.get(stemmed, 0) | BITS["body_stem"]
            for part in parts:
                pairs[part] = pairs.get(part, 0) | BITS["body_part"]
            if parts:
                _PARTS.setdefault(word, {})[exact] = list(parts)
                _PART_WORDS.add(word)
        _BODY_KEYS[word] = tuple(pairs.items())
        _TITLE_KEYS[word] = tuple((key, bits // _TITLE_SHIFT) for key, bits in pairs.items())


_TITLE_SHIFT = BITS["body_exact"] // BITS["title_exact"]  # title bits = body bits // this
