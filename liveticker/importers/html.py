"""A saved liveblog page -> entries, with beautifulsoup4.

Items are found with `--selectors` (`entry=article.update,title=h2,time=time,body=p,
source=.credit`) or, without them, as the innermost `<article>` elements that contain a
heading and a `<time datetime>`. Page chrome (scripts, styles, navigation, asides, forms,
figures, anything classed as ad, teaser, promo, newsletter, related or share) is
removed before anything is read, so it can never enter an entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from liveticker.entry import Entry
from liveticker.importers import mdtext
from liveticker.importers.base import ImportFailed, item_label, no_items
from liveticker.importers.dates import check_given_day, clock, german_date, iso_local

SELECTOR_KEYS = ("entry", "title", "time", "body", "source")
AUTO = {"entry": None, "title": "h1, h2, h3, h4, h5, h6", "time": "time[datetime]",
        "body": "p", "source": ".credit, .source, .quelle"}  # fmt: skip
_CHROME_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed",
                "svg", "nav", "aside", "form", "button", "figure", "dialog"]  # fmt: skip
_CHROME_NAME = re.compile(
    r"(?:^|[-_\s])(?:ad|ads|advert\w*|anzeige|werbung|teaser\w*|promo\w*|sponsor\w*|"
    r"newsletter|related|social|share|paywall|banner|cookie\w*)(?:$|[-_\s])",
    re.I,
)
_SKIP = (Comment, Doctype, ProcessingInstruction)
_BLOCKS = ["p", "div", "li", "ul", "ol", "blockquote", "section", "h1", "h2", "h3", "h4",
           "h5", "h6", "table", "tr", "dl", "dt", "dd", "pre"]  # fmt: skip


def parse_selectors(spec: str) -> dict[str, str]:
    """`entry=article.update,title=h2,...` -> dict. A comma only separates keys when a
    known key follows, so selector lists such as `title=h2, h3` still work."""
    keys = "|".join(SELECTOR_KEYS)
    parts = re.split(rf",\s*(?=(?:{keys})\s*=)", spec.strip())
    result = {}
    for part in parts:
        key, sep, value = part.partition("=")
        key = key.strip()
        stray = re.search(r",\s*([A-Za-z_-]+)\s*=", value)  # an unknown `key=` inside
        if stray:
            part = value[stray.start(1) :]
        if stray or not sep or key not in SELECTOR_KEYS or not value.strip():
            raise ImportFailed(
                f"--selectors: {part.strip()!r} is not KEY=CSS with KEY one of "
                f"{', '.join(SELECTOR_KEYS)}; e.g. 'entry=article.update,title=h2,body=p'"
            )
        result[key] = value.strip()
    missing = [k for k in ("entry", "title", "body") if k not in result]
    if missing:
        raise ImportFailed(f"--selectors needs {', '.join(missing)} (entry, title and body)")
    return result


def parse(text: str, day: dt.date | None = None, selectors: str | None = None) -> Iterator[Entry]:
    """Yield one Entry per item in page order; `sources` holds the credit element text."""
    soup = BeautifulSoup(text, "html.parser")
    chosen = parse_selectors(selectors) if selectors else dict(AUTO)
    base = _base_url(soup)
    remove_chrome(soup, keep=chosen["entry"])
    items = _select(soup, chosen["entry"]) if chosen["entry"] else _auto_items(soup)
    if not items:
        why = (f"no element matches entry={chosen['entry']!r}" if chosen["entry"] else
               "no <article> with a heading and a <time datetime> (use --selectors)")  # fmt: skip
        raise no_items("html", why)
    stated = set()
    for number, item in enumerate(items, 1):
        heading = _first(item, chosen["title"])
        title = mdtext.normalize(heading.get_text(" ")) if heading else ""
        if not title:
            raise ImportFailed(f"item {number}: no title ({chosen['title']!r} found nothing)")
        stamp = _first(item, chosen.get("time"))
        item_day, time = _time_of(stamp) if stamp else (None, None)
        if item_day:
            stated.add(item_day)
        elif day is None:
            raise ImportFailed(f"{item_label(number, title)}: the page gives no date for "
                               "it; pass --date YYYY-MM-DD")  # fmt: skip
        credits = _select(item, chosen.get("source"))
        names = tuple(mdtext.normalize(c.get_text(" ")) for c in credits)
        skip = [e for e in (heading, stamp, *credits) if e is not None]
        found = paragraphs(item, chosen["body"], base, skip)
        if not found and not selectors:  # text outside <p>: take the rest of the item
            for element in skip:
                element.decompose()
            found = block_paragraphs(item, base)
        yield Entry(item_day or day, time, title, "\n\n".join(found), sources=names)
    check_given_day(day, stated)


def remove_chrome(root: Tag, keep: str | None = None) -> None:
    """Delete page chrome in place; elements matching `keep` (the entries) stay."""
    kept = root.select(keep) if keep else []
    kept_ids = set(map(id, kept))
    doomed = []
    for tag in root.find_all(True):
        if id(tag) in kept_ids:
            continue
        name = " ".join([*tag.get("class", []), tag.get("id", ""), tag.get("role", "")])
        page_part = tag.name in ("header", "footer") and not (
            tag.find_parent("article") or _inside(tag, kept)
        )
        if tag.name in _CHROME_TAGS or _CHROME_NAME.search(name) or page_part:
            doomed.append(tag)
    for tag in doomed:
        if not tag.decomposed:
            tag.decompose()


def paragraphs(item: Tag, selector: str, base: str, skip: list[Tag]) -> list[str]:
    """Markdown paragraphs of an item: each element matching `selector` that is not
    inside `skip` (title, time, credit) or inside another match."""
    found = [e for e in item.select(selector) if not _inside(e, skip)]
    found = [e for e in found if not any(_inside(e, [o]) for o in found if o is not e)]
    result = [inline_markdown(e, base) for e in found]
    return [mdtext.escape_block_start(p) for p in result if p]


def inline_markdown(element: Tag, base: str = "") -> str:
    """Text of an element as one Markdown line: text escaped, http(s) links as
    `[text](url)`, other markup dropped."""
    return mdtext.normalize("".join(_node(child, base) for child in element.children))


def block_paragraphs(root: Tag, base: str = "") -> list[str]:
    """Markdown paragraphs of a fragment whose text may sit in block elements or loose
    between them (`Intro <p>Text</p>`): every block and every run of loose text is one."""
    result, loose = [], []

    def flush() -> None:
        text = mdtext.normalize("".join(loose))
        loose.clear()
        if text:
            result.append(mdtext.escape_block_start(text))

    for child in root.children:
        if isinstance(child, Tag) and child.name in _BLOCKS:
            flush()
            if child.find(_BLOCKS):
                result.extend(block_paragraphs(child, base))
            else:
                loose.append(inline_markdown(child, base))
                flush()
        else:
            loose.append(_node(child, base))
    flush()
    return result


def _node(node, base: str) -> str:
    if isinstance(node, _SKIP):
        return ""
    if isinstance(node, NavigableString):
        return mdtext.escape_inline(str(node))
    if node.name == "br":
        return " "
    text = inline_markdown(node, base)
    if node.name == "a" and node.get("href"):
        url = urljoin(base, node["href"].strip())
        return mdtext.link(text, url) if text and _is_web(url) else text
    return f" {text} " if node.name in _BLOCKS else text


def _auto_items(soup: BeautifulSoup) -> list[Tag]:
    candidates = [
        a for a in soup.find_all("article")
        if a.select_one(AUTO["title"]) and a.select_one(AUTO["time"])
    ]  # fmt: skip
    return [a for a in candidates if not any(c is not a and _inside(c, [a]) for c in candidates)]


def _time_of(element: Tag) -> tuple[dt.date | None, dt.time | None]:
    if element.get("datetime"):
        found = iso_local(element["datetime"])
        if found != (None, None):
            return found
    text = element.get_text(" ")
    return german_date(text), clock(text)


def _select(root: Tag, selector: str | None) -> list[Tag]:
    return root.select(selector) if selector else []


def _first(root: Tag, selector: str | None) -> Tag | None:
    return root.select_one(selector) if selector else None


def _inside(element: Tag, containers: list[Tag]) -> bool:
    """Is `element` one of `containers` or inside one (by identity: bs4 compares tags
    by content, and two identical paragraphs are still two paragraphs)."""
    ids = set(map(id, containers))
    return id(element) in ids or any(id(p) in ids for p in element.parents)


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _base_url(soup: BeautifulSoup) -> str:
    for tag, attr in (("base", "href"), ("link[rel~=canonical]", "href"),
                      ("meta[property='og:url']", "content")):  # fmt: skip
        found = soup.select_one(tag)
        if found and found.get(attr):
            return found[attr]
    return ""
