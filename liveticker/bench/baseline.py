"""Plain Pelican, the yardstick: same Pelican version, its default theme and reader,
day/month/year archives and tag pages on, no plugins. Runs as `python -m pelican`,
so this module never imports Pelican.
"""

from __future__ import annotations

import sys
from pathlib import Path

SETTINGS = '''\
# Plain Pelican for `invoke bench`: defaults plus period archives and dated URLs.
SITENAME = "Plain Pelican"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
PATH = {content!r}
ARTICLE_PATHS = [""]
IGNORE_FILES = [".*", "*.toml"]
SLUGIFY_SOURCE = "basename"  # file names are unique per day, titles are not
ARTICLE_URL = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/{{slug}}/index.html"
YEAR_ARCHIVE_SAVE_AS = "{{date:%Y}}/index.html"
MONTH_ARCHIVE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/index.html"
DAY_ARCHIVE_SAVE_AS = "{{date:%Y}}/{{date:%m}}/{{date:%d}}/index.html"
'''


def write_settings(folder: Path, content: Path) -> Path:
    """Write the plain-Pelican settings file into `folder`; returns its path."""
    path = Path(folder) / "plainconf.py"
    path.write_text(SETTINGS.format(content=str(content)), encoding="utf-8")
    return path


def command(content: Path, output: Path, settings: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-o", str(output), "-s",
            str(settings), "-q"]  # fmt: skip
