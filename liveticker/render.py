"""Markdown body -> safe HTML. One Markdown configuration for the build and the check.

Bodies are untrusted: rendered HTML always goes through the nh3 allowlist, even for
entries that passed `invoke check` (defence in depth) - except plain prose, which holds
no markup character for nh3 to act on (see render_body).
"""

from __future__ import annotations

import re

import markdown
import nh3

MARKDOWN_EXTENSIONS = ("extra", "sane_lists")

_ALLOWED_TAGS = {
    "p", "br", "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small",
    "sub", "sup", "q", "cite", "abbr", "code", "pre", "kbd", "blockquote", "hr",
    "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "div", "span",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "abbr": {"title"},
    "li": {"id"},
    "sup": {"id"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
# Only the classes Markdown's footnotes write: a contributor cannot borrow the theme's
# classes (e.g. to hide text or to dress a link up as site navigation).
_ALLOWED_CLASSES = {"a": {"footnote-ref", "footnote-backref"}, "div": {"footnote"}}
# Removed with everything inside them (other disallowed tags keep their text).
_CLEAN_CONTENT_TAGS = {
    "script", "style", "template", "noscript", "iframe", "object", "embed", "applet",
    "svg", "math", "xmp", "noembed", "noframes", "textarea", "select", "title",
}  # fmt: skip
_URL_SCHEMES = {"http", "https", "mailto"}
_FOOTNOTE_ID = re.compile(r"fn(ref)?(:|\d|-)[\w:.-]*")

_markdown = markdown.Markdown(
    extensions=list(MARKDOWN_EXTENSIONS),
    extension_configs={"extra": {"footnotes": {"BACKLINK_TITLE": "Zurück zu Fußnote %d im Text"}}},
    output_format="html",
)


# Plain prose - paragraphs that no rule of the extensions above touches - becomes <p>
# blocks verbatim. Python-Markdown takes about a millisecond per entry to find that out;
# `_plain_paragraphs` gives the same bytes at once (issue 7: most entries are prose).
# Refused: any character with a meaning in Markdown, HTML or the extensions anywhere, and
# at a line start also digits (ordered lists), `-`, `+`, `:` (definition lists) and
# white space (code blocks); trailing white space (line breaks); control characters.
_MARKUP = re.compile(r"[\\`*_\[\]<>&#|{}~=!\x00-\x09\x0b-\x1f\x7f]")
_LINE_START = frozenset("+-:")


def plain_blocks(text: str) -> list[str] | None:
    """The paragraphs of plain prose, or None if the text may be more. (Line starts and
    ends are checked line by line: one regular expression for all took 60 us per entry.)"""
    text = text.strip("\n")
    if not text or "\r" in text or _MARKUP.search(text):
        return None
    for line in text.split("\n"):
        if line and (line[0] in _LINE_START or line[0].isdecimal() or line[0].isspace()
                     or line[-1].isspace()):  # fmt: skip
            return None
    return re.split(r"\n\n+", text)


def _plain_paragraphs(text: str) -> str | None:
    """Python-Markdown's output for plain prose, or None if the text may be more."""
    blocks = plain_blocks(text)
    return None if blocks is None else "\n".join(f"<p>{block}</p>" for block in blocks)


def _convert(text: str) -> str:
    _markdown.reset()
    return _markdown.convert(text)


def markdown_to_html(text: str) -> str:
    """Raw Markdown rendering, *not* safe to publish; `render_body` is."""
    plain = _plain_paragraphs(text)
    return plain if plain is not None else _convert(text)


def sanitize(html: str, id_prefix: str) -> str:
    """Allowlist-clean HTML: only the tags and attributes above, links only to http(s) and
    mailto (or relative), no event attributes, no script or style content, no comments.
    Footnote ids are kept but prefixed with `id_prefix`, and so are the links to them, so
    that several entries on one page never share an id; all other ids are dropped."""

    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return f"{id_prefix}-{value}" if _FOOTNOTE_ID.fullmatch(value) else None
        if attribute == "href" and value.startswith("#"):
            return f"#{id_prefix}-{value[1:]}" if _FOOTNOTE_ID.fullmatch(value[1:]) else None
        return value

    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_CLEAN_CONTENT_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        allowed_classes=_ALLOWED_CLASSES,
        url_schemes=_URL_SCHEMES,
        attribute_filter=keep,
        link_rel="noopener noreferrer nofollow",
    )


def render_body(text: str, id_prefix: str) -> str:
    """Markdown body -> sanitised HTML ready for pages and feeds. Plain prose holds no
    markup character at all (no `<`, `>`, `&`, no control character: see _NOT_PLAIN), so
    nh3 returns its paragraphs as they are, but for the one character its serialiser
    escapes in text, the no-break space; they skip nh3 (0.2 ms per entry; tests compare
    both ways on random text)."""
    plain = _plain_paragraphs(text)
    if plain is not None:
        return plain.replace("\xa0", "&nbsp;")
    return sanitize(_convert(text), id_prefix)
