"""Static SVG charts, drawn at build time: no chart library and no script at run time.

Every function returns SVG markup (a string) for inline use in a page. Colours come
from CSS classes (`heat-0` … `heat-4`, `bar`) defined in site.css, because the pages'
Content-Security-Policy forbids inline style attributes; light, dark and print colours
therefore follow the stylesheet. Coordinates are whole numbers and shapes use
`shape-rendering="crispEdges"`, so cells stay sharp at any zoom. Each mark carries its
number in an SVG `<title>` (tooltip on hover; accessible name of a focused link).

Links are made by a caller-supplied `link(site_path) -> href`, so this module knows
nothing about Pelican or relative URLs.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape

from liveticker.dates_de import MONTHS, WEEKDAYS_SHORT, short_date

Link = Callable[[str], str]
CELL, GAP = 11, 2  # heat map cell and gap (SVG user units)
STEP = CELL + GAP
LEVELS = 4  # heat levels besides 0 (no entry)


@dataclass(frozen=True)
class Mark:
    """One bar or cell: its date (day or Monday of a week), count and optional target."""

    date: dt.date
    count: int
    url: str | None = None  # site path such as "2025/02/09/"
    fragment: str = ""  # anchor on the target page, without "#"


def entries_label(count: int) -> str:
    """`1 Eintrag`, `8 Einträge`, `keine Einträge`"""
    if count == 0:
        return "keine Einträge"
    return f"{count} {'Eintrag' if count == 1 else 'Einträge'}"


def heat_level(count: int, maximum: int) -> int:
    """0 for no entry, else 1…LEVELS relative to the busiest day shown."""
    if count <= 0 or maximum <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(LEVELS * count / maximum)))


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of `day`."""
    return day - dt.timedelta(days=day.weekday())


def weekly_counts(days: Iterable[dt.date], first: dt.date, last: dt.date) -> list[Mark]:
    """One Mark per Monday-first week from the week of `first` to that of `last`, counting
    each date in `days` (a date may repeat: one per entry)."""
    start, end = week_start(first), week_start(last)
    counts: dict[dt.date, int] = {}
    for day, count in Counter(days).items():  # each date once: many entries share a day
        monday = week_start(day)
        counts[monday] = counts.get(monday, 0) + count
    weeks = (end - start).days // 7 + 1
    return [
        Mark(m, counts.get(m, 0)) for m in (start + dt.timedelta(weeks=i) for i in range(weeks))
    ]


def _attrs(**attributes) -> str:
    parts = []
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(f' {name}="{escape(str(value), quote=True)}"')
    return "".join(parts)


def _title(text: str) -> str:
    return f"<title>{escape(text, quote=False)}</title>"


def _svg(css_class: str, width: int, height: int, label: str, body: list[str], **extra) -> str:
    box = _attrs(class_=css_class, viewBox=f"0 0 {width} {height}", width=width, height=height,
                 **extra)  # fmt: skip
    head = (f'<svg{box} xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges"'
            f' aria-label="{escape(label, quote=True)}" focusable="false">')  # fmt: skip
    return head + "".join(body) + "</svg>"


def year_heatmap(year: int, counts: dict[dt.date, int], link: Link) -> str:
    """Calendar heat map of one year: a column per week (Monday first), a row per weekday.
    Days with entries are links to their day page; each cell's `<title>` names the date
    and the number of entries."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    origin = week_start(first)
    left, top = 22, 14
    columns = (week_start(last) - origin).days // 7 + 1
    width, height = left + columns * STEP, top + 7 * STEP
    maximum = max((c for d, c in counts.items() if d.year == year), default=0)
    body = ['<g class="chart-labels" aria-hidden="true">']
    for row in (0, 2, 4):
        body.append(
            f"<text{_attrs(x=0, y=top + row * STEP + CELL - 2)}>{WEEKDAYS_SHORT[row]}</text>"
        )
    for month in range(1, 13):
        column = (dt.date(year, month, 1) - origin).days // 7
        body.append(
            f"<text{_attrs(x=left + column * STEP, y=top - 4)}>{MONTHS[month - 1][:3]}</text>"
        )
    body.append("</g>")
    day = first
    while day <= last:
        count = counts.get(day, 0)
        column, row = (day - origin).days // 7, day.weekday()
        rect = _attrs(class_=f"heat-{heat_level(count, maximum)}", x=left + column * STEP,
                      y=top + row * STEP, width=CELL, height=CELL, data_date=day.isoformat(),
                      data_count=count)  # fmt: skip
        label = f"{short_date(day)}: {entries_label(count)}"
        if count:
            url = link(f"{day:%Y/%m/%d}/")
            body.append(f"<a{_attrs(href=url)}>{_title(label)}<rect{rect}/></a>")
        else:
            body.append(f'<rect{rect} aria-hidden="true">{_title(label)}</rect>')
        day += dt.timedelta(days=1)
    return _svg("chart heatmap", width, height, f"Einträge je Tag im Jahr {year}", body,
                role="group")  # fmt: skip


def bar_chart(
    marks: list[Mark],
    link: Link,
    label: str,
    describe: Callable[[Mark], str],
    css_class: str = "chart bars",
    bar: int = 6,
    gap: int = 1,
    plot: int = 80,
    axis: Callable[[Mark], str | None] | None = None,
) -> str:
    """Vertical bars, one per mark, heights proportional to counts (the tallest is `plot`
    units high). Marks with a url become links. `axis(mark)` may return a label drawn
    under that bar (e.g. a year at its first week)."""
    step = bar + gap
    top, bottom = 4, 14 if axis else 2
    width, height = max(step * len(marks), step), top + plot + bottom
    maximum = max((m.count for m in marks), default=0)
    body = [f'<line class="chart-axis"{_attrs(x1=0, y1=top + plot, x2=width, y2=top + plot)}'
            ' aria-hidden="true"/>']  # fmt: skip
    for index, mark in enumerate(marks):
        x = index * step
        text = axis(mark) if axis else None
        if text:
            at_end = index == len(marks) - 1 and index > 0
            place = _attrs(x=x + bar if at_end else x, y=height - 2,
                           text_anchor="end" if at_end else None)  # fmt: skip
            body.append(f'<text class="chart-labels"{place} aria-hidden="true">'
                        f"{escape(text)}</text>")  # fmt: skip
        if not mark.count:
            continue
        h = max(1, round(plot * mark.count / maximum))
        shape = _attrs(class_="bar", x=x, y=top + plot - h, width=bar, height=h,
                       data_date=mark.date.isoformat(), data_count=mark.count)  # fmt: skip
        rect = f"<rect{shape}/>"
        title = _title(describe(mark))
        if mark.url:
            href = link(mark.url) + (f"#{mark.fragment}" if mark.fragment else "")
            body.append(f"<a{_attrs(href=href)}>{title}{rect}</a>")
        else:
            body.append(f"<g>{title}{rect}</g>")
    return _svg(css_class, width, height, label, body, role="group")


def sparkline(marks: list[Mark], label: str, height: int = 20, bar: int = 2) -> str:
    """A small bar sparkline without links or labels, for lists; the caller shows the
    numbers as text beside it, so the picture is `role="img"` with a summary label."""
    maximum = max((m.count for m in marks), default=0)
    body = []
    for index, mark in enumerate(marks):
        if mark.count:
            h = max(1, round(height * mark.count / maximum))
            shape = _attrs(class_="bar", x=index * bar, y=height - h, width=bar, height=h,
                           data_count=mark.count)  # fmt: skip
            text = f"Woche vom {short_date(mark.date)}: {entries_label(mark.count)}"
            body.append(f"<rect{shape}>{_title(text)}</rect>")
    return _svg("chart sparkline", max(bar * len(marks), bar), height, label, body, role="img",
                preserveAspectRatio="none")  # fmt: skip


def heat_legend() -> str:
    """The colour scale of the heat map, from no entry to the busiest days (decorative:
    the caption says the same in words)."""
    body = [f"<rect{_attrs(class_=f'heat-{level}', x=level * STEP, y=0, width=CELL, height=CELL)}/>"
            for level in range(LEVELS + 1)]  # fmt: skip
    return _svg("chart heat-legend", (LEVELS + 1) * STEP, CELL, "Farbskala", body,
                aria_hidden="true")  # fmt: skip
