"""Markdown body -> safe HTML. One Markdown configuration for the build and the check.

Bodies are untrusted: the rendered HTML always goes through the nh3 allowlist, even
for entries that passed `invoke check` (defence in depth).
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


def markdown_to_html(text: str) -> str:
    """Raw Markdown rendering, *not* safe to publish; `render_body` is."""
    _markdown.reset()
    return _markdown.convert(text)


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
    """Markdown body -> sanitised HTML ready for pages and feeds."""
    return sanitize(markdown_to_html(text), id_prefix)
