"""What every importer shares: the error that stops an import, and how items are named.

Messages go to contributors, so each one names the item (number in source order and
title) and says why it cannot be imported.
"""

from __future__ import annotations

FORMATS = ("ntv", "mdr", "plain", "html", "jsonld")
FORMAT_HINTS = {
    "ntv": "marker lines '+++ HH:MM Title +++'",
    "mdr": "a stand line '7. April 2025, 18:30 Uhr' and items 'HH:MM Uhr | Title'",
    "plain": "title line, paragraphs, next title line (no times; needs --date)",
    "html": "a saved page with repeated <article> items (heading + <time datetime>) or --selectors",
    "jsonld": "a page or .json file with a schema.org LiveBlogPosting and liveBlogUpdate",
}


class ImportFailed(Exception):
    """The import cannot go ahead. `problems` holds one line per reason; nothing is written."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def item_label(number: int, title: str) -> str:
    """`item 3 'Gefechte in der Ostukraine…'`: how messages point at one item."""
    short = title if len(title) <= 60 else title[:59] + "…"
    return f"item {number} {short!r}"


def formats_help() -> str:
    """The list of formats with what each looks like, for 'not recognised' errors."""
    return "; ".join(f"{name} ({hint})" for name, hint in FORMAT_HINTS.items())


class NoItems(ImportFailed):
    """The source holds no item of the format it was read as."""


def no_items(fmt: str, why: str) -> NoItems:
    return NoItems(f"no ticker items found as {fmt}: {why}. Expected {FORMAT_HINTS[fmt]}.")
