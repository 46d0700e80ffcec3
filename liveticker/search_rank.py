"""Ranking and snippets, the same for the command line and the browser.

A query clause (word, prefix or phrase) scores the best way it matches an entry; an entry
scores the sum over the clauses; ties go to the newer entry. The weights put any title
match above any body match, and within title or body: exact form > stem > compound part >
prefix. The static index carries these numbers, so `search-core.js` cannot drift.

Neither index stores word positions: both find the entries that hold every stem of a
phrase (an upper bound: title stem weight if all are in the title, else body stem weight)
and check the phrase on the entry's text (`phrase_scores`, search-core.js `phraseScore`).
"""

from __future__ import annotations

from liveticker.search_query import Clause, Query
from liveticker.text_de import Token, tokens

WEIGHTS = {
    "title_exact": 32, "title_stem": 24, "title_part": 20,  # title prefix: 32 * 0.5
    "body_exact": 8, "body_stem": 6, "body_part": 5,  # body prefix: 8 * 0.5
}  # fmt: skip
PREFIX_FACTOR = 0.5  # a binary fraction, so Whoosh's float boost stays exact
SNIPPET_WORDS = 30


def token_matches(token: Token, clause: Clause) -> bool:
    """Whether a word of a text is one the clause matched (for highlighting)."""
    if clause.kind == "phrase":
        return any(token.stem == stem for _, stem in clause.terms)
    exact, stemmed = clause.terms[0]
    if (clause.kind == "prefix" or clause.also_prefix) and token.exact.startswith(exact):
        return True
    return clause.kind == "word" and (
        token.exact == exact or token.stem == stemmed or stemmed in token.parts
    )


def phrase_scores(query: Query, title: str, text: str) -> tuple[int, int] | None:
    """(upper bound, score) of the query's phrases on one entry, or None when a phrase
    does not match or an excluded phrase does. The bound is what an index can tell
    without positions: all stems of the phrase in the title, or else in the body."""
    areas = (tokens(title), tokens(text))
    stems = [{t.stem for t in area} for area in areas]
    bound = score = 0
    for clause in query.excluded:
        if clause.kind == "phrase" and any(_has_phrase(area, clause) for area in areas):
            return None
    for clause in query.clauses:
        if clause.kind != "phrase":
            continue
        wanted = {stem for _, stem in clause.terms}
        bound += WEIGHTS["title_stem"] if wanted <= stems[0] else WEIGHTS["body_stem"]
        if _has_phrase(areas[0], clause):
            score += WEIGHTS["title_stem"]
        elif _has_phrase(areas[1], clause):
            score += WEIGHTS["body_stem"]
        else:
            return None
    return bound, score


def _has_phrase(found: list[Token], clause: Clause) -> bool:
    at: dict[int, set[str]] = {}
    for token in found:
        at.setdefault(token.position, set()).add(token.stem)
    stems = [stem for _, stem in clause.terms]
    return any(
        token.stem == stems[0]
        and all(stem in at.get(token.position + k, ()) for k, stem in enumerate(stems[1:], 1))
        for token in found
    )


def snippet(text: str, query: Query, marker: str = "**") -> str:
    """About SNIPPET_WORDS words of `text` around the first match, matches wrapped in
    `marker`; the start of the text when nothing matches."""
    found = [t for t in tokens(text) if "-" not in t.surface]
    hits = [i for i, t in enumerate(found) if any(token_matches(t, c) for c in query.clauses)]
    start = max(0, hits[0] - 8) if hits else 0
    window = found[start : start + SNIPPET_WORDS]
    if not window:
        return ""
    marked = set(hits)
    out, cursor = [], _offset(text, window[0], 0)
    for index, token in enumerate(window, start):
        begin = _offset(text, token, cursor)
        out.append(text[cursor:begin])
        word = text[begin : begin + len(token.surface)]
        out.append(f"{marker}{word}{marker}" if index in marked else word)
        cursor = begin + len(token.surface)
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET_WORDS < len(found) else ""
    return prefix + " ".join("".join(out).split()) + suffix


def _offset(text: str, token: Token, cursor: int) -> int:
    found = text.find(token.surface, cursor)
    return found if found >= 0 else cursor
