"""CorrectionsGenerator: corrected entries made visible.

Entries with `Updated` or `Correction` metadata get a note on their pages (template
`partials/correction_note.html`), are listed on `/korrekturen/` and in the Atom feed
`feeds/korrekturen.atom.xml`, newest correction first. With a repository URL, every
entry links to the history of its file (e.g. GitHub's commit list for that path).

Setting CORRECTIONS = {"repository_url": "", "history_path": "commits/main/content/{path}",
"max_items": 50}; `{path}` is the entry file below the content folder.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from pelican import signals
from pelican.generators import Generator

from liveticker.atom import StableAtom1Feed
from liveticker.entry import BERLIN
from liveticker.files import write_if_changed

DEFAULTS = {"repository_url": "", "history_path": "commits/main/content/{path}", "max_items": 50}
FEED = "feeds/korrekturen.atom.xml"
PAGE = "korrekturen/"


def correction_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("CORRECTIONS", {})}
    url = options["repository_url"]
    if not isinstance(url, str) or (url and not url.startswith(("https://", "http://"))):
        raise ValueError(f"corrections: CORRECTIONS['repository_url'] must be empty or an "
                         f"http(s) address, not {url!r}")  # fmt: skip
    if "{path}" not in str(options["history_path"]):
        raise ValueError("corrections: CORRECTIONS['history_path'] must contain {path}")
    items = options["max_items"]
    if not isinstance(items, int) or isinstance(items, bool) or items < 1:
        raise ValueError(f"corrections: CORRECTIONS['max_items'] must be a positive whole "
                         f"number, not {items!r}")  # fmt: skip
    return options


def history_url(options: dict, entry_path: str) -> str | None:
    if not options["repository_url"]:
        return None
    path = options["history_path"].format(path=quote(entry_path))
    return f"{options['repository_url'].rstrip('/')}/{path}"


def corrected(articles: list) -> list:
    """Articles with Updated or Correction, the latest correction first."""
    found = [a for a in articles if a.entry.updated or a.entry.correction]
    return sorted(found, key=lambda a: a.entry.updated or a.date.replace(tzinfo=None), reverse=True)


def render_feed(settings: dict, articles: list, newest=None) -> str:
    """`newest`: <updated> when nothing was corrected (the archive's newest entry)."""
    base = settings["SITEURL"].rstrip("/")
    feed = StableAtom1Feed(title=f"{settings['SITENAME']}: Korrekturen", link=f"{base}/{PAGE}",
                           feed_url=f"{base}/{FEED}", language="de",
                           description="Einträge, die nachträglich korrigiert wurden",
                           empty_updated=newest)  # fmt: skip
    for article in articles:
        entry = article.entry
        url = f"{base}/{article.url}"
        note = entry.correction or "Der Eintrag wurde aktualisiert."
        stamp = entry.updated.replace(tzinfo=BERLIN) if entry.updated else article.date
        feed.add_item(
            title=article.title, link=url, unique_id=f"{url}#korrektur-{stamp:%Y%m%d%H%M}",
            description=f"<p><strong>Korrektur:</strong> {_escape(note)}</p>{article.content}",
            pubdate=stamp, updateddate=stamp, categories=[t.name for t in article.topics],
        )  # fmt: skip
    return feed.writeString("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CorrectionsGenerator(Generator):
    def generate_context(self):
        self.options = correction_settings(self.settings)
        self.corrected = corrected(self.context["articles"])
        self.context.update(corrected_entries=self.corrected, CORRECTIONS_FEED=FEED)

    def generate_output(self, writer):
        articles = self.context["articles"]
        text = render_feed(self.settings, self.corrected[: self.options["max_items"]],
                           articles[0].date if articles else None)  # fmt: skip
        write_if_changed(Path(self.output_path) / FEED, text)
        writer.write_file(f"{PAGE}index.html", self.get_template("corrections"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], url=PAGE,
                          template_name="corrections")  # fmt: skip


def add_functions(generator):
    options = correction_settings(generator.settings)
    generator.env.globals["entry_history_url"] = lambda a: history_url(options, a.entry_path)


def get_generators(pelican):
    return CorrectionsGenerator


def register():
    signals.generator_init.connect(add_functions)
    signals.get_generators.connect(get_generators)
