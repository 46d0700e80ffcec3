"""Citing one entry: a German citation text, CSL-JSON and BibTeX, all made at build time.

A static page cannot know the day its reader retrieved it, so no format claims one:
the visible text ends with "abgerufen am [Datum einsetzen]", CSL-JSON has no
`accessed` (reference managers fill it in on import) and the BibTeX entry has no
`urldate`, with a comment saying to add it. The build date would be wrong for every
reader after the build and would make builds depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string

from liveticker.dates_de import short_date
from liveticker.text_de import slugify

ACCESSED_PLACEHOLDER = "[Datum einsetzen]"
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip
_BIBTEX_RE = re.compile("|".join(re.escape(k) for k in _BIBTEX_SPECIAL))


@dataclass(frozen=True)
class Citable:
    """What a citation needs to know about one entry."""

    title: str
    chronicle: str  # the site's name
    day: dt.date
    time: dt.time | None
    url: str  # absolute permalink
    authors: tuple[str, ...] = ()  # full names of the credited sources
    updated: dt.datetime | None = None  # naive local time of the last correction
    entry_id: str = ""  # e.g. "2025/02/09/01-trump-will-…"


def when(c: Citable) -> str:
    """`9. Februar 2025, 14:05 Uhr` or `9. Februar 2025`."""
    return short_date(c.day) + (f", {c.time:%H:%M} Uhr" if c.time else "")


def german_citation(c: Citable, accessed: str = ACCESSED_PLACEHOLDER) -> str:
    """`Reuters: „Titel“. In: Chronik, 9. Februar 2025, 14:05 Uhr. URL: … (abgerufen am …).`"""
    who = " / ".join(c.authors)
    head = f"{who}: „{c.title}“" if who else f"„{c.title}“"
    version = ""
    if c.updated:
        version = f", aktualisiert am {short_date(c.updated.date())}"
    return (f"{head}. In: {c.chronicle}, {when(c)}{version}. URL: {c.url} "
            f"(abgerufen am {accessed}).")  # fmt: skip


def citation_key(c: Citable) -> str:
    """An ASCII key unique in the archive: `chronik-2025-02-09-<file name>`."""
    stem = c.entry_id.rsplit("/", 1)[-1] if c.entry_id else slugify(c.title)
    return f"chronik-{c.day.isoformat()}-{slugify(stem)}"


def csl_json(c: Citable) -> str:
    """A CSL-JSON array with one item (Zotero, Citavi, pandoc and others import it)."""
    note = [f"{c.time:%H:%M} Uhr"] if c.time else []
    if c.updated:
        note.append(f"aktualisiert am {short_date(c.updated.date())}, {c.updated:%H:%M} Uhr")
    item = {
        "id": citation_key(c),
        "type": "post-weblog",
        "title": c.title,
        "container-title": c.chronicle,
        "genre": "Newsblog-Eintrag",
        "issued": {"date-parts": [[c.day.year, c.day.month, c.day.day]]},
        "URL": c.url,
        "language": "de-DE",
    }
    if c.authors:
        item["author"] = [{"literal": name} for name in c.authors]
    if note:
        item["note"] = "; ".join(note)
    return pretty_json([item]) + "\n"


def pretty_json(value, indent: str = "") -> str:
    """json.dumps(value, ensure_ascii=False, indent=2) for dicts, lists, strings and
    numbers, several times faster: json indents in pure Python, this only recurses
    (the cold build makes 10,000 of these files)."""
    if type(value) is str:
        return _json_string(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, dict | list) and value:
        inner = indent + "  "
        if isinstance(value, dict):
            body = ",\n".join(f"{inner}{_json_string(k)}: {pretty_json(v, inner)}"
                              for k, v in value.items())  # fmt: skip
            return f"{{\n{body}\n{indent}}}"
        body = ",\n".join(inner + pretty_json(v, inner) for v in value)
        return f"[\n{body}\n{indent}]"
    return json.dumps(value)


def bibtex_escape(text: str) -> str:
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m[0]], text)


def bibtex(c: Citable) -> str:
    """A biblatex `@online` entry (plain BibTeX reads it as `@misc`), UTF-8."""
    fields = []
    if c.authors:
        fields.append(("author", " and ".join("{" + bibtex_escape(a) + "}" for a in c.authors)))
    stamp = c.day.isoformat() + (f"T{c.time:%H:%M}:00" if c.time else "")
    fields += [
        ("title", "{" + bibtex_escape(c.title) + "}"),
        ("organization", bibtex_escape(c.chronicle)),
        ("date", stamp),
        ("year", str(c.day.year)),
        ("month", str(c.day.month)),
        ("url", c.url),
        ("langid", "ngerman"),
    ]
    if c.updated:
        fields.append(("note", f"Aktualisiert am {bibtex_escape(short_date(c.updated.date()))}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return (f"% Abrufdatum ergänzen: urldate = {{JJJJ-MM-TT}}\n"
            f"@online{{{citation_key(c)},\n{body}\n}}\n")  # fmt: skip
