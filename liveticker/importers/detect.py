"""`--format auto`: which of the five formats a source is in.

Structured formats win over loose ones: JSON-LD over HTML markup, marker lines (ntv,
mdr) over the shape-based plain format. A source none of them recognises is an error
listing the formats, never an empty success.
"""

from __future__ import annotations

import re

from liveticker.importers import html, jsonld, mdr, mdtext, ntv, plain
from liveticker.importers.base import FORMATS, ImportFailed, formats_help

_PAGE = re.compile(r"<(!doctype\s+html|html|head|body|article|main|div|section)\b", re.I)


def detect(text: str, selectors: str | None = None) -> str:
    """The name of the format of `text` (one of FORMATS)."""
    stripped = text.lstrip()
    if selectors:
        return "html"
    if stripped.startswith(("{", "[")) or "application/ld+json" in text.lower():
        docs, errors = jsonld.documents(text)
        if any(blog.get("liveBlogUpdate") for blog in jsonld.live_blogs(docs)):
            return "jsonld"
        if errors and "LiveBlogPosting" in text:  # let jsonld report the broken JSON
            return "jsonld"
    if _PAGE.search(text) and mdtext.looks_like_html(text):
        return "html"
    lines = mdtext.decode_text(text).split("\n")
    if any(ntv.MARKER.fullmatch(line) for line in lines):
        return "ntv"
    if any(mdr.MARKER.fullmatch(line) for line in lines):
        return "mdr"
    if plain.split_items(mdtext.decode_text(text)):
        return "plain"
    raise ImportFailed(
        "could not recognise the format of the source; pass --format with one of "
        f"{', '.join(FORMATS)}: {formats_help()}"
    )


def parser(fmt: str):
    """The `parse` function of a format."""
    modules = {"ntv": ntv, "mdr": mdr, "plain": plain, "html": html, "jsonld": jsonld}
    if fmt not in modules:
        raise ImportFailed(f"--format {fmt!r} is unknown; use auto or one of {', '.join(FORMATS)}")
    return modules[fmt].parse
