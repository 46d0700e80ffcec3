"""Agency credits -> source codes of the vocabulary.

A credit is recognised by one precise rule, so that ordinary parentheses survive:

1. Position: the body's last paragraph ends with `(...)`, and that group is the whole
   paragraph or follows the end of a sentence (`.`, `!`, `?`, `…`, a closing quote,
   `)` or `>`). `… den Vertrag (New START)` is therefore never a credit.
2. Shape: inside are 1-60 characters, split into names by `/`, `,`, `;` or `und`.
3. Every name is a vocabulary alias (`dpa`, `AFP`, `Reuters`, case-insensitive): a
   credit; it leaves the body and its codes become the sources.
   Every name is letters only and at least one is known (`dpa/Interfax`), or every
   unknown one is written like an agency code (2-6 capitals `TASS`, or 2-4 lowercase
   letters `sid`): a credit of an unknown source, an error naming it.
   Otherwise (`(Foto: Symbolbild)`, `(Stand: 12 Uhr)`, `(Jahrgang 1960)`) the group
   stays in the body; a lone capitalised word such as `(Interfax)` stays with a warning,
   as it may be an agency missing from the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from liveticker.vocab import Vocabulary

_TRAILING = re.compile(r"\(([^()\n]{1,60})\)\s*$")
_SENTENCE_END = tuple(".!?…“”\"»«')")
_SEPARATOR = re.compile(r"\s*(?:/|,|;|\bund\b)\s*")
_CODE = re.compile(r"[A-Z]{2,6}|[a-z]{2,4}")
_NAME = re.compile(r"[^\W\d_][\w.&'-]*(?: [^\W\d_][\w.&'-]*){0,3}")
_CAPITALISED_WORD = re.compile(r"[A-ZÄÖÜ][a-zäöüß]+")
_PREFIX = re.compile(r"^(?:quelle|source|von|by)\s*:?\s+", re.I)


class CreditError(ValueError):
    """A credit names a source the vocabulary does not know."""


@dataclass
class Credit:
    body: str  # the body without the credit
    codes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def take_credit(body: str, vocab: Vocabulary) -> Credit:
    """Remove trailing credits from a Markdown body and return their source codes."""
    result = Credit(body.rstrip())
    while True:
        match = _TRAILING.search(result.body)
        if not match or not _after_sentence(result.body[: match.start()]):
            return result
        names = [n for n in _SEPARATOR.split(match[1].strip()) if n]
        known = [vocab.source_for_alias(n) for n in names]
        unknown = [n for n, s in zip(names, known, strict=True) if s is None]
        if names and not unknown:
            codes = [s.code for s in known]
            result.codes = _unique(codes + result.codes)
            result.body = result.body[: match.start()].rstrip()
            continue
        shaped = names and all(_NAME.fullmatch(n) or _CODE.fullmatch(n) for n in names)
        if shaped and (len(unknown) < len(names) or all(_CODE.fullmatch(n) for n in unknown)):
            raise CreditError(_unknown_message(unknown, match[0].strip()))
        if len(names) == 1 and _CAPITALISED_WORD.fullmatch(names[0]):
            result.warnings.append(
                f"the trailing {match[0].strip()!r} stays in the body; if it credits an "
                "agency, add it as an alias in content/sources.toml and import again"
            )
        return result


def resolve_names(names: list[str], vocab: Vocabulary) -> list[str]:
    """Credit names from a field (`author`, a `.credit` element) -> codes; each name
    may itself be combined (`dpa/AFP`) or wrapped (`(dpa)`, `Quelle: dpa`)."""
    codes, unknown = [], []
    for raw in names:
        text = _PREFIX.sub("", raw.strip().strip("()").strip())
        for name in (n for n in _SEPARATOR.split(text) if n):
            source = vocab.source_for_alias(name)
            if source:
                codes.append(source.code)
            else:
                unknown.append(name)
    if unknown:
        raise CreditError(_unknown_message(unknown, ", ".join(names)))
    return _unique(codes)


def _unknown_message(unknown: list[str], credit: str) -> str:
    listed = ", ".join(repr(n) for n in unknown)
    return (
        f"the credit {credit!r} names {listed}, which is not a source in "
        "content/sources.toml; add it (or an alias) there, or remove the credit"
    )


def _after_sentence(before: str) -> bool:
    """Does `before` end a sentence? `&gt;` is an escaped `>` as in `<Fortsetzung folgt>`."""
    before = before.rstrip()
    return not before or before.endswith(_SENTENCE_END) or before.endswith("&gt;")


def _unique(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))
