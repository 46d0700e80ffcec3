"""DataExportGenerator: the whole archive as data for researchers.

Writes `daten/eintraege.jsonl` and `daten/eintraege.csv` (one record per entry, see
`liveticker/data_export.py`) and the page `/daten/` with the schema, the licence note,
download links and counts. Records follow the site's reading order (newest day first).
Setting DATA_EXPORT = {"licence": "<German licence note shown on /daten/>"}.

Both files are written in one pass over the entries (each record is made once and
dropped), streamed to disk. With the build cache, a rebuild where no entry changed
neither makes nor reads them, and one that changed a few entries makes only their lines
and copies the rest from the last files (liveticker/output_memo.py).
"""

from __future__ import annotations

import logging
import os
from importlib.metadata import version
from operator import attrgetter

from pelican import signals
from pelican.generators import Generator

from liveticker import data_export
from liveticker.output_memo import OutputMemo, entry_keys

logger = logging.getLogger(__name__)
FOLDER = "daten/"
FILES = {"jsonl": f"{FOLDER}eintraege.jsonl", "csv": f"{FOLDER}eintraege.csv"}
DEFAULT_LICENCE = (
    "Die Texte der Einträge stammen von der Redaktion und den jeweils genannten "
    "Nachrichtenagenturen und sind urheberrechtlich geschützt. Die Daten dienen "
    "Recherche, Forschung und Zitat im Rahmen des Urheberrechts (§§ 51, 60c und 60d "
    "UrhG); wer die Texte selbst weiterveröffentlichen will, braucht die Zustimmung der "
    "Rechteinhaber. Die Zusammenstellung – Kennungen, Zeitangaben, Themen- und "
    "Quellenzuordnung – darf ohne Einschränkung nachgenutzt werden (CC0 1.0)."
)
DEFAULTS = {"licence": DEFAULT_LICENCE}


def export_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("DATA_EXPORT", {})}
    if not isinstance(options["licence"], str) or not options["licence"].strip():
        raise ValueError("data_export: DATA_EXPORT['licence'] must be a non-empty text "
                         "(the licence note shown on /daten/)")  # fmt: skip
    return options


def record(article, base: str) -> dict:
    return data_export.record(
        article.entry,
        article.entry_path.removesuffix(".md"),
        f"{base}/{article.url}",
        article.content,
        getattr(article, "plain_text", None),  # computed by entry_reader
    )


def lines(rec: dict) -> tuple[str, str]:
    """A record's JSON line and CSV row."""
    return data_export.jsonl_line(rec), data_export.csv_row(rec)


class DataExportGenerator(Generator):
    def generate_context(self):
        self.options = export_settings(self.settings)
        self.context["DATA_EXPORT_URL"] = FOLDER

    def generate_output(self, writer):
        articles = self.context["articles"]
        base = self.settings["SITEURL"].rstrip("/")
        # body_text comes from entry_reader, which renders with markdown and nh3
        memo = OutputMemo(self.settings, "data_export", version("markdown"), version("nh3"))
        root = os.path.abspath(self.output_path)
        jsonl, csv = memo.joined_files(
            [f"{root}/{FILES['jsonl']}", f"{root}/{FILES['csv']}"],
            entry_keys(self.context)[1],
            lambda index: lines(record(articles[index], base)),
            heads=("", data_export.csv_header()),
        )
        sizes = {"jsonl": jsonl, "csv": csv}
        memo.save()
        days = self.context["days"]
        entries = list(map(attrgetter("entry"), articles))
        counts = {
            "entries": len(articles),
            "days": len(days),
            "first": days[-1].date if days else None,
            "last": days[0].date if days else None,
            "timed": sum(map(bool, map(attrgetter("time"), entries))),
            "corrected": sum(1 for updated, correction in
                             map(attrgetter("updated", "correction"), entries)
                             if updated or correction),
        }  # fmt: skip
        writer.write_file(
            f"{FOLDER}index.html", self.get_template("data"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], url=FOLDER, template_name="data",
            data_fields=data_export.FIELDS, data_files=FILES, data_sizes=sizes,
            data_counts=counts, data_licence=self.options["licence"],
            data_format_version=data_export.FORMAT_VERSION,
        )  # fmt: skip


def get_generators(pelican):
    return DataExportGenerator


def register():
    signals.get_generators.connect(get_generators)
