"""The search query language, shared by `invoke search` (Whoosh) and the browser.

    Angriff Charkiw          every word must match
    "Rotes Kreuz"            adjacent words
    -Drohnen  -"Rotes Kreuz" exclude
    Sapori*                  word prefix
    thema:Nordkorea  thema:"Humanitäre Lage"  quelle:dpa
    datum:2025  datum:2025-02  datum:2025-02-01..2025-02-15

The last plain word also counts as a prefix (3+ letters) while the reader is typing.
`parse` returns plain data (`Query.as_dict`) so that `search-core.js`, which parses the
same syntax, can be checked against it on one table of cases
(`tests/data/search/query_cases.json`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from liveticker.text_de import analyze_word, fold, slugify, words

PREFIX_MIN = 3
_PART = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
_DAY = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")


@dataclass
class Clause:
    """`kind` is word, prefix or phrase; `terms` are (exact, stem) per word."""

    kind: str
    text: str
    terms: list[tuple[str, str]]
    also_prefix: bool = False  # word: the last word typed, also matched as a prefix

    def as_dict(self) -> dict:
        return {"kind": self.kind, "terms": [list(t) for t in self.terms],
                "alsoPrefix": self.also_prefix}  # fmt: skip


@dataclass
class Query:
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # topic slugs
    sources: list[str] = field(default_factory=list)  # source codes, lower case
    date_from: str | None = None  # ISO day, inclusive
    date_to: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.clauses or self.excluded or self.topics or self.sources
                    or self.date_from or self.date_to)  # fmt: skip

    def as_dict(self) -> dict:
        return {
            "clauses": [c.as_dict() for c in self.clauses],
            "excluded": [c.as_dict() for c in self.excluded],
            "topics": self.topics, "sources": self.sources,
            "dateFrom": self.date_from, "dateTo": self.date_to,
            "errors": self.errors,
        }  # fmt: skip


def parse(text: str) -> Query:
    query = Query()
    for match in _PART.finditer(text.strip()):
        minus, written_key, quoted, bare = match.groups()
        value = quoted if quoted is not None else bare
        key = (written_key or "").lower()
        if key == "thema" and value.strip():
            query.topics.append(slugify(value))
        elif key == "quelle" and value.strip():
            query.sources.append(fold(value.strip()))
        elif key == "datum":
            _date_filter(query, value)
        elif key:  # not a field: the colon is punctuation (`Kiew:`)
            _add_words(query, f"{written_key} {value}", minus, quoted is not None)
        else:
            _add_words(query, value, minus, quoted is not None)
    last = query.clauses[-1] if query.clauses else None
    if (last and last.kind == "word" and not text.rstrip().endswith('"')
            and len(last.terms[0][0]) >= PREFIX_MIN and last.terms[0][0][0] not in "0123456789"):
        last.also_prefix = True  # fmt: skip
    return query


def _add_words(query: Query, value: str, minus: str, quoted: bool) -> None:
    target = query.excluded if minus else query.clauses
    found = words(value)
    if quoted and len(found) > 1:
        terms = [analyze_word(w)[:2] for w in found]
        target.append(Clause("phrase", " ".join(found), terms))
        return
    for index, word in enumerate(found):
        last = index == len(found) - 1
        if last and value.endswith("*") and not minus:
            target.append(Clause("prefix", word, [(fold(word), fold(word))]))
        else:
            target.append(Clause("word", word, [analyze_word(word)[:2]]))


def _date_filter(query: Query, value: str) -> None:
    first, _, second = value.partition("..")
    start = _day_bounds(first)
    end = _day_bounds(second) if second else start
    if start is None or end is None:
        query.errors.append(f"datum:{value} - erwartet z. B. datum:2025-02 oder "
                            "datum:2025-02-01..2025-02-15")  # fmt: skip
        return
    query.date_from = max(filter(None, (query.date_from, start[0])))
    query.date_to = min(filter(None, (query.date_to, end[1])))


def _day_bounds(text: str) -> tuple[str, str] | None:
    match = _DAY.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            first = last = dt.date(year, month, day)
        elif month:
            first = dt.date(year, month, 1)
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        return None
    return first.isoformat(), last.isoformat()
