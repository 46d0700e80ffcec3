"""Plain ticker text, as in the seed file: title line, paragraphs, next title line...

There are no markers, so titles are told from paragraphs by shape. A block (text
between blank lines; every line, if the text has no blank lines at all) is a title if

- it is one line of at most 140 characters that is not only a parenthesis (`(dpa)`),
- it does not end like a sentence or a lead-in: after a final parenthesis (`(dpa)`,
  `(Update)`) and closing quotes are set aside, the last character is not `.`, `!`,
  `,`, `;` or `:` (`?`, a quotation mark or a colon phrase such as
  `Nordkorea: werden Russland „stets unterstützen“` are fine);
  or the previous paragraph ended with an agency credit (items end with one there,
  so a short single line after it is a title even with a full stop), and
- it is not the first block after a title (an item needs a paragraph) and not the
  last block of the text (a short last paragraph is still a paragraph).

The first block must be a title. No times: every item gets the `--date` day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from liveticker.entry import Entry
from liveticker.importers import mdtext
from liveticker.importers.base import no_items
from liveticker.importers.dates import choose_day

TITLE_MAX = 140
_CLOSERS = "“”\"'»«’"
_ONLY_PARENTHESIS = re.compile(r"\([^()]*\)")
_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)$")
_CREDIT_END = re.compile(r"[.!?…“”\"»«)]\s*\([^()\n]{1,60}\)$")


def blocks(text: str) -> list[str]:
    """Blank-line separated blocks; if there are no blank lines, single lines."""
    text = text.strip()
    if re.search(r"\n[ \t\u00a0]*\n", text):
        parts = re.split(r"\n[ \t\u00a0]*\n", text)
    else:
        parts = text.split("\n")
    return [p.strip() for p in parts if p.strip()]


def is_title_like(block: str) -> bool:
    """One short line that does not end like a sentence (see the module docstring)."""
    if "\n" in block or len(block) > TITLE_MAX or _ONLY_PARENTHESIS.fullmatch(block):
        return False
    end = _TRAILING_PARENTHESIS.sub("", block).rstrip(_CLOSERS).rstrip()
    return not end.endswith((".", "!", ",", ";", ":"))


def _ends_with_credit(paragraph: str) -> bool:
    return bool(_CREDIT_END.search(paragraph) or _ONLY_PARENTHESIS.fullmatch(paragraph))


def split_items(text: str) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) pairs in source order; an empty list if the text does not
    start with a title followed by a paragraph."""
    parts = blocks(text)
    if len(parts) < 2 or not is_title_like(parts[0]):
        return []
    found: list[tuple[str, list[str]]] = []
    for index, block in enumerate(parts):
        if not found:
            found.append((block, []))
            continue
        paragraphs = found[-1][1]
        last = index == len(parts) - 1
        single_short = "\n" not in block and len(block) <= TITLE_MAX
        title = (
            paragraphs
            and not last
            and (is_title_like(block) or (single_short and _ends_with_credit(paragraphs[-1])))
        )
        if title:
            found.append((block, []))
        else:
            paragraphs.append(block)
    return found


def parse(text: str, day: dt.date | None = None) -> Iterator[Entry]:
    """Yield one untimed Entry per item, in source order."""
    found = split_items(mdtext.decode_text(text))
    if not found:
        raise no_items("plain", "the text does not start with a title line and a paragraph")
    day = choose_day(day, None, "plain", "")
    for title, paragraphs in found:
        yield Entry(
            day=day,
            time=None,
            title=mdtext.normalize(title),
            body="\n\n".join(mdtext.paragraph(p) for p in paragraphs),
        )
