"""DataExportGenerator: the whole archive as data for researchers.

Writes `daten/eintraege.jsonl` and `daten/eintraege.csv` (one record per entry, see
`liveticker/data_export.py`) and the page `/daten/` with the schema, the licence note,
download links and counts. Records follow the site's reading order (newest day first).
Setting DATA_EXPORT = {"licence": "<German licence note shown on /daten/>"}.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from liveticker import data_export
from liveticker.files import write_if_changed

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


def records(articles: list, site_url: str) -> list[dict]:
    base = site_url.rstrip("/")
    return [
        data_export.record(
            a.entry,
            a.entry_path.removesuffix(".md"),
            f"{base}/{a.url}",
            a.content,
            getattr(a, "plain_text", None),
        )  # computed by entry_reader
        for a in articles
    ]


class DataExportGenerator(Generator):
    def generate_context(self):
        self.options = export_settings(self.settings)
        self.context["DATA_EXPORT_URL"] = FOLDER

    def generate_output(self, writer):
        articles = self.context["articles"]
        rows = records(articles, self.settings["SITEURL"])
        output = Path(self.output_path)
        texts = {"jsonl": data_export.to_jsonl(rows), "csv": data_export.to_csv(rows)}
        for kind, text in texts.items():
            write_if_changed(output / FILES[kind], text)
        days = self.context["days"]
        counts = {
            "entries": len(rows),
            "days": len(days),
            "first": days[-1].date if days else None,
            "last": days[0].date if days else None,
            "timed": sum(1 for r in rows if r["time"]),
            "corrected": sum(1 for r in rows if r["updated"] or r["correction"]),
        }
        sizes = {kind: len(text.encode("utf-8")) for kind, text in texts.items()}
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
