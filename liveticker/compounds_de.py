"""Splitting German compounds into their parts, so that `Angriff` finds `Raketenangriffe`.

The lexicon is the noun list of the `german-nouns` package (about 100,000 nouns with all
their inflected forms, compiled from Wiktionary DE). A word is split only into parts that
are nouns of that lexicon, each at least `MIN_PART` letters long, joined directly or by a
linking `s`/`es` (`Sicherheits|rat`, `Bundes|regierung`); plural forms cover the linking
`n`/`en`/`er`/`e` (`Raketen|angriff`). Heads that are really derivational suffixes
(`-schaft`, `-ion`, `-ling`) and non-nouns such as `an`/`be` never count, which is what
keeps `Angaben`, `Beratung` and `Ortschaft` whole. `tests/test_text_de.py` measures the
precision on a word list.

The lexicon is read once from the package's CSV (about a second) and cached in
`.cache/lexicon/` as a hash table of its forms: the first LAZY_LOOKUPS lookups of a
process read one bucket each from that file, later ones (and forked workers, after
`preload`) ask the set of all forms.
"""

from __future__ import annotations

import csv
import os
import zlib
from array import array
from functools import cache, lru_cache
from importlib import metadata
from itertools import accumulate
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


@cache
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
    is_noun = _noun_test()
    for start in range(len(parts)):
        for end in range(start + 2, len(parts) + 1):
            run = "".join(parts[start:end])
            if (start, end) != (0, len(parts)) and is_noun(run):
                runs.append(run)
    return parts + tuple(runs)


@lru_cache(maxsize=200_000)
def _split(word: str) -> tuple[str, ...]:
    is_noun = _noun_test()
    for cut in range(2, len(word) - 1):  # longest head first
        head = word[cut:]
        if _is_part(head, is_noun) and head not in BLOCKED_HEADS:
            modifier = _modifier_parts(word[:cut], is_noun)
            if modifier:
                return modifier + (_split(head) or (head,))
    return ()


def _is_part(word: str, is_noun) -> bool:
    """Whether a word can be a part: a lexicon form of MIN_PART+ letters, or a SHORT_NOUN."""
    return word in SHORT_NOUNS or (len(word) >= MIN_PART and is_noun(word))


def _modifier_parts(modifier: str, is_noun) -> tuple[str, ...]:
    candidates = [modifier] + [modifier[: -len(link)] for link in LINKS if modifier.endswith(link)]
    if len(modifier) >= MIN_PART + 1 and is_noun(modifier + "e"):
        candidates.append(modifier + "e")  # elided e: Grenz|gebiet, Schul|buch
    for base in candidates:
        if _is_part(base, is_noun) and base not in BLOCKED_MODIFIERS:
            return _split(base) or (base,)
    for base in candidates:
        if len(base) >= 2 * MIN_PART:
            found = _split(base)
            if found:
                return found
    return ()


# ---- The lexicon ----

LAZY_LOOKUPS = 10_000  # lookups in the cache file (~5 µs each) before the set is loaded
_forms: frozenset[str] | None = None  # nouns(), once loaded through `preload`
_lookups = 0


def _noun_test():
    """`nouns().__contains__`, or, while few words were looked up, a lookup of the one
    hash bucket in the cache file: a rebuild that analyses a new entry's few words does
    not load 250,000 forms (0.1 s). After LAZY_LOOKUPS lookups (about as long as loading
    them) the set is loaded; both answer the same."""
    return _forms.__contains__ if _forms is not None else _file_lookup


def _file_lookup(form: str) -> bool:
    global _lookups
    _lookups += 1
    if _lookups > LAZY_LOOKUPS:
        preload()
        return form in nouns()
    return _table().has(form)


def preload() -> None:
    """Load the set of all forms now (see `text_de.preload`)."""
    global _forms
    _forms = nouns()


@cache
def nouns() -> frozenset[str]:
    """Every inflected form of every common noun and place name, lower case."""
    return _table().forms()


class _Table:
    """The forms as the cache file holds them: the number n of hash buckets (4 bytes,
    little-endian), n + 1 offsets into the body (native uint32), then the body: every
    form preceded by a newline, bucket by bucket (bucket: CRC-32 of the UTF-8 form mod
    n), and a final newline. `has` reads one bucket, `forms` reads all."""

    def __init__(self, raw: bytes):
        n = int.from_bytes(raw[:4], "little")
        self.offsets = array("I", raw[4 : 8 + 4 * n])
        self.body = raw[8 + 4 * n :]
        if n < 1 or len(self.offsets) != n + 1 or self.offsets[-1] != len(self.body) - 1:
            raise ValueError("not a lexicon file")

    @staticmethod
    def encode(forms: frozenset[str]) -> bytes:
        n = max(1, len(forms) // 4)
        buckets: list[list[bytes]] = [[] for _ in range(n)]
        for form in sorted(forms):
            raw = form.encode()
            buckets[zlib.crc32(raw) % n].append(b"\n" + raw)
        bodies = [b"".join(bucket) for bucket in buckets]
        offsets = array("I", [0, *accumulate(map(len, bodies))])
        return n.to_bytes(4, "little") + offsets.tobytes() + b"".join(bodies) + b"\n"

    def has(self, form: str) -> bool:
        raw = form.encode()
        bucket = zlib.crc32(raw) % (len(self.offsets) - 1)
        start, end = self.offsets[bucket], self.offsets[bucket + 1]
        return self.body.find(b"\n" + raw + b"\n", start, end + 1) >= 0

    def forms(self) -> frozenset[str]:
        return frozenset(self.body[1:-1].decode().split("\n"))


@cache
def _table() -> _Table:
    """The cache file, made from the package's CSV on first use (about a second)."""
    cache_file = _cache_dir() / f"{lexicon_version().replace(' ', '-')}.forms"
    try:
        return _Table(cache_file.read_bytes())
    except (OSError, ValueError):
        pass
    raw = _Table.encode(_read_lexicon())
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(raw)
        tmp.replace(cache_file)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return _Table(raw)


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
