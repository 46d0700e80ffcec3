"""Topic suggestions: the vocabulary's keywords found in an entry, on stemmed words.

Matching works on Snowball stems from `text_de` (the same analysis search uses), so
`Verhandlung` also finds `Verhandlungen`; a keyword of several words (`Kim Jong Un`)
must occur as that sequence. Link URLs are not text and are ignored.
"""

from __future__ import annotations

import html
import re
from functools import cache

from liveticker.text_de import stem, stems, words
from liveticker.vocab import Vocabulary

_LINK_URL = re.compile(r"\]\([^)\s]*\)")
_ESCAPE = re.compile(r"\\(.)")


def plain_text(markdown: str) -> str:
    """What a reader sees of an importer-made body: escapes and link URLs removed."""
    return html.unescape(_ESCAPE.sub(r"\1", _LINK_URL.sub("]", markdown)))


def suggest(title: str, body: str, vocab: Vocabulary) -> list[str]:
    """Names of the topics whose keywords occur in title or body, in vocabulary order."""
    text = f"{title}\n{plain_text(body)}"
    single = stems(text)
    sequence = [stem(w) for w in words(text)]
    found = []
    for topic in vocab.topics:
        for keyword in topic.keywords:
            parts = _keyword_stems(keyword)
            if len(parts) == 1 and parts[0] in single:
                found.append(topic.name)
                break
            if len(parts) > 1 and _contains(sequence, parts):
                found.append(topic.name)
                break
    return found


@cache
def _keyword_stems(keyword: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(keyword))


def _contains(sequence: list[str], parts: tuple[str, ...]) -> bool:
    size = len(parts)
    return any(tuple(sequence[i : i + size]) == parts for i in range(len(sequence) - size + 1))
