"""Every rule of the entry format, each with a real file on disk and its exact message.

The messages are written out by hand: they are what a contributor reads, in `invoke
check`, in the failed build and in the pull request's annotations.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from liveticker.entry import BERLIN
from liveticker.validate import PLACEHOLDER, check_tree

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=BERLIN)
DAY = "2025/02/09"


def problems_of(content, rel: str, data: str | bytes) -> list[str]:
    """Write one entry file at `rel` below `content` and check the whole tree."""
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = textwrap.dedent(data).lstrip().encode("utf-8")
    path.write_bytes(data)
    return [str(p) for p in check_tree(content, now=NOW)[1]]


def entry(title="Luftalarm in Kiew", date="2025-02-09 09:30", extra="", body="Sirenen heulen."):
    head = "".join(f"{k}: {v}\n" for k, v in (("Title", title), ("Date", date)) if v is not None)
    return f"{head}Tags: Luftkrieg\n{extra}\n{body}\n"


# (case, file below the content folder, file text, every problem reported, in order)
ERRORS = [
    ("missing title", f"{DAY}/0930-luftalarm.md", entry(title=None),
     [f"{DAY}/0930-luftalarm.md:1: error: missing field 'Title' - add a line `Title: ...` to "
      "the metadata at the top of the file"]),
    ("empty title", f"{DAY}/0930-luftalarm.md", entry(title=""),
     [f"{DAY}/0930-luftalarm.md:1: error: field 'Title' is empty - write its value after "
      "`Title: `"]),
    ("missing date", f"{DAY}/0930-luftalarm.md", entry(date=None),
     [f"{DAY}/0930-luftalarm.md:1: error: missing field 'Date' - add a line `Date: ...` to "
      "the metadata at the top of the file"]),
    ("unknown key, close to a known one", f"{DAY}/0930-luftalarm.md", entry(extra="Sorce: dpa\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: unknown field 'Sorce' - did you mean 'Source'?"]),
    ("unknown key, German name of a known one", f"{DAY}/0930-luftalarm.md",
     entry(extra="Quelle: dpa\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: unknown field 'Quelle' - did you mean 'Source'?"]),
    ("unknown key, nothing close", f"{DAY}/0930-luftalarm.md", entry(extra="Autorin: Anna\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: unknown field 'Autorin' - allowed fields are Title, "
      "Date, Tags, Source, Updated, Correction; if this line belongs to the body, put one "
      "blank line before it"]),
    ("a field twice", f"{DAY}/0930-luftalarm.md", entry(extra="Title: Noch ein Titel\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: field 'Title' appears twice (first on line 1) - "
      "keep one"]),
    ("body without a blank line", f"{DAY}/0930-luftalarm.md",
     "Title: Luftalarm\nDate: 2025-02-09 09:30\nTags: Luftkrieg\nSirenen heulen in Kiew.\n",
     [f"{DAY}/0930-luftalarm.md:4: error: line 'Sirenen heulen in Kiew.' is not `Key: value` "
      "metadata - put one blank line between the metadata and the body",
      f"{DAY}/0930-luftalarm.md:5: error: the entry has no text: write the body below the "
      "metadata, after one blank line"]),
    ("malformed date with a suggestion", f"{DAY}/0930-luftalarm.md",
     entry(date="9.2.2025 9:30 Uhr"),
     [f"{DAY}/0930-luftalarm.md:2: error: field 'Date' has the value '9.2.2025 9:30 Uhr', "
      "expected 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD' - did you mean '2025-02-09 09:30'?"]),
    ("malformed date", f"{DAY}/0930-luftalarm.md", entry(date="gestern"),
     [f"{DAY}/0930-luftalarm.md:2: error: field 'Date' has the value 'gestern', expected "
      "'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD' - e.g. '2025-02-09 14:05', or '2025-02-09' when "
      "the time is unknown"]),
    ("a day not on the calendar", "2025/04/30/0930-luftalarm.md", entry(date="2025-04-31 09:30"),
     ["2025/04/30/0930-luftalarm.md:2: error: field 'Date' has the value '2025-04-31 09:30': "
      "April 2025 has no day 31 (it has 30 days) - correct the day or the month"]),
    ("29 February in a common year", "2025/02/28/01-luftalarm.md", entry(date="2025-02-29"),
     ["2025/02/28/01-luftalarm.md:2: error: field 'Date' has the value '2025-02-29': "
      "February 2025 has no day 29 (it has 28 days) - correct the day or the month"]),
    ("a month not on the calendar", f"{DAY}/0930-luftalarm.md", entry(date="2025-13-09 09:30"),
     [f"{DAY}/0930-luftalarm.md:2: error: field 'Date' has the value '2025-13-09 09:30': "
      "there is no month 13 - correct the month (01 to 12)"]),
    ("a time not on the clock", f"{DAY}/2400-luftalarm.md", entry(date="2025-02-09 24:00"),
     [f"{DAY}/2400-luftalarm.md:2: error: field 'Date' has the value '2025-02-09 24:00': "
      "24:00 is not a time of day - use 00:00 to 23:59"]),
    ("date and folder disagree", f"{DAY}/0930-luftalarm.md", entry(date="2025-02-10 09:30"),
     [f"{DAY}/0930-luftalarm.md:2: error: field 'Date' is '2025-02-10 09:30' but the file is "
      "in the folder for 2025-02-09 - move the file to 2025/02/10/ or correct the date"]),
    ("file at the top of the content folder", "0930-luftalarm.md", entry(),
     ["0930-luftalarm.md:1: error: the file is not in a date folder YYYY/MM/DD/ but in the top "
      "of the content folder - move it to the folder 2025/02/09/ in the content folder"]),
    ("file in a month folder", "2025/02/0930-luftalarm.md", entry(),
     ["2025/02/0930-luftalarm.md:1: error: the file is not in a date folder YYYY/MM/DD/ but in "
      "the folder '2025/02' - move it to the folder 2025/02/09/ in the content folder"]),
    ("file below a day folder", f"{DAY}/alt/0930-luftalarm.md", entry(),
     [f"{DAY}/alt/0930-luftalarm.md:1: error: the file is not in a date folder YYYY/MM/DD/ but "
      f"in the folder '{DAY}/alt' - move it to the folder 2025/02/09/ in the content folder"]),
    ("a folder that is no day", "2025/02/30/0930-luftalarm.md", entry(date="2025-03-02 09:30"),
     ["2025/02/30/0930-luftalarm.md:1: error: the folder '2025/02/30' is not a day on the "
      "calendar - move the file to the folder 2025/03/02/ in the content folder"]),
    ("a date in the future", "2025/06/01/1201-luftalarm.md", entry(date="2025-06-01 12:01"),
     ["2025/06/01/1201-luftalarm.md:2: error: field 'Date' '2025-06-01 12:01' is in the future "
      "- entries record what has happened; correct the date (local time Europe/Berlin)"]),
    ("unknown topic, close to a known one", f"{DAY}/0930-luftalarm.md",
     "Title: Austausch\nDate: 2025-02-09 09:30\nTags: Gefangne, USA\n\nText.\n",
     [f"{DAY}/0930-luftalarm.md:3: error: unknown topic 'Gefangne' in field 'Tags' - did you "
      "mean 'Gefangene'?"]),
    ("unknown topic", f"{DAY}/0930-luftalarm.md",
     "Title: Fußball\nDate: 2025-02-09 09:30\nTags: Sport\n\nText.\n",
     [f"{DAY}/0930-luftalarm.md:3: error: unknown topic 'Sport' in field 'Tags' - use one of "
      "the topics in content/topics.toml (or propose a new one there)"]),
    ("topics separated by semicolons", f"{DAY}/0930-luftalarm.md",
     "Title: Gipfel\nDate: 2025-02-09 09:30\nTags: USA; Europa\n\nText.\n",
     [f"{DAY}/0930-luftalarm.md:3: error: unknown topic 'USA; Europa' in field 'Tags' - "
      "separate several topics with commas"]),
    ("unknown source, an alias of a known one", f"{DAY}/0930-luftalarm.md",
     entry(extra="Source: dpa, Reuters\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: unknown source 'Reuters' in field 'Source' - did you "
      "mean 'rtr'?"]),
    ("unknown source code", f"{DAY}/0930-luftalarm.md", entry(extra="Source: tass\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: unknown source 'tass' in field 'Source' - use one of "
      "the codes in content/sources.toml (or propose a new one there)"]),
    ("malformed Updated", f"{DAY}/0930-luftalarm.md", entry(extra="Updated: morgen\n"),
     [f"{DAY}/0930-luftalarm.md:4: error: field 'Updated' has the value 'morgen', expected "
      "'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD' - e.g. '2025-02-09 14:05', or '2025-02-09' when "
      "the time is unknown"]),
    ("empty body", f"{DAY}/0930-luftalarm.md", entry(body=""),
     [f"{DAY}/0930-luftalarm.md:4: error: the entry has no text: write the body below the "
      "metadata, after one blank line"]),
    ("placeholder of invoke new", f"{DAY}/0930-luftalarm.md", entry(body=PLACEHOLDER),
     [f"{DAY}/0930-luftalarm.md:5: error: the body still holds the placeholder line written "
      "by `invoke new` - replace it with the text of the entry"]),
    ("invisible override in the title", f"{DAY}/0930-luftalarm.md",
     entry(title="Luftalarm \u202ein Kiew"),
     [f"{DAY}/0930-luftalarm.md:1: error: field 'Title' contains the invisible character "
      "U+202E (RIGHT-TO-LEFT OVERRIDE) (character 11 of the value) - delete it"]),
    ("control character in the body", f"{DAY}/0930-luftalarm.md",
     entry(body="Erste Zeile.\nZweite\x00Zeile."),
     [f"{DAY}/0930-luftalarm.md:6: error: the body contains the invisible character U+0000 "
      "(a control character) - delete it"]),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "text", "expected"), [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])  # fmt: skip
def test_each_error_is_reported_with_its_exact_message(content, rel, text, expected):
    assert problems_of(content, rel, text) == expected


UNSAFE = [
    ("script tag", "Text.\n\n<script>alert(1)</script>",
     "7: error: the body contains the HTML element <script>, which can run script or alter "
     "the page - remove it; entries are plain Markdown"),
    ("event attribute", "Ein Bild: <img src=x onerror=alert(1)>",
     "5: error: the body contains the event attribute onerror='alert(1)' on <img>, which runs "
     "script - remove it"),
    ("javascript: in a Markdown link", "Erste Zeile.\n[Klick](javascript:alert(1))",
     "6: error: the body links to 'javascript:alert(1)' (href= on <a>): a 'javascript:' URL "
     "can run script - link only to http://, https:// or mailto: addresses"),
    ("entity-encoded javascript: in a reference link", "[Quelle][1]\n\n[1]: &#x6A;avascript:x",
     "5: error: the body links to 'javascript:x' (href= on <a>): a 'javascript:' URL can run "
     "script - link only to http://, https:// or mailto: addresses"),
    ("vbscript: URL", "[Klick](vbscript:msgbox(1))",
     "5: error: the body links to 'vbscript:msgbox(1)' (href= on <a>): a 'vbscript:' URL can "
     "run script - link only to http://, https:// or mailto: addresses"),
    ("data: URL in an image", "![Bild](data:image/svg+xml;base64,PHN2Zz4=)",
     "5: error: the body links to 'data:image/svg+xml;base64,PHN2Zz4=' (src= on <img>): a "
     "'data:' URL can run script - link only to http://, https:// or mailto: addresses"),
    ("iframe", "<iframe src=\"https://example.org\"></iframe>",
     "5: error: the body contains the HTML element <iframe>, which can run script or alter "
     "the page - remove it; entries are plain Markdown"),
    ("object", "<object data=\"https://example.org/x.swf\"></object>",
     "5: error: the body contains the HTML element <object>, which can run script or alter "
     "the page - remove it; entries are plain Markdown"),
    ("embed", "<embed src=\"https://example.org/x.swf\">",
     "5: error: the body contains the HTML element <embed>, which can run script or alter "
     "the page - remove it; entries are plain Markdown"),
    ("form", "<form action=\"https://example.org\"><input name=q></form>",
     "5: error: the body contains the HTML element <form>, which can run script or alter "
     "the page - remove it; entries are plain Markdown"),
    ("attr_list event attribute", "Ein Absatz.\n{: onclick=\"alert(1)\" }",
     "6: error: the body contains the event attribute onclick='alert(1)' on <p>, which runs "
     "script - remove it"),
    ("style with a CSS expression", "<p style=\"width: expression(alert(1))\">x</p>",
     "5: error: the body contains style='width: expression(alert(1))' on <p>, which can run "
     "script - remove the style attribute"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in UNSAFE],
                         ids=[c[0] for c in UNSAFE])  # fmt: skip
def test_markup_that_can_run_script_is_an_error_on_its_line(content, body, expected):
    rel = f"{DAY}/0930-luftalarm.md"
    assert problems_of(content, rel, entry(body=body)) == [f"{rel}:{expected}"]


def test_svg_payload_names_the_element_and_its_handler(content):
    rel = f"{DAY}/0930-luftalarm.md"
    assert problems_of(content, rel, entry(body="Grafik: <svg/onload=alert(1)>")) == [
        f"{rel}:5: error: the body contains the HTML element <svg>, which can run script or "
        "alter the page - remove it; entries are plain Markdown",
        f"{rel}:5: error: the body contains the event attribute onload='alert(1)' on <svg>, "
        "which runs script - remove it",
    ]


def test_not_utf8_names_line_column_byte_and_likely_encoding(content):
    data = "Title: Grüße aus Köln\nDate: 2025-02-09 09:30\nTags: Luftkrieg\n\nText.\n"
    assert problems_of(content, f"{DAY}/0930-gruesse.md", data.encode("latin-1")) == [
        f"{DAY}/0930-gruesse.md:1: error: the file is not valid UTF-8: byte 0xfc ('ü' in "
        "Windows-1252) at line 1, column 10; the file looks like ISO-8859-1 (Latin-1) or "
        "Windows-1252 - save it as UTF-8 in your editor"
    ]


def test_windows_quotes_point_to_windows_1252(content):
    data = "Title: Kiew\nDate: 2025-02-09 09:30\nTags: Luftkrieg\n\nSelenskyj: „Wir halten.“\n"
    assert problems_of(content, f"{DAY}/0930-kiew.md", data.encode("cp1252")) == [
        f"{DAY}/0930-kiew.md:5: error: the file is not valid UTF-8: byte 0x84 ('„' in "
        "Windows-1252) at line 5, column 12; the file looks like Windows-1252 (cp1252) - save "
        "it as UTF-8 in your editor"
    ]


def test_pasted_text_in_another_encoding_is_called_a_mix(content):
    data = "Title: Grüße\nDate: 2025-02-09 09:30\nTags: Luftkrieg\n\n".encode() + "Köln".encode(
        "latin-1"
    )
    assert problems_of(content, f"{DAY}/0930-mix.md", data) == [
        f"{DAY}/0930-mix.md:5: error: the file is not valid UTF-8: byte 0xf6 ('ö' in "
        "Windows-1252) at line 5, column 2; the file looks like a mix of UTF-8 and another "
        "encoding, probably Windows-1252 (pasted text?) - save it as UTF-8 in your editor"
    ]


def test_utf16_is_named(content):
    data = entry().encode("utf-16")
    assert problems_of(content, f"{DAY}/0930-luftalarm.md", data) == [
        f"{DAY}/0930-luftalarm.md:1: error: the file is not valid UTF-8: it is saved as UTF-16 "
        "- save it as UTF-8 in your editor"
    ]


def test_the_same_text_twice_on_one_day_is_an_error_on_the_later_file(content):
    problems_of(content, f"{DAY}/0900-luftalarm.md", entry(date="2025-02-09 09:00"))
    problems = problems_of(content, f"{DAY}/0930-erneut.md", entry(title="Erneut Luftalarm"))
    assert problems == [
        f"{DAY}/0930-erneut.md:5: error: the text of this entry is the same as in "
        f"{DAY}/0900-luftalarm.md (line 5) - remove one of the two entries"
    ]


def test_a_repeated_headline_with_new_text_and_the_same_text_on_another_day_are_fine(content):
    problems_of(content, f"{DAY}/0900-luftalarm.md", entry(date="2025-02-09 09:00"))
    problems_of(content, f"{DAY}/0930-luftalarm.md", entry(body="Wieder Sirenen in Kiew."))
    other_day = entry(date="2025-02-10 09:30")
    assert problems_of(content, "2025/02/10/0930-luftalarm.md", other_day) == []


def test_whitespace_differences_do_not_hide_a_duplicate(content):
    problems_of(content, f"{DAY}/0900-a.md", entry(date="2025-02-09 09:00", body="Ein  Text.\n"))
    assert problems_of(content, f"{DAY}/0930-b.md", entry(body="Ein\nText.")) == [
        f"{DAY}/0930-b.md:5: error: the text of this entry is the same as in {DAY}/0900-a.md "
        "(line 5) - remove one of the two entries"
    ]


WARNINGS = [
    ("no topics", f"{DAY}/0930-luftalarm.md",
     "Title: Luftalarm\nDate: 2025-02-09 09:30\n\nSirenen.\n",
     [f"{DAY}/0930-luftalarm.md:1: warning: no topics: add `Tags: ...` with one or more topics "
      "from content/topics.toml"]),
    ("timed entry with another name", f"{DAY}/Luftalarm.md", entry(),
     [f"{DAY}/Luftalarm.md:1: warning: file name 'Luftalarm.md' does not follow the convention "
      "HHMM-slug.md for an entry at 09:30 (field 'Date') - rename it to "
      "'0930-luftalarm-in-kiew.md'"]),
    ("name with another time", f"{DAY}/0900-luftalarm.md", entry(),
     [f"{DAY}/0900-luftalarm.md:1: warning: file name '0900-luftalarm.md' does not follow the "
      "convention HHMM-slug.md for an entry at 09:30 (field 'Date') - rename it to "
      "'0930-luftalarm.md'"]),
    ("untimed entry named like a timed one", f"{DAY}/0930-luftalarm.md",
     entry(date="2025-02-09"),
     [f"{DAY}/0930-luftalarm.md:1: warning: file name '0930-luftalarm.md' does not follow the "
      "convention NN-slug.md for an entry without a time (NN = its position in the day's "
      "source) - rename it to e.g. '01-luftalarm.md'"]),
]  # fmt: skip


@pytest.mark.parametrize(("rel", "text", "expected"), [c[1:] for c in WARNINGS],
                         ids=[c[0] for c in WARNINGS])  # fmt: skip
def test_warnings(content, rel, text, expected):
    assert problems_of(content, rel, text) == expected


def test_bom_crlf_umlauts_and_untimed_entries_are_accepted(content):
    text = ("Title: Grüße aus Köln: Straßenbahn fährt wieder\r\nDate: 2025-02-09\r\n"
            "Tags: Humanitäre Lage, Energie und Infrastruktur\r\nSource: dpa\r\n\r\n"
            "Die Straßenbahn in Köln fährt wieder, heißt es. Äußerst erfreulich – "
            "„endlich“.\r\n")  # fmt: skip
    bom_crlf = b"\xef\xbb\xbf" + text.encode()
    assert problems_of(content, f"{DAY}/01-gruesse-aus-koeln.md", bom_crlf) == []
    entries, _ = check_tree(content, now=NOW)
    assert entries[0].entry.title == "Grüße aus Köln: Straßenbahn fährt wieder"
    assert entries[0].entry.time is None
    assert entries[0].entry.body.endswith("„endlich“.")


def test_umlauts_in_a_file_name_still_build_with_only_a_naming_warning(content):
    assert problems_of(content, f"{DAY}/0930-grüße.md", entry(title="Grüße")) == [
        f"{DAY}/0930-grüße.md:1: warning: file name '0930-grüße.md' does not follow the "
        "convention HHMM-slug.md for an entry at 09:30 (field 'Date') - rename it to "
        "'0930-gruesse.md'"
    ]


def test_field_names_are_case_insensitive_like_pelicans(content):
    text = "title: Luftalarm\ndate: 2025-02-09 09:30\ntags: Luftkrieg\n\nSirenen.\n"
    assert problems_of(content, f"{DAY}/0930-luftalarm.md", text) == []


def test_files_the_build_ignores_are_not_checked(content):
    problems_of(content, f"{DAY}/_entwurf.md", "kein Eintrag")
    problems_of(content, ".git/x.md", "kein Eintrag")
    assert problems_of(content, f"{DAY}/0930-luftalarm.md", entry()) == []
