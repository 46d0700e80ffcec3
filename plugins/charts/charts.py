"""ChartsGenerator: the numbers behind the charts, and Jinja functions that draw them.

Charts are static SVG made by `liveticker/charts_svg.py` while pages are written: the
year heat map (`year.html`), a weekly timeline per topic (`topic.html`) and a sparkline
per topic (`topics.html`), the last days' activity and "Heute vor einem Jahr" on the
home page (`index.html`).

"Today" on the home page is the newest day of the archive, not the build date: the same
content always builds the same site, and an archive that stops growing still shows the
activity around its last day. Setting CHARTS = {"recent_days": 30}.
"""

from __future__ import annotations

import datetime as dt
import logging

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from liveticker import charts_svg
from liveticker.charts_svg import Mark, entries_label
from liveticker.dates_de import MONTHS, short_date

logger = logging.getLogger(__name__)
DEFAULTS = {"recent_days": 30}


def chart_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("CHARTS", {})}
    days = options["recent_days"]
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        raise ValueError(f"charts: CHARTS['recent_days'] must be a whole number from 1 to "
                         f"366, not {days!r}")  # fmt: skip
    return options


def topic_weeks(page, days: list[dt.date], first: dt.date, last: dt.date,
                per_page: int) -> list[Mark]:  # fmt: skip
    """Weekly counts of a topic over the whole archive; each week with entries links to
    the topic page (and day section) holding its newest entry. `days`: the dates of the
    page's entries. Works per date, not per entry (this runs on every build)."""
    marks = charts_svg.weekly_counts(days, first, last)
    targets: dict[dt.date, tuple[str, str]] = {}
    index = 0
    for day in dict.fromkeys(days):  # each date once, in the order of its first entry
        index = days.index(day, index)
        monday = charts_svg.week_start(day)
        if monday not in targets:
            targets[monday] = (page.url_of(index, per_page), f"tag-{day.isoformat()}")
    return [Mark(m.date, m.count, *targets[m.date]) if m.count else m for m in marks]


def same_day_earlier_years(days: list) -> list:
    """Days with entries on the newest day's calendar date in earlier years, newest first
    (29 February only matches leap years)."""
    if not days:
        return []
    newest = days[0].date
    by_date = {day.date: day for day in days}
    found = []
    for year in range(newest.year - 1, days[-1].date.year - 1, -1):
        try:
            found_day = by_date.get(newest.replace(year=year))
        except ValueError:
            continue
        if found_day:
            found.append(found_day)
    return found


def recent_marks(days: list, count: int) -> list[Mark]:
    """One mark per calendar day of the `count` days ending with the newest day."""
    if not days:
        return []
    by_date = {day.date: day for day in days}
    newest = days[0].date
    marks = []
    for offset in range(count - 1, -1, -1):
        date = newest - dt.timedelta(days=offset)
        day = by_date.get(date)
        marks.append(Mark(date, len(day.entries), day.url) if day else Mark(date, 0))
    return marks


class ChartsGenerator(Generator):
    def generate_context(self):
        options = chart_settings(self.settings)
        days = self.context["days"]
        if not days:
            return  # no entries: entry_reader fails the build with the reason
        first, last = days[-1].date, days[0].date
        per_page = self.settings.get("TOPIC_PAGES", {}).get("per_page", 25)
        # the dates by the articles' identities: cheaper than reading them off 10,000s of
        # scattered article objects, once per topic of each
        date_of = {id(article): day.date for day in days for article in day.entries}
        timelines = {
            page.topic.slug: topic_weeks(page, [date_of[id(a)] for a in page.entries],
                                         first, last, per_page)
            for page in self.context["topic_pages"]
        }  # fmt: skip
        recent = recent_marks(days, options["recent_days"])
        self.context.update(
            chart_timelines=timelines,
            recent_activity=recent,
            recent_activity_count=sum(m.count for m in recent),
            recent_activity_days=sum(1 for m in recent if m.count),
            on_this_day=same_day_earlier_years(days),
        )

    def generate_output(self, writer):
        pass  # the charts are drawn by the Jinja functions while other generators write


def _linker(context):
    return lambda url: context.environment.call_filter("href", url, context=context)


@pass_context
def year_heatmap(context, year) -> Markup:
    counts = {date: len(day.entries) for month in year.months for date, day in month.days.items()}
    return Markup(charts_svg.year_heatmap(year.year, counts, _linker(context)))


def busiest_day(year):
    """The day of `year` with the most entries (the earliest of equals), or None."""
    days = [day for month in year.months for day in month.days.values()]
    return max(sorted(days, key=lambda d: d.date), key=lambda d: len(d.entries), default=None)


def _year_axis(mark: Mark) -> str | None:
    return str(mark.date.year) if mark.date.month == 1 and mark.date.day <= 7 else None


@pass_context
def topic_timeline(context, page) -> Markup:
    marks = context["chart_timelines"][page.topic.slug]
    first_label = (lambda m: str(m.date.year)) if marks else None
    svg = charts_svg.bar_chart(
        marks, _linker(context), f"Einträge je Woche zum Thema {page.topic.name}",
        lambda m: f"Woche vom {short_date(m.date)}: {entries_label(m.count)}",
        css_class="chart bars timeline",
        axis=lambda m: first_label(m) if m is marks[0] else _year_axis(m),
    )  # fmt: skip
    return Markup(svg)


@pass_context
def topic_sparkline(context, page) -> Markup:
    marks = context["chart_timelines"][page.topic.slug]
    busiest = max(marks, key=lambda m: m.count, default=None)
    if busiest and busiest.count:
        label = (f"Verlauf je Woche, am meisten in der Woche vom {short_date(busiest.date)} "
                 f"({entries_label(busiest.count)})")  # fmt: skip
    else:
        label = "Verlauf je Woche: noch keine Einträge"
    return Markup(charts_svg.sparkline(marks, label))


@pass_context
def recent_activity_chart(context) -> Markup:
    marks = context["recent_activity"]
    label = f"Einträge je Tag, {len(marks)} Tage bis {short_date(marks[-1].date)}"
    svg = charts_svg.bar_chart(
        marks, _linker(context), label,
        lambda m: f"{short_date(m.date)}: {entries_label(m.count)}",
        css_class="chart bars activity", bar=10, gap=2, plot=60,
        axis=lambda m: f"{m.date.day}.{m.date.month}." if m is marks[0] or m is marks[-1] else None,
    )  # fmt: skip
    return Markup(svg)


def add_functions(generator):
    generator.env.globals.update({
        "year_heatmap": year_heatmap,
        "heat_legend": lambda: Markup(charts_svg.heat_legend()),
        "busiest_day": busiest_day,
        "day_month": lambda date: f"{date.day}. {MONTHS[date.month - 1]}",
        "topic_timeline": topic_timeline,
        "topic_sparkline": topic_sparkline,
        "recent_activity_chart": recent_activity_chart,
    })  # fmt: skip


def get_generators(pelican):
    return ChartsGenerator


def register():
    signals.generator_init.connect(add_functions)
    signals.get_generators.connect(get_generators)
