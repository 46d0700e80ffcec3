"""Jinja filters every template uses: German dates and site-relative links.

Setting THEME_HELPERS = {"index_suffix": ""}: with "index.html", every link names the
file explicitly, so a copy of the site works when opened from disk (file://).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from jinja2 import pass_context
from pelican import signals

from liveticker import dates_de

logger = logging.getLogger(__name__)
DEFAULTS = {"index_suffix": ""}


def settings_of(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("THEME_HELPERS", {})}
    if options["index_suffix"] not in ("", "index.html"):
        raise ValueError("theme_helpers: THEME_HELPERS['index_suffix'] must be '' or "
                         f"'index.html', not {options['index_suffix']!r}")  # fmt: skip
    return options


@pass_context
def href(context, url: str) -> str:
    """Link from the page being rendered to a site path such as `2025/02/09/`."""
    base = context.get("SITEURL", "")
    if context.get("absolute_links"):  # set by 404.html: served at any depth
        base = urlsplit(context["PUBLIC_SITEURL"]).path.rstrip("/")  # root-relative, any host
    if url.endswith("/") or url == "":
        url += context.get("INDEX_SUFFIX", "")
    return f"{base}/{url}" if base else f"/{url}"


@pass_context
def permalink(context, url: str) -> str:
    """Absolute public address of a site path (for citations, feeds and canonical links)."""
    return f"{context['PUBLIC_SITEURL'].rstrip('/')}/{url}"


def add_filters(generator):
    options = settings_of(generator.settings)
    generator.context["INDEX_SUFFIX"] = options["index_suffix"]
    generator.context["PUBLIC_SITEURL"] = generator.settings["SITEURL"]
    generator.env.filters.update({
        "href": href,
        "permalink": permalink,
        "long_date": dates_de.long_date,
        "short_date": dates_de.short_date,
        "month_name": dates_de.month_name,
    })  # fmt: skip


def register():
    signals.generator_init.connect(add_filters)
