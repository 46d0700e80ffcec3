"""The controlled vocabularies: topics and sources, read from TOML files contributors edit.

A content folder may carry its own `topics.toml` and `sources.toml`; otherwise the
project's files in `content/` apply.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from liveticker.text_de import fold

PROJECT_CONTENT = Path(__file__).resolve().parent.parent / "content"
TOPICS_FILE = "topics.toml"
SOURCES_FILE = "sources.toml"


class VocabularyError(ValueError):
    """A vocabulary file is malformed; the message names file, entry and field."""


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Source:
    code: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    topics: tuple[Topic, ...]
    sources: tuple[Source, ...]

    def topic(self, name: str) -> Topic | None:
        return self._topics_by_name.get(name)

    def source(self, code: str) -> Source | None:
        return self._sources_by_code.get(code)

    def source_for_alias(self, text: str) -> Source | None:
        """The source a credit such as `Reuters` or `AFP` stands for (case-insensitive)."""
        key = fold(text.strip())
        for source in self.sources:
            if key == fold(source.code) or key in {fold(a) for a in source.aliases}:
                return source
        return None

    def suggest_topic(self, value: str) -> str | None:
        names = [t.name for t in self.topics]
        return closest(value, names)

    def suggest_source(self, value: str) -> str | None:
        alias = self.source_for_alias(value)
        if alias:
            return alias.code
        return closest(value, [s.code for s in self.sources])

    @cached_property
    def _topics_by_name(self) -> dict[str, Topic]:
        return {t.name: t for t in self.topics}

    @cached_property
    def _sources_by_code(self) -> dict[str, Source]:
        return {s.code: s for s in self.sources}


def closest(value: str, known: list[str]) -> str | None:
    """The known value that `value` most likely means (for suggestions), or None."""
    folded = {fold(k): k for k in known}
    if fold(value) in folded:
        return folded[fold(value)]
    match = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=0.6)
    return folded[match[0]] if match else None


def vocabulary_dir(content: Path | None) -> Path:
    """The folder whose vocabulary files apply to a content folder."""
    if content is not None and (Path(content) / TOPICS_FILE).is_file():
        return Path(content)
    return PROJECT_CONTENT


def load_vocabulary(content: Path | None = None) -> Vocabulary:
    """The vocabulary of a content folder; read again when a file changed (a process
    that builds twice, e.g. `invoke livereload`, sees an edited topics.toml)."""
    folder = vocabulary_dir(content).resolve()
    files = (folder / TOPICS_FILE, folder / SOURCES_FILE)
    return _load(*files, *(_stamp(f) for f in files))


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


@cache
def _load(topics_file: Path, sources_file: Path, *stamps) -> Vocabulary:
    topics = tuple(
        Topic(
            name=_field(topics_file, i, item, "name"),
            slug=_field(topics_file, i, item, "slug", pattern=r"[a-z0-9]+(-[a-z0-9]+)*"),
            description=_field(topics_file, i, item, "description"),
            keywords=tuple(item.get("keywords", ())),
        )
        for i, item in enumerate(_read(topics_file, "topic"), 1)
    )
    sources = tuple(
        Source(
            code=_field(sources_file, i, item, "code", pattern=r"[a-z][a-z0-9]*"),
            name=_field(sources_file, i, item, "name"),
            aliases=tuple(item.get("aliases", ())),
        )
        for i, item in enumerate(_read(sources_file, "source"), 1)
    )
    for kind, path, values in (
        ("topic name", topics_file, [t.name for t in topics]),
        ("topic slug", topics_file, [t.slug for t in topics]),
        ("source code", sources_file, [s.code for s in sources]),
    ):
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise VocabularyError(f"{path}: {kind} {dupes[0]!r} is defined twice; keep one")
    return Vocabulary(topics, sources)


def _read(path: Path, table: str) -> list[dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}: not valid TOML: {exc}") from None
    items = data.get(table)
    if not isinstance(items, list) or not items:
        raise VocabularyError(f"{path}: expected one or more [[{table}]] blocks")
    return items


def _field(path: Path, index: int, item: dict, key: str, pattern: str | None = None) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise VocabularyError(f"{path}: block {index} needs a non-empty `{key}`")
    if pattern and not re.fullmatch(pattern, value):
        raise VocabularyError(
            f"{path}: block {index}: {key} {value!r} must match {pattern} "
            "(lowercase letters, digits, hyphens)"
        )
    return value
