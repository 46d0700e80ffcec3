"""Parsed items -> finished entries: credits to source codes, `--source`, topics.

The same rules for every format, after parsing and before writing. Every problem of
every item is collected, so one run tells the contributor everything to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from liveticker.entry import Entry
from liveticker.importers.base import ImportFailed, item_label
from liveticker.importers.credits import CreditError, resolve_names, take_credit
from liveticker.importers.topics import suggest
from liveticker.text_de import fold
from liveticker.vocab import Vocabulary


@dataclass
class Prepared:
    entries: list[Entry]
    warnings: list[str] = field(default_factory=list)


def option_topics(tags: str | None, vocab: Vocabulary) -> list[str]:
    """`--tags A,B` -> topic display names; spelling may differ in case and umlauts."""
    names = []
    for raw in (t.strip() for t in (tags or "").split(",")):
        if not raw:
            continue
        hint = vocab.suggest_topic(raw)
        topic = vocab.topic(raw) or (vocab.topic(hint) if hint and _same(raw, hint) else None)
        if topic is None:
            fix = f"did you mean '{hint}'?" if hint else "see content/topics.toml for the list"
            raise ImportFailed(f"--tags: unknown topic {raw!r} - {fix}")
        names.append(topic.name)
    return names


def option_source(code: str | None, vocab: Vocabulary) -> str | None:
    """`--source CODE` -> a source code (an alias such as `Reuters` is accepted too)."""
    if not code:
        return None
    source = vocab.source(code) or vocab.source_for_alias(code)
    if source is None:
        hint = vocab.suggest_source(code)
        fix = f"did you mean '{hint}'?" if hint else "see content/sources.toml for the codes"
        raise ImportFailed(f"--source: unknown source {code!r} - {fix}")
    return source.code


def prepare(
    entries: list[Entry], vocab: Vocabulary, tags: list[str] = (), source: str | None = None
) -> Prepared:
    """Resolve credits and topics of every entry (numbered 1.. in source order)."""
    result, errors = Prepared([]), []
    for number, entry in enumerate(entries, 1):
        label = item_label(number, entry.title)
        try:
            credit = take_credit(entry.body, vocab)
            codes = resolve_names(list(entry.sources), vocab) + credit.codes
        except CreditError as exc:
            errors.append(f"{label}: {exc}")
            continue
        result.warnings.extend(f"{label}: {w}" for w in credit.warnings)
        if not credit.body.strip():
            errors.append(f"{label}: the item has no text, only a title")
            continue
        codes = list(dict.fromkeys(codes)) or ([source] if source else [])
        found = set(suggest(entry.title, credit.body, vocab)) | set(tags)
        topics = tuple(t.name for t in vocab.topics if t.name in found)
        result.entries.append(replace(entry, body=credit.body, sources=tuple(codes), topics=topics))
    if errors:
        raise ImportFailed(errors)
    return result


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b)
