"""The text formats (ntv, mdr, plain) and `--format auto`, imported into real folders."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from test_import_support import DATA, SEED, files, import_fixture, run_import, written

from liveticker.importers import ImportFailed
from liveticker.importers.detect import detect
from liveticker.importers.plain import is_title_like, split_items
from liveticker.render import render_body

DAY = "2025/04/07"


def test_ntv_items_get_times_credits_and_the_date_of_the_page_title(tmp_path):
    import_fixture(tmp_path, "ntv-2025-04-07.txt")
    entries = written(tmp_path)
    assert sorted(entries) == [
        f"{DAY}/1700-scholz-taurus-frage-bleibt-offen.md",
        f"{DAY}/1805-lage-an-der-front-2.md",
        f"{DAY}/1805-lage-an-der-front.md",
        f"{DAY}/1930-papst-ruft-zu-waffenruhe-auf.md",
        f"{DAY}/2010-kiew-meldet-naechtlichen-drohnenangriff.md",
        f"{DAY}/2145-selenskyj-dankt-partnern-fuer-luftabwehr.md",
    ]
    first = entries[f"{DAY}/2145-selenskyj-dankt-partnern-fuer-luftabwehr.md"]
    assert (first.day, first.time) == (dt.date(2025, 4, 7), dt.time(21, 45))
    assert first.sources == ("dpa", "afp")
    assert first.body == (
        "Der ukrainische Präsident Wolodymyr Selenskyj hat sich bei den Partnern für neue "
        "Patriot-Systeme bedankt. „Jedes System rettet Leben“, sagte er in seiner "
        "Videobotschaft.\n\nDie Systeme sollen noch im Frühjahr geliefert werden."
    )
    photo = entries[f"{DAY}/2010-kiew-meldet-naechtlichen-drohnenangriff.md"]
    assert photo.body.endswith("Die Luftabwehr habe 35 abgefangen. (Foto: Symbolbild)")
    assert photo.sources == ()
    assert entries[f"{DAY}/1930-papst-ruft-zu-waffenruhe-auf.md"].sources == ("kna",)
    assert entries[f"{DAY}/1805-lage-an-der-front.md"].sources == ("ap",)
    scholz = entries[f"{DAY}/1700-scholz-taurus-frage-bleibt-offen.md"]
    assert scholz.body.startswith("20\\. Januar: An diesem Tag")  # not an ordered list


def test_entities_are_decoded_and_angle_brackets_stay_visible_text(tmp_path):
    import_fixture(tmp_path, "ntv-2025-04-07.txt")
    entry = written(tmp_path)[f"{DAY}/1805-lage-an-der-front-2.md"]
    assert entry.sources == ("rtr",)
    html = render_body(entry.body, "e")
    assert "<fortsetzung" not in html.lower()
    assert BeautifulSoup(html, "html.parser").get_text() == (
        "Auch bei Kupjansk gab es nach Angaben des Generalstabs Gefechte. Bürger*innen in "
        "Charkiw & Umgebung wurden gewarnt. <Fortsetzung folgt>"
    )


def test_the_same_item_twice_is_written_once_and_reported(tmp_path):
    report = import_fixture(tmp_path, "ntv-2025-04-07.txt")
    assert "item 7 'Papst ruft zu Waffenruhe auf': same as item 3 of this source" in report[-2]
    assert report[-1] == "Imported 7 items (ntv): 6 written, 1 already present."


def test_a_date_option_that_contradicts_the_source_is_an_error(tmp_path):
    with pytest.raises(ImportFailed, match=r"--date 2025-04-08 disagrees .*2025-04-07"):
        import_fixture(tmp_path, "ntv-2025-04-07.txt", date="2025-04-08")
    with pytest.raises(ImportFailed, match=r"--date 2025-04-06 disagrees .*Stand: Montag"):
        import_fixture(tmp_path, "mdr-2025-04-07.txt", date="2025-04-06")
    assert files(tmp_path) == {}


def test_a_text_without_a_date_needs_the_date_option(tmp_path):
    with pytest.raises(ImportFailed, match="states no date: pass --date"):
        import_fixture(tmp_path, "plain-awkward.txt")
    with pytest.raises(ImportFailed, match="states no date: pass --date"):
        import_fixture(tmp_path, "ntv-unknown-credit.txt", fmt="ntv")


def test_mdr_takes_the_date_from_the_stand_line_and_keeps_other_parentheses(tmp_path):
    import_fixture(tmp_path, "mdr-2025-04-07.txt")
    entries = written(tmp_path)
    assert sorted(entries) == [
        f"{DAY}/1620-veteran-erhaelt-orden.md",
        f"{DAY}/1745-museum-in-odessa-beschaedigt.md",
        f"{DAY}/1830-wadephul-telefoniert-mit-sybiha.md",
    ]
    veteran = entries[f"{DAY}/1620-veteran-erhaelt-orden.md"]
    assert veteran.body == (
        "Der Veteran (Jahrgang 1960) erhielt in Kiew einen Orden.\n\n"
        "Er diente 30 Jahre in der Armee."
    )
    assert veteran.sources == ("afp",)
    museum = entries[f"{DAY}/1745-museum-in-odessa-beschaedigt.md"]
    assert museum.body.endswith("Die Ausstellung bleibt geschlossen. (Stand: 12 Uhr)")
    assert museum.sources == ()
    assert entries[f"{DAY}/1830-wadephul-telefoniert-mit-sybiha.md"].sources == ("rtr",)


def test_plain_tells_titles_from_paragraphs(tmp_path):
    import_fixture(tmp_path, "plain-awkward.txt", date="2025-04-06")
    entries = written(tmp_path)
    got = [(path.rsplit("/", 1)[1][:2], e.title, e.body, e.sources, e.time)
           for path, e in sorted(entries.items())]  # fmt: skip
    assert got == [
        ("01", "Was plant Putin nach dem Telefonat?",
         "Nach dem Gespräch mit Trump gibt sich der Kreml zurückhaltend. Peskow sagte, man "
         "werde die Vorschläge prüfen.\n\nKurz danach.\n\nMehr dazu am Abend.", ("dpa",), None),
        ("02", "Selenskyj: „Wir brauchen Taurus“",
         "Der ukrainische Präsident hat erneut um Marschflugkörper gebeten. Die "
         "Bundesregierung lehnt das bislang ab.", ("rtr",), None),
        ("03", "Kurze Meldung aus Charkiw.", "In Charkiw gab es am Morgen Luftalarm.",
         ("afp", "dpa"), None),
        ("04", "Lage in Saporischschja ruhig",
         "Die Lage sei ruhig, sagte der Gouverneur.\n\nWeitere Informationen folgen", (), None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("block", "title"),
    [
        ("Trump will mit Putin telefoniert haben – Zeitpunkt unklar", True),
        ("Nordkorea: werden Russland „stets unterstützen“", True),
        ("Was plant Putin?", True),
        ("Selenskyj in Washington (Update)", True),
        ("Kurz danach.", False),
        ("„Das sage ich besser nicht.“", False),
        ("Mehr dazu am Abend. (dpa)", False),
        ("(dpa)", False),
        ("Selenskyj sagte:", False),
        ("Erste Zeile\nzweite Zeile", False),
        ("Sehr lang " * 20, False),
    ],
)
def test_title_shape(block, title):
    assert is_title_like(block) is title


def test_plain_text_without_blank_lines_uses_lines_as_blocks():
    text = "Erste Meldung\nDer erste Absatz.\nZweite Meldung\nDer zweite Absatz."
    assert split_items(text) == [
        ("Erste Meldung", ["Der erste Absatz."]),
        ("Zweite Meldung", ["Der zweite Absatz."]),
    ]


@pytest.mark.parametrize(
    ("fixture", "fmt"),
    [("ntv-2025-04-07.txt", "ntv"), ("mdr-2025-04-07.txt", "mdr"),
     ("plain-awkward.txt", "plain"), ("html-liveblog-2025-04-07.html", "html"),
     ("jsonld-liveblog.html", "jsonld"), ("jsonld-bare.json", "jsonld"),
     ("no-items.html", "html")],
)  # fmt: skip
def test_auto_detection(fixture, fmt):
    assert detect((DATA / fixture).read_text(encoding="utf-8")) == fmt


def test_the_seed_file_is_detected_as_plain():
    assert detect(SEED.read_text(encoding="utf-8")) == "plain"


@pytest.mark.parametrize("fixture", ["unrecognised.txt", "no-items.html"])
def test_an_unrecognised_source_is_an_error_listing_the_formats(tmp_path, fixture):
    with pytest.raises(ImportFailed) as failure:
        import_fixture(tmp_path, fixture, date="2025-04-07")
    for fmt in ("ntv", "mdr", "plain", "html", "jsonld"):
        assert f"{fmt} (" in str(failure.value)
    assert files(tmp_path) == {}


def test_a_forced_format_that_does_not_fit_says_so(tmp_path):
    with pytest.raises(ImportFailed, match="no ticker items found as mdr"):
        import_fixture(tmp_path, "ntv-2025-04-07.txt", fmt="mdr")
    with pytest.raises(ImportFailed, match="--format 'rss' is unknown"):
        import_fixture(tmp_path, "ntv-2025-04-07.txt", fmt="rss")


def test_scripts_pasted_into_text_never_enter_but_escaped_markup_stays_visible(tmp_path):
    source = tmp_path / "ticker.txt"
    source.write_text(
        "+++ 08:00 Lage in Kiew +++\n"
        "Es blieb ruhig.<script type='text/javascript'>track('x')</script> "
        "Mehr am Abend: &lt;script&gt; ist hier nur Text. (dpa)\n"
    )
    run_import(str(source), date="2025-04-07", content=tmp_path / "content")
    entry = written(tmp_path / "content")["2025/04/07/0800-lage-in-kiew.md"]
    assert entry.body == "Es blieb ruhig. Mehr am Abend: &lt;script&gt; ist hier nur Text."
    assert "track" not in render_body(entry.body, "e")


def test_byte_order_mark_and_windows_line_ends_change_nothing(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    source = tmp_path / "seed-windows.txt"
    source.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    run_import(str(source), date="2025-02-09", content=tmp_path / "windows")
    run_import(str(SEED), date="2025-02-09", content=tmp_path / "unix")
    assert files(tmp_path / "windows") == files(tmp_path / "unix")


def test_a_source_that_is_not_utf8_is_explained(tmp_path):
    source = tmp_path / "latin1.txt"
    source.write_bytes("Gefechte in der Ostukraine\n\nDie Kämpfe gehen weiter.\n".encode("cp1252"))
    with pytest.raises(ImportFailed, match=r"latin1.txt: file is not valid UTF-8: byte 0xe4"):
        run_import(str(source), date="2025-02-09", content=tmp_path / "content")
