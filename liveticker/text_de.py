"""German text analysis: the one place where folding and slugs of German text are defined.

Used by the vocabulary (slugs, suggestions), the importers (topic suggestions) and both
search indexes.
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Case-fold and spell umlauts and ß out, so that `Flüchtling`, `FLUECHTLING` and
    `fluechtling` meet; other diacritics are dropped (`Île` -> `ile`)."""
    text = text.lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def slugify(text: str) -> str:
    """URL slug of German text: `Humanitäre Lage` -> `humanitaere-lage`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


_WORD = re.compile(r"\w+(?:[-.]\w+)*")


def words(text: str) -> list[str]:
    """Words of a text in order (hyphenated words and numbers like `60.000` stay whole)."""
    return _WORD.findall(text)


def stem(word: str) -> str:
    """Snowball German stem of one word, folded: `Verhandlungen` -> `verhandl`."""
    return fold(_stemmer().stemWord(word.lower()))


def stems(text: str) -> set[str]:
    """The stems of every word and hyphen part in a text (used for topic suggestions)."""
    result = set()
    for word in words(text):
        for part in {word, *re.split(r"[-.]", word)}:
            if part:
                result.add(stem(part))
    return result


_STEMMER = None


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer  # PyStemmer: the Snowball stemmers compiled in C

        _STEMMER = Stemmer.Stemmer("german")
    return _STEMMER
