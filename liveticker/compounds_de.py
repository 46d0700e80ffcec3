"""Splitting German compounds into their parts, so that `Angriff` finds `Raketenangriffe`.

The lexicon is the noun list of the `german-nouns` package (about 100,000 nouns with all
their inflected forms, compiled from Wiktionary DE). A word is split only into parts that
are nouns of that lexicon, each at least `MIN_PART` letters long, joined directly or by a
linking `s`/`es` (`Sicherheits|rat`, `Bundes|regierung`); plural forms cover the linking
`n`/`en`/`er`/`e` (`Raketen|angriff`). Heads that are really derivational suffixes
(`-schaft`, `-ion`, `-ling`) and non-nouns such as `an`/`be` never count, which is what
keeps `Angaben`, `Beratung` and `Ortschaft` whole. `tests/test_text_de.py` measures the
precision on a word list.

The lexicon is read once from the package's CSV (about a second) and cached as a plain
word list in `.cache/lexicon/`.
"""

from __future__ import annotations

import csv
import os
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

LEXICON_PACKAGE = "german-nouns"
MIN_PART = 4
# Three-letter (and shorter) nouns common as compound parts; others of that length are
# too often chance substrings (`Sol|daten`, `Bun|des`).
SHORT_NOUNS = frozenset({
    "rat", "räte", "amt", "ämter", "ost", "tag", "tage", "gas", "hof", "höfe", "weg", "bau",
    "eis", "zug", "züge", "tod", "mut", "art", "ort", "orte", "tor", "bus", "öl", "uno", "see",
})  # fmt: skip
LINKS = ("s", "es")
# Nouns that are in the lexicon but, at the end of a word, are nearly always a suffix or
# a chance substring (`Geburt|stag`, `Mini|ster`).
BLOCKED_HEADS = frozenset({
    "schaft", "schaften", "schafts", "ion", "ionen", "ions", "ling", "linge", "lingen",
    "lings", "tum", "tums", "heit", "heiten", "keit", "keiten", "nis", "nisse", "nissen",
    "ung", "ungen", "chen", "lein", "leins", "erei", "tät", "täten", "ismus", "ismen",
    "ist", "isten", "ade", "aden", "ent", "ente", "enten", "ant", "anten", "ier", "iere",
    "ieren", "ine", "inen", "ität", "itäten", "ose", "osen", "uren", "age", "agen",
    "ette", "etten", "eien", "ster", "stern", "haber", "stag", "stage", "rechen",
})  # fmt: skip
# Nouns that, at the start of a word, are nearly always a prefix, a particle or a
# chance substring (`Verb|raucher`, `Russ|land`).
BLOCKED_MODIFIERS = frozenset({
    "auf", "aus", "ein", "vor", "nach", "bei", "mit", "über", "unter", "durch", "gegen",
    "hinter", "neben", "zwischen", "ver", "zer", "ent", "emp", "miss", "erz", "verb",
    "russ", "mini", "bunde", "jahre",
})  # fmt: skip
_SKIPPED_POS = frozenset({
    "Vorname", "Nachname", "Familienname", "Eigenname", "Abkürzung", "Buchstabe", "Symbol",
    "Wortverbindung", "Affix", "Suffix", "Straßenname", "Redewendung", "Grußformel",
    "Partikel", "Zahlklassifikator", "Adjektiv", "Gebundenes Lexem", "Geflügeltes Wort",
    "Deklinierte Form",
})  # fmt: skip


def lexicon_version() -> str:
    """Name and version of the lexicon, recorded in the search indexes."""
    try:
        return f"{LEXICON_PACKAGE} {metadata.version(LEXICON_PACKAGE)}"
    except metadata.PackageNotFoundError:
        return f"{LEXICON_PACKAGE} missing"


def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a compound as lower-case substrings of the word, linking `s`
    removed: `Raketenangriffe` -> (`raketen`, `angriffe`); () if it is no compound."""
    return _split(word.lower())


def compound_parts(word: str) -> tuple[str, ...]:
    """`split_compound` plus every run of adjacent parts that is itself a noun:
    `Luftabwehrsystem` -> (`luft`, `abwehr`, `system`, `luftabwehr`, `abwehrsystem`)."""
    parts = _split(word.lower())
    if len(parts) < 3:
        return parts
    runs = []
    for start in range(len(parts)):
        for end in range(start + 2, len(parts) + 1):
            run = "".join(parts[start:end])
            if (start, end) != (0, len(parts)) and run in nouns():
                runs.append(run)
    return parts + tuple(runs)


@lru_cache(maxsize=200_000)
def _split(word: str) -> tuple[str, ...]:
    parts, heads = _part_sets()
    for cut in range(2, len(word) - 1):  # longest head first
        head = word[cut:]
        if head in heads:
            modifier = _modifier_parts(word[:cut], parts)
            if modifier:
                return modifier + (_split(head) or (head,))
    return ()


def _modifier_parts(modifier: str, parts: frozenset[str]) -> tuple[str, ...]:
    forms = nouns()
    candidates = [modifier] + [
        modifier[: -len(link)] for link in LINKS if modifier.endswith(link)
    ]
    if len(modifier) >= MIN_PART + 1 and modifier + "e" in forms:
        candidates.append(modifier + "e")  # elided e: Grenz|gebiet, Schul|buch
    for base in candidates:
        if base in parts and base not in BLOCKED_MODIFIERS:
            return _split(base) or (base,)
    for base in candidates:
        if len(base) >= 2 * MIN_PART:
            found = _split(base)
            if found:
                return found
    return ()


@cache
def _part_sets() -> tuple[frozenset[str], frozenset[str]]:
    """The words that can be a part (lexicon forms of MIN_PART+ letters, and
    SHORT_NOUNS), and those of them that can end a compound: one set lookup per cut."""
    parts = frozenset(f for f in nouns() if len(f) >= MIN_PART).union(SHORT_NOUNS)
    return parts, parts - BLOCKED_HEADS


def preload() -> None:
    """Make the lexicon's sets now (see `text_de.preload`)."""
    _part_sets()


@cache
def nouns() -> frozenset[str]:
    """Every inflected form of every common noun and place name, lower case."""
    cache_file = _cache_dir() / f"{lexicon_version().replace(' ', '-')}.txt"
    try:
        return frozenset(cache_file.read_text(encoding="utf-8").split("\n"))
    except OSError:
        pass
    forms = _read_lexicon()
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text("\n".join(sorted(forms)), encoding="utf-8")
        tmp.replace(cache_file)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return forms


def _read_lexicon() -> frozenset[str]:
    from german_nouns.config import CSV_FILE_PATH  # data only; its lookup module is slow

    forms = set()
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            if row[0].startswith("-") or _SKIPPED_POS.intersection(row[1].split(",")):
                continue
            for value in (row[0], *row[7:]):
                value = value.lower()
                if len(value) >= 2 and value.isalpha():
                    forms.add(value)
    return frozenset(forms)


def _cache_dir() -> Path:
    root = os.environ.get("LIVETICKER_CACHE")
    if root:
        return Path(root) / "lexicon"
    return Path(__file__).resolve().parent.parent / ".cache" / "lexicon"
