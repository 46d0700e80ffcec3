"""Saved liveblog pages: html (autodetected or --selectors) and JSON-LD."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from test_import_support import files, import_fixture, run_import, written

from liveticker.importers import ImportFailed

SELECTORS = "entry=div.tick,title=h3.hl,time=.zeit,body=.txt p,source=.quelle"
CHROME = ["dataLayer", "trackUpdate", "color: red", "Startseite", "Anzeige", "Abo",
          "Newsletter", "Symbolbild", "austausch.jpg", "Teaser", "Impressum", "alert",
          "Werbung", "abonnieren", "document.write", "Beispiel"]  # fmt: skip


def assert_no_chrome(entries):
    for entry in entries.values():
        for word in CHROME:
            assert word not in entry.body and word not in entry.title, (word, entry)


def test_html_articles_are_found_without_selectors(tmp_path):
    import_fixture(tmp_path, "html-liveblog-2025-04-07.html")
    entries = written(tmp_path)
    assert sorted(entries) == [
        "2025/04/07/1905-gefangenenaustausch-vereinbart.md",
        "2025/04/07/2130-treffen-von-rubio-lawrow-geplant.md",
        "2025/04/08/0010-explosionen-in-kiew-nach-mitternacht.md",  # 22:10Z is 00:10 in Berlin
    ]
    assert_no_chrome(entries)
    night = entries["2025/04/08/0010-explosionen-in-kiew-nach-mitternacht.md"]
    assert (night.day, night.time, night.sources) == (
        dt.date(2025, 4, 8),
        dt.time(0, 10),
        ("dpa", "afp"),
    )
    assert night.body == (
        "Kurz nach Mitternacht waren in Kiew mehrere Explosionen zu hören. Die Luftabwehr war "
        "im Einsatz, berichtete [The Kyiv Independent](https://kyivindependent.com/live).\n\n"
        "Bürgermeister Klitschko rief die Menschen auf, in den Schutzräumen zu bleiben."
    )
    meeting = entries["2025/04/07/2130-treffen-von-rubio-lawrow-geplant.md"]
    assert meeting.title == "Treffen von Rubio & Lawrow geplant"
    assert meeting.sources == ("rtr",)
    assert meeting.body == (
        "US-Außenminister Marco Rubio und sein russischer Kollege Sergej Lawrow wollen sich "
        "treffen. Details nennt das [Hintergrundstück]"
        "(https://www.example-zeitung.de/politik/rubio-lawrow.html) \\[mit Karte\\].\n\n"
        "Ort und Termin stehen noch nicht fest. &lt;Fortsetzung folgt&gt;"
    )
    exchange = entries["2025/04/07/1905-gefangenenaustausch-vereinbart.md"]
    assert exchange.body == (
        "Russland und die Ukraine haben den Austausch von je 200 Gefangenen vereinbart. Mehr"
        "\n\nVermittelt haben die Vereinigten Arabischen Emirate."
    )  # the javascript: link is kept as text only


def test_html_date_option_must_be_one_of_the_days_of_the_items(tmp_path):
    import_fixture(tmp_path / "ok", "html-liveblog-2025-04-07.html", date="2025-04-07")
    assert len(written(tmp_path / "ok")) == 3
    with pytest.raises(ImportFailed, match=r"--date 2025-04-09 disagrees .*2025-04-07, 2025-04-08"):
        import_fixture(tmp_path / "bad", "html-liveblog-2025-04-07.html", date="2025-04-09")
    assert files(tmp_path / "bad") == {}


def test_html_with_selectors(tmp_path):
    import_fixture(tmp_path, "html-selectors.html", selectors=SELECTORS, date="2025-03-25")
    entries = written(tmp_path)
    assert_no_chrome(entries)
    ceasefire = entries["2025/03/25/1420-waffenruhe-im-schwarzen-meer.md"]
    assert ceasefire.body == (
        "Die Ukraine und Russland haben einer Waffenruhe im Schwarzen Meer zugestimmt.\n\n"
        "Das teilte das Weiße Haus mit."
    )
    assert ceasefire.sources == ("rtr",)
    blackout = entries["2025/03/25/1205-stromausfall-in-cherson.md"]
    assert blackout.body == "Nach Angriffen auf das Stromnetz ist Cherson ohne Strom."
    assert len(entries) == 2


def test_selectors_without_a_date_on_the_page_need_the_date_option(tmp_path):
    with pytest.raises(ImportFailed, match=r"item 1 'Waffenruhe im Schwarzen Meer'.*--date"):
        import_fixture(tmp_path, "html-selectors.html", selectors=SELECTORS)


@pytest.mark.parametrize(
    ("spec", "message"),
    [("entry=div.tick,title=h3", "needs body"), ("entry=div.tick,head=h3,body=p", "'head=h3'"),
     ("div.tick", "KEY=CSS")],
)  # fmt: skip
def test_bad_selectors_are_explained(tmp_path, spec, message):
    with pytest.raises(ImportFailed, match=message):
        import_fixture(tmp_path, "html-selectors.html", selectors=spec, date="2025-03-25")


def test_selector_lists_with_commas_work(tmp_path):
    spec = "entry=div.tick,title=h3.hl, h2,time=.zeit,body=.txt p, .txt li,source=.quelle"
    import_fixture(tmp_path, "html-selectors.html", selectors=spec, date="2025-03-25")
    assert len(written(tmp_path)) == 2


def test_jsonld_in_a_page(tmp_path):
    report = import_fixture(tmp_path, "jsonld-liveblog.html")
    assert report[-1] == "Imported 3 items (jsonld): 3 written, 0 already present."
    entries = written(tmp_path)
    assert_no_chrome(entries)
    alarm = entries["2025/04/08/0140-luftalarm-in-der-ganzen-ukraine.md"]  # 23:40 UTC
    assert alarm.sources == ("rtr",)
    assert alarm.body == (
        "In der Nacht gilt in der ganzen Ukraine Luftalarm.\n\nDie Luftwaffe warnt vor Raketen."
    )
    talks = entries["2025/04/07/2015-selenskyj-verhandlungen-waffenruhe.md"]
    assert talks.title == "Selenskyj: Verhandlungen & Waffenruhe"
    assert talks.body == "Selenskyj will über eine Waffenruhe sprechen. &lt;Fortsetzung folgt&gt;"
    assert talks.sources == ("dpa",)  # from the credit; the Person author is no source
    assert talks.updated == dt.datetime(2025, 4, 7, 20, 45)
    odessa = entries["2025/04/07/1800-drohnenangriff-auf-odessa.md"]
    assert odessa.sources == ("afp",)
    assert odessa.body == (
        "Russische Drohnen haben den Hafen von Odessa angegriffen, meldet "
        "[die Gebietsverwaltung](https://t.me/odesa).\n\nEs gab Verletzte."
    )


def test_a_bare_json_file(tmp_path):
    import_fixture(tmp_path, "jsonld-bare.json")
    entry = written(tmp_path)["2025/03/01/1015-gefangenenaustausch-abgeschlossen.md"]
    assert (entry.time, entry.sources) == (dt.time(10, 15), ("ap",))  # 09:15Z is 10:15 CET


def _blog(author, body="Die Lage ist ruhig."):
    update = {"@type": "BlogPosting", "headline": "Ruhige Nacht",
              "datePublished": "2025-03-01T09:15:00+01:00", "articleBody": body,
              "author": author}  # fmt: skip
    return {"@context": "https://schema.org", "@type": "LiveBlogPosting",
            "liveBlogUpdate": [update]}  # fmt: skip


def test_jsonld_author_unknown_to_the_vocabulary_is_an_error(tmp_path):
    source = tmp_path / "blog.json"
    source.write_text(json.dumps(_blog({"@type": "Organization", "name": "Interfax"})))
    with pytest.raises(ImportFailed, match=r"item 1 'Ruhige Nacht'.*'Interfax'"):
        run_import(str(source), content=tmp_path / "content")
    assert files(tmp_path / "content") == {}


def test_broken_jsonld_is_reported(tmp_path):
    source = tmp_path / "page.html"
    text = json.dumps(_blog("Reuters"))[:-3]
    source.write_text(f'<html><script type="application/ld+json">{text}</script></html>')
    with pytest.raises(ImportFailed, match="JSON-LD block 1 is not valid JSON"):
        run_import(str(source), content=tmp_path / "content")
