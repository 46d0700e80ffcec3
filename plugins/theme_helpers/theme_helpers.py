"""Jinja filters every template uses: German dates and site-relative links; the caches
for fragments that are the same on many pages (site header and footer; an entry as the
topic and source pages list it).

Setting THEME_HELPERS = {"index_suffix": ""}: with "index.html", every link names the
file explicitly, so a copy of the site works when opened from disk (file://).
"""

from __future__ import annotations

import logging
import secrets
from itertools import islice
from urllib.parse import urlsplit

from jinja2 import pass_context
from jinja2.utils import missing
from pelican import signals

from liveticker import dates_de

logger = logging.getLogger(__name__)
DEFAULTS = {"index_suffix": ""}
# Fragments kept per process (~4 KB each); then the older half goes. The pages that show
# an entry are rendered close together (incremental_writer sorts them), so a few
# thousand suffice at any size: at 100,000 entries, 2,000 made 0.2 % more renders than
# 40,000, which held 160 MB in each rendering process.
SHARED_LIMIT = 5_000


class _Shared:
    """Fragments rendered once per build and process (cached_fragment), their links'
    base left as `token` (random per build: no entry text can contain it) and filled in
    per page."""

    def __init__(self):
        self.token = "base" + secrets.token_hex(16)
        self.level = "level" + secrets.token_hex(16)  # shared_fragment's placeholders
        self.entry_id = "id" + secrets.token_hex(16)
        self.fragments: dict[tuple, object] = {}
        self.rendering = False  # `href` writes the token instead of the base


_shared = _Shared()


def settings_of(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("THEME_HELPERS", {})}
    if options["index_suffix"] not in ("", "index.html"):
        raise ValueError("theme_helpers: THEME_HELPERS['index_suffix'] must be '' or "
                         f"'index.html', not {options['index_suffix']!r}")  # fmt: skip
    return options


def link_functions(options: dict, public_siteurl: str) -> tuple[dict, dict]:
    """Filters `href` and `permalink` and the globals `cached_fragment` and
    `shared_fragment`, for one build. The settings they need are read here, once: they
    run for every link of every page."""
    suffix = options["index_suffix"]
    root_path = urlsplit(public_siteurl).path.rstrip("/")  # root-relative, any host
    public = public_siteurl.rstrip("/") + "/"

    def link_base(context) -> str:
        """What links from the page being rendered start with."""
        # resolve_or_missing, not get: get raises and catches KeyError for a missing name
        absolute = context.resolve_or_missing("absolute_links")  # 404.html: at any depth
        return root_path if absolute is not missing and absolute else context.get("SITEURL", "")

    @pass_context
    def href(context, url: str) -> str:
        """Link from the page being rendered to a site path such as `2025/02/09/`."""
        if url.endswith("/") or url == "":
            url += suffix
        base = _shared.token if _shared.rendering else link_base(context)
        return f"{base}/{url}" if base else f"/{url}"

    def permalink(url: str) -> str:
        """Absolute public address of a site path (for citations, feeds and canonical links)."""
        return public + url

    @pass_context
    def cached_fragment(context, *key, caller):
        """`{% call cached_fragment(name, ...) %}...{% endcall %}`: the block as first
        rendered in this build with the same arguments, for pages of every depth: its
        links are made by `href` with a placeholder base, which each page replaces with
        its own (Markup.replace escapes it as `href` would). The site header and footer
        are rendered once per build and process this way. The arguments must name all
        else the block shows that differs between pages."""
        text = _shared.fragments.get(key)
        if text is None:
            rendering, _shared.rendering = _shared.rendering, True
            try:
                text = caller()
            finally:
                _shared.rendering = rendering
            if len(_shared.fragments) >= SHARED_LIMIT:  # the older half goes
                for old in list(islice(_shared.fragments, SHARED_LIMIT // 2)):
                    del _shared.fragments[old]
            _shared.fragments[key] = text
        return text.replace(_shared.token, link_base(context))

    @pass_context
    def shared_fragment(context, article, level, entry_id, caller):
        """`{% call(level, entry_id) shared_fragment(article, level, entry_id) %}...{%
        endcall %}`: cached_fragment for an entry as the day, topic and source pages
        show it, rendered with placeholders for the heading level and the entry's id,
        which each page replaces with its own. An entry whose body holds Pelican's
        intrasite links (`{filename}`, `|filename|`: made per page base) is rendered
        each time."""
        body = getattr(article, "_content", None) or ""
        if "{" in body or "|" in body:
            return caller(level, entry_id)
        # the build's articles live as long as the cache (reset at `initialized`)
        text = cached_fragment(context, "entry", id(article),
                               caller=lambda: caller(_shared.level, _shared.entry_id))  # fmt: skip
        return text.replace(_shared.level, str(level)).replace(_shared.entry_id, entry_id)

    functions = {"cached_fragment": cached_fragment, "shared_fragment": shared_fragment}
    return {"href": href, "permalink": permalink}, functions


def add_filters(generator):
    options = settings_of(generator.settings)
    generator.context["INDEX_SUFFIX"] = options["index_suffix"]
    generator.context["PUBLIC_SITEURL"] = generator.settings["SITEURL"]
    filters, functions = link_functions(options, generator.settings["SITEURL"])
    generator.env.filters.update({
        **filters,
        "long_date": dates_de.long_date,
        "short_date": dates_de.short_date,
        "month_name": dates_de.month_name,
    })  # fmt: skip
    generator.env.globals.update(functions)
    # Templates do not change during a build (Pelican makes a new environment for each):
    # without this, every include and extends looks at the template file's mtime.
    generator.env.auto_reload = False


def new_build(pelican_object):
    """Fragments of an earlier build in this process (livereload) are not reused."""
    global _shared
    _shared = _Shared()


def register():
    signals.initialized.connect(new_build)
    signals.generator_init.connect(add_filters)
