"""Page keys: a digest of everything a bulk page (entry, day, topic page) is made of.

A page whose key is the same as in the last build, and whose output file is still the
one that build wrote, is not rendered again. The key of a page combines:

- the build fingerprint: code of liveticker/ and plugins/, theme templates, Pelican
  and Jinja versions, every setting (see writer.py);
- the page's path and template;
- the digests of the entry files shown (`source_digest` from entry_reader), their
  URLs, and what the page shows of its neighbours (title/heading and URL);
- small plain values the templates read from the shared context (found by parsing
  the templates), e.g. a dict of file names a plugin puts into the context.

A template that reads anything else from the shared context (a list of all entries,
for instance) is not keyed: its pages are rendered on every build, which is always
correct. Callables (template functions of plugins) are assumed to depend only on their
arguments, the settings and the code, which the fingerprint covers. Someone who makes a
bulk page show more of another object (e.g. the neighbour's topics) must add it to the
key below; tests/test_build_equivalence.py compares incremental and cold builds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from jinja2 import meta, nodes

from liveticker.buildcache import digest

logger = logging.getLogger(__name__)

# Names the Writer itself puts into each page's context.
_WRITER_NAMES = {"SITEURL", "localsiteurl", "output_file", "page_name", "url"}
_PLAIN = (str, int, float, bool, type(None))
_MAX_PLAIN_REPR = 20_000


class _Entries:
    """(digest of its file, URL) of each entry, made once per build: an entry is in
    the keys of ~5 pages, and Pelican formats `url` on every access."""

    def __init__(self):
        self._known: dict[int, tuple[str, str]] = {}  # id(article): the build keeps them

    def __call__(self, article) -> tuple[str, str]:
        found = self._known.get(id(article))
        if found is None:
            found = self._known[id(article)] = (article.source_digest, article.url)
        return found


def _link(item, text: str) -> tuple | None:
    return None if item is None else (item.url, getattr(item, text))


def article_key(kw: dict, context: dict, entry: _Entries) -> tuple:
    article = kw["article"]
    return (entry(article), _link(getattr(article, "older_entry", None), "title"),
            _link(getattr(article, "newer_entry", None), "title"))  # fmt: skip


def day_key(kw: dict, context: dict, entry: _Entries) -> tuple:
    day = kw["day"]
    return (day.url, [entry(a) for a in day.entries], _link(day.previous, "heading"),
            _link(day.next, "heading"))  # fmt: skip


def _listing_key(kw: dict, entry: _Entries) -> tuple:
    """A page of a paginated listing (topic, source; liveticker/listing.py): its entries
    and links. An archive page shows nothing else of the listing, so it stays unchanged
    while the listing grows; the landing page also shows the listing's size."""
    listing = kw["listing"]
    return ([entry(a) for a in listing.entries], listing.number, listing.url,
            listing.older_url, listing.newer_url)  # fmt: skip


def topic_key(kw: dict, context: dict, entry: _Entries) -> tuple:
    page = kw["topic_page"]
    if kw["listing"].number:
        return (repr(page.topic), _listing_key(kw, entry))
    # charts: the landing page shows the topic's weekly timeline up to the newest day
    timeline = context.get("chart_timelines", {}).get(page.topic.slug)
    days = context.get("days") or []
    newest = days[0].date if days else None
    return (repr(page.topic), _listing_key(kw, entry), len(page.entries), repr(timeline),
            newest)  # fmt: skip


def source_key(kw: dict, context: dict, entry: _Entries) -> tuple:
    page = kw["source_page"]
    size = None if kw["listing"].number else len(page.entries)
    return (repr(page.source), _listing_key(kw, entry), size)


_LISTING = {"listing"}
# template name -> (key function, the context names the key covers)
KEYED: dict[str, tuple[Callable, set[str]]] = {
    "article": (article_key, {"article", "category", "blog"}),
    "day": (day_key, {"day"}),
    "topic": (topic_key, {"topic_page", "chart_timelines", "days"} | _LISTING),
    "source": (source_key, {"source_page"} | _LISTING),
}


def _family_names(env, name: str, seen: set[str]) -> tuple[set[str], set[str]]:
    """(names read, names assigned) over a template, its parents and its includes."""
    if name in seen:
        return set(), set()
    seen.add(name)
    source = env.loader.get_source(env, name)[0]
    ast = env.parse(source)
    read = set(meta.find_undeclared_variables(ast))
    assigned = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for ref in meta.find_referenced_templates(ast):
        if ref is None:  # a dynamic include: nothing can be known
            read.add("<dynamic include>")
            continue
        more_read, more_assigned = _family_names(env, ref, seen)
        read |= more_read
        assigned |= more_assigned
    return read, assigned


def _is_plain(value, depth: int = 0) -> bool:
    if isinstance(value, _PLAIN):
        return True
    if depth > 3:
        return False
    if isinstance(value, (list, tuple, frozenset, set)):
        return all(_is_plain(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(_is_plain(k, depth + 1) and _is_plain(v, depth + 1) for k, v in value.items())
    return False


class PageKeys:
    """Keys for the pages of one build."""

    def __init__(self, fingerprint: str, names: dict | None = None):
        self.fingerprint = fingerprint
        self._templates: dict[str, str | None] = {}  # template name -> context digest
        self._entries = _Entries()
        # template name -> (names read, names assigned): parsing the templates costs
        # ~0.15 s, and the fingerprint covers their sources, so the writer keeps these
        # between builds with the page keys
        self.names = names if names is not None else {}

    def key(self, template, template_name: str | None, name: str, context: dict,
            relative_urls: bool, kwargs: dict) -> str | None:  # fmt: skip
        template_name = template_name or template.name.rsplit(".", 1)[0]
        found = KEYED.get(template_name)
        if found is None:
            return None
        if template.name not in self._templates:
            self._templates[template.name] = self._context_digest(template, context,
                                                                  found[1])  # fmt: skip
        context_digest = self._templates[template.name]
        if context_digest is None:
            return None
        try:
            page = found[0](kwargs, context, self._entries)
        except AttributeError:  # e.g. an article without source_digest
            return None
        return digest(self.fingerprint, context_digest, template.name, name,
                      repr(relative_urls), repr(page))  # fmt: skip

    def _context_digest(self, template, context: dict, own: set[str]) -> str | None:
        """Digest of the shared-context values the template family reads, or None if
        one of them is not small plain data."""
        if template.name not in self.names:
            self.names[template.name] = _family_names(template.environment, template.name,
                                                      set())  # fmt: skip
        read, assigned = self.names[template.name]
        env = template.environment
        parts = []
        for name in sorted(read - assigned - own - _WRITER_NAMES):
            if name.isupper():
                continue  # settings: in the fingerprint
            value = context.get(name, env.globals.get(name))
            if callable(value) or (value is None and name not in context):
                continue  # template functions, Jinja globals, undefined names
            text = repr(value)
            if not _is_plain(value) or len(text) > _MAX_PLAIN_REPR:
                logger.info("incremental_writer: %s reads %r from the context; its pages "
                            "are rendered on every build", template.name, name)  # fmt: skip
                return None
            parts.append(f"{name}={text}")
        return digest(*parts)
