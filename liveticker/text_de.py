"""German text analysis: the one place where folding, tokens, stems and compound parts of
German text are defined.

Used by the vocabulary (slugs, suggestions), the importers (topic suggestions) and both
search indexes. The browser search (`theme/static/js/search-analysis.js`) repeats `tokens`,
`fold` and `stem` (not the compound splitting: the static index carries the parts); the
tests check both on one table of cases and on the whole vocabulary of the test corpus.

Analysis of one word (`analyze_word`):
- exact form: `fold(word)`, lower case with ä/ö/ü/ß spelt ae/oe/ue/ss, so `Flüchtlinge`,
  `FLUECHTLINGE` and `fluechtlinge` are one term;
- stem: Snowball German 3 (which itself reads ae/oe/ue as umlauts unless the u sits
  between vowels or after q, so `Fluechtlinge` and `Flüchtlinge` both give `fluchtling`
  while `Frauen`, `neue`, `Quelle` keep their u), then a final genitive/plural `s` after
  a/o/j/p/w/y is dropped (`Selenskyjs`, `Trumps`, `Autos`), which Snowball leaves;
- compound parts: the stems of `compounds_de.compound_parts` (`Raketenangriffe` ->
  `raket`, `angriff`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from liveticker import compounds_de

ANALYZER_VERSION = 1  # bump when any rule below changes: indexes record it
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case-fold and spell umlauts and ß out, so that `Flüchtling`, `FLUECHTLING` and
    `fluechtling` meet; other diacritics are dropped (`Île` -> `ile`)."""
    text = text.lower().translate(_UMLAUTS)
    if text.isascii():  # nothing to decompose (a flag of the string: no scan)
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text))


def slugify(text: str) -> str:
    """URL slug of German text: `Humanitäre Lage` -> `humanitaere-lage`."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# A token: letters/digits, joined by hyphens (`Ukraine-Krieg`) and, between digits, by
# `.` or `,` (`60.000`, `1,5`). search-analysis.js uses the same pattern.
_TOKEN = re.compile(r"[^\W_]+(?:(?:-|(?<=[0-9])[.,](?=[0-9]))[^\W_]+)*")


def words(text: str) -> list[str]:
    """Words of a text in order (hyphenated words and numbers like `60.000` stay whole)."""
    return _TOKEN.findall(text)


def stem(word: str) -> str:
    """Stem of one word (see the module doc): `Verhandlungen` -> `verhandl`,
    `Fluechtlinge` -> `fluchtling`. Hyphenated words are stemmed part by part."""
    if "-" in word:
        return "-".join(stem(part) for part in word.split("-"))
    return _stem_simple(word.lower())


_STEMS: dict[str, str] = {}  # lower-case word -> stem (compound parts repeat a lot)


def _stem_simple(lower: str) -> str:
    stemmed = _STEMS.get(lower)
    if stemmed is None:
        stemmed = fold(_stemmer().stemWord(lower))
        if len(stemmed) > 4 and stemmed[-1] == "s" and stemmed[-2] in "aojpwy":
            stemmed = stemmed[:-1]  # genitive/plural s after 4+ letters (module doc)
        if len(_STEMS) > 500_000:
            _STEMS.clear()
        _STEMS[lower] = stemmed
    return stemmed


def stems(text: str) -> set[str]:
    """The stems of every word and hyphen part in a text (used for topic suggestions)."""
    result = set()
    for word in words(text):
        for part in {word, *re.split(r"[-.]", word)}:
            if part:
                result.add(stem(part))
    return result


@dataclass(frozen=True)
class Token:
    """One analysed word at a position; hyphen parts share the position scheme below."""

    position: int
    surface: str  # as written
    exact: str  # fold(surface)
    stem: str
    parts: tuple[str, ...] = ()  # stems of compound parts, without `stem` itself


def tokens(text: str) -> list[Token]:
    """Analysed words of a text. A hyphenated word yields the whole word and then each
    part, the whole and its first part at the same position, so that the phrase
    `"Ukraine Krieg"` matches `Ukraine-Krieg`."""
    result: list[Token] = []
    position = 0
    for surface in words(text):
        if "-" in surface:
            exact, stemmed, _ = analyze_word(surface)
            result.append(Token(position, surface, exact, stemmed))
            for part in surface.split("-"):
                result.append(Token(position, part, *analyze_word(part)))
                position += 1
        else:
            result.append(Token(position, surface, *analyze_word(surface)))
            position += 1
    return result


def word_analyses(surface: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """`analyze_word` of a token and, for a hyphenated one, of each part: the terms an
    index takes from it (same terms as `tokens`, without positions; for index builds)."""
    if "-" not in surface:
        return [analyze_word(surface)]
    exact, stemmed, _ = analyze_word(surface)
    return [(exact, stemmed, ()), *(analyze_word(part) for part in surface.split("-"))]


_ANALYSED: dict[str, tuple[str, str, tuple[str, ...]]] = {}


def analyze_word(word: str) -> tuple[str, str, tuple[str, ...]]:
    """(exact, stem, compound part stems) of one word; memoised, texts repeat words."""
    found = _ANALYSED.get(word)
    if found is None:
        stemmed = stem(word)
        parts: tuple[str, ...] = ()
        if "-" not in word and len(word) > 5 and not word[0].isdigit():
            parts = tuple(dict.fromkeys(
                s for s in (stem(p) for p in compounds_de.compound_parts(word)) if s != stemmed
            ))  # fmt: skip
        found = (fold(word), stemmed, parts)
        if len(_ANALYSED) > 500_000:
            _ANALYSED.clear()
        _ANALYSED[word] = found
    return found


def analyzer_settings() -> dict:
    """What an index must record so that a reader can refuse a different analysis."""
    return {
        "analyzer": ANALYZER_VERSION,
        "stemmer": f"snowball-german {_stemmer_version()}",
        "lexicon": compounds_de.lexicon_version(),
    }


def _stemmer_version() -> str:
    from importlib import metadata

    return f"pystemmer {metadata.version('pystemmer')}"


_STEMMER = None


def preload() -> None:
    """Load the stemmer and the compound lexicon now: before forking workers, which then
    share them instead of each reading the lexicon."""
    _stemmer()
    compounds_de.preload()


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer  # PyStemmer: the Snowball stemmers compiled in C

        _STEMMER = Stemmer.Stemmer("german")
    return _STEMMER
