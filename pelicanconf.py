"""Pelican settings of the chronicle (development). publishconf.py adds production values.

Plugins run in pipeline order: read entries -> per-entry outputs (data export,
citations, search index) -> day/calendar, topic and source pages -> feeds and sitemap.
Each plugin has one dict setting, documented in docs/plugins.md.
"""

SITENAME = "Ukraine-Krieg: die Chronik"
SITESUBTITLE = "Das Archiv des Newsblogs zu Russlands Krieg gegen die Ukraine, Tag für Tag"
SITEURL = "http://127.0.0.1:8000"  # absolute base for feeds, sitemap and permalinks
RELATIVE_URLS = True  # links between pages are relative: the site works under any sub-path
# No AUTHOR: with one, Pelican groups every entry under that author and, even with
# author pages off, compares every pair of entries (quadratic: minutes at 100,000 entries).
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
ARTICLE_PATHS = [""]
ARTICLE_EXCLUDES = []
PAGE_PATHS = []
STATIC_PATHS = []
IGNORE_FILES = [".*", "_*", "*.toml"]

PLUGIN_PATHS = ["plugins"]
CACHE_PATH = ".cache"  # incremental build state; `invoke build --cache DIR` overrides
# Memory all processes of a build may take together: helper processes are started only
# while it holds them (liveticker/cores.py); `invoke build --max-memory MB` overrides, 0:
# no limit. With 2,000 MB, archives past ~65,000 entries render in one process.
BUILD_MEMORY_MB = 2000
# Per-entry outputs (export, citations, search index) come before the listing pages: the
# build process works on them while the entry pages render in the background, and the
# listing pages are then rendered on all cores (liveticker/cores.py).
PLUGINS = ["incremental_writer", "theme_helpers", "entry_reader", "data_export",
           "structured_data", "citations", "search_index", "day_pages", "topic_pages",
           "source_pages", "charts", "corrections", "feeds", "sitemap"]

# Pelican's own Markdown and HTML readers are off: entries go through entry_reader only.
READERS = {"md": None, "markdown": None, "mkd": None, "mdown": None, "html": None, "htm": None}

# Every entry gets its own URL, even with a repeated title: no translation grouping.
ARTICLE_TRANSLATION_ID = None
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
ARTICLE_ORDER_BY = "reading_key"

# Pelican's own archives, tag, category and author pages and feeds are replaced by the
# chronicle's plugins (German, locale-free, linear in the number of entries).
DIRECT_TEMPLATES = ["404"]
for _kind in ("TAG", "TAGS", "CATEGORY", "CATEGORIES", "AUTHOR", "AUTHORS", "ARCHIVES",
              "YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE", "DRAFT", "DRAFT_PAGE", "PAGE"):
    globals()[f"{_kind}_SAVE_AS"] = ""
    globals()[f"{_kind}_URL"] = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = TAG_FEED_ATOM = None

JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True,
                     "extensions": []}  # fmt: skip

DAY_PAGES = {"home_days": 3}
TOPIC_PAGES = {"per_page": 25}
FEEDS = {"max_items": 50}
THEME_HELPERS = {"index_suffix": ""}  # "index.html" for a copy opened from disk (file://)
CHARTS = {"recent_days": 30}  # home: days of activity up to the newest day of the archive
SOURCE_PAGES = {"per_page": 25}
DATA_EXPORT = {}  # {"licence": "..."} replaces the licence note on /daten/
STRUCTURED_DATA = {"description_length": 200}  # longest og:description
CITATIONS = {"accessed": "[Datum einsetzen]"}  # a static page cannot know the reader's date
CORRECTIONS = {"repository_url": "", "history_path": "commits/main/content/{path}",
               "max_items": 50}  # a repository URL adds "Versionsgeschichte" links
