"""sitemap.xml: a sitemap index pointing at one sitemap per year plus one for the
overview pages, so that no file passes the protocol's limit of 50,000 URLs."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape

from pelican import signals
from pelican.generators import Generator

from liveticker.files import write_if_changed

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def urlset(base: str, urls: list[str]) -> str:
    rows = "".join(f"<url><loc>{escape(base + u)}</loc></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n{rows}</urlset>\n'


def sitemap_index(base: str, files: list[str]) -> str:
    rows = "".join(f"<sitemap><loc>{escape(base + f)}</loc></sitemap>\n" for f in files)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n'
            f"{rows}</sitemapindex>\n")  # fmt: skip


class SitemapGenerator(Generator):
    def generate_context(self):
        pass

    def generate_output(self, writer):
        base = self.settings["SITEURL"].rstrip("/") + "/"
        per_year: dict[int, list[str]] = defaultdict(list)
        for year in self.context["years"]:
            per_year[year.year].append(year.url)
        for month in self.context["months"]:
            per_year[month.year].append(month.url)
        for day in self.context["days"]:
            per_year[day.date.year].append(day.url)
            per_year[day.date.year].extend(a.url for a in day.entries)
        overview = ["", "kalender/", "themen/", "suche/", "quellen/", "daten/", "korrekturen/"]
        overview += [p.url for p in self.context["topic_pages"]]
        overview += [p.url for p in self.context.get("source_pages", [])]
        output = Path(self.output_path)
        files = ["sitemaps/seiten.xml"]
        write_if_changed(output / files[0], urlset(base, overview))
        for year, urls in sorted(per_year.items()):
            files.append(f"sitemaps/{year}.xml")
            write_if_changed(output / files[-1], urlset(base, urls))
        write_if_changed(output / "sitemap.xml", sitemap_index(base, files))


def get_generators(pelican):
    return SitemapGenerator


def register():
    signals.get_generators.connect(get_generators)
