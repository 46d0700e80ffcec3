"""DayPagesGenerator: home, day pages, month and year calendars.

Collects in generate_context (and links every article to its day and neighbours, so
Pelican's article pages can show them), writes in generate_output.
Setting DAY_PAGES = {"home_days": 3}: how many recent days the home page shows.
"""

from __future__ import annotations

import logging
from itertools import pairwise

from pelican import signals
from pelican.generators import Generator

from .calendar_model import build_calendar

logger = logging.getLogger(__name__)
DEFAULTS = {"home_days": 3}


def day_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("DAY_PAGES", {})}
    if not isinstance(options["home_days"], int) or options["home_days"] < 1:
        raise ValueError(f"day_pages: DAY_PAGES['home_days'] must be a positive whole "
                         f"number, not {options['home_days']!r}")  # fmt: skip
    return options


class DayPagesGenerator(Generator):
    def generate_context(self):
        self.options = day_settings(self.settings)
        articles = self.context["articles"]  # reading order: ARTICLE_ORDER_BY = "reading_key"
        for newer, older in pairwise(articles):
            newer.older_entry, older.newer_entry = older, newer
        days, months, years = build_calendar(articles)
        for day in days:
            for article in day.entries:
                article.day = day
        self.days, self.months, self.years = days, months, years
        self.context.update(days=days, months=months, years=years)

    def generate_output(self, writer):
        write = self._write(writer)
        write("index.html", "index", url="", recent_days=self.days[: self.options["home_days"]])
        for day in self.days:
            write(day.save_as, "day", url=day.url, day=day)
        for month in self.months:
            write(f"{month.url}index.html", "month", url=month.url, month=month)
        for year in self.years:
            write(f"{year.url}index.html", "year", url=year.url, year=year)
        write("kalender/index.html", "calendar", url="kalender/")

    def _write(self, writer):
        def write(save_as, template, **kwargs):
            writer.write_file(
                save_as, self.get_template(template), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], template_name=template, **kwargs,
            )  # fmt: skip

        return write


def get_generators(pelican):
    return DayPagesGenerator


def register():
    signals.get_generators.connect(get_generators)
