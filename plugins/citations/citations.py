"""CitationsGenerator: a ready German citation on every entry page, plus downloads.

Writes `<entry>/zitat.json` (CSL-JSON) and `<entry>/zitat.bib` (biblatex) next to each
entry page, made by `liveticker/citation.py`. "abgerufen am" stays a placeholder,
because a static page cannot know its reader's date (see that module).
Setting CITATIONS = {"accessed": "[Datum einsetzen]"}: the placeholder text.

With the build cache, an entry whose file, URL and sources did not change keeps its two
files without making or reading them (liveticker/output_memo.py); whether they are
intact is found by a helper process started with the context (output_items.StampsAhead).
The files are made only when written: in a cold build they are queued with the context,
so that the background renderer makes and writes them after the entry pages, while the
build process works on the search index.
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from liveticker import citation
from liveticker.output_memo import OutputMemo, entry_keys

DEFAULTS = {"accessed": citation.ACCESSED_PLACEHOLDER}
CSL_FILE, BIBTEX_FILE = "zitat.json", "zitat.bib"
FILE_NAMES = (CSL_FILE, BIBTEX_FILE)


def citation_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("CITATIONS", {})}
    if not isinstance(options["accessed"], str) or not options["accessed"].strip():
        raise ValueError("citations: CITATIONS['accessed'] must be a non-empty text, e.g. "
                         "'[Datum einsetzen]'")  # fmt: skip
    return options


def citable(article, settings: dict) -> citation.Citable:
    entry = article.entry
    return citation.Citable(
        title=entry.title,
        chronicle=settings["SITENAME"],
        day=entry.day,
        time=entry.time,
        url=f"{settings['SITEURL'].rstrip('/')}/{article.url}",
        authors=tuple(s.name for s in article.sources),
        updated=entry.updated,
        entry_id=article.entry_path.removesuffix(".md"),
    )


class CitationsGenerator(Generator):
    def generate_context(self):
        self.options = citation_settings(self.settings)
        self.memo = OutputMemo(self.settings, "citations")
        self.queued = not self.memo.knows_folders(FILE_NAMES)
        if self.queued:  # nothing to take over: the background renderer makes them all
            self.queue_files()
        else:
            self.memo.stat_ahead(FILE_NAMES)

    def generate_output(self, writer):
        if not self.queued:
            self.queue_files()
        self.memo.save()

    def queue_files(self):
        """Give the memo every entry's two files, each made only when it is written."""
        articles = self.context["articles"]
        urls, keys = entry_keys(self.context)
        root = os.path.abspath(self.output_path)
        self.memo.folder_files(
            [f"{root}/{url}" if url.endswith("/") else f"{root}/{url}/" for url in urls],
            keys, FILE_NAMES,
            lambda index: citation_files(citable(articles[index], self.settings)),
        )  # fmt: skip


def citation_files(cited: citation.Citable) -> tuple[str, str]:
    return citation.csl_json(cited), citation.bibtex(cited)


def add_functions(generator):
    options = citation_settings(generator.settings)
    settings = generator.settings
    generator.env.globals.update({
        "citation_text": lambda a: citation.german_citation(citable(a, settings),
                                                            options["accessed"]),
        "citation_files": {"csl": CSL_FILE, "bibtex": BIBTEX_FILE},
    })  # fmt: skip


def get_generators(pelican):
    return CitationsGenerator


def register():
    signals.generator_init.connect(add_functions)
    signals.get_generators.connect(get_generators)
