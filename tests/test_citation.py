"""Citing an entry: German citation text on the page, CSL-JSON and BibTeX files."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from site_helpers import resolve_link, soup
from timeline_content import build_timeline

from liveticker import citation
from liveticker.citation import Citable

ENTRY = "2025/02/09/2105-eintrag-10/"
URL = f"http://127.0.0.1:8000/{ENTRY}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


def test_german_citation_names_sources_title_chronicle_time_permalink_and_placeholder():
    cited = Citable("Luftalarm in Kiew", "Die Chronik", dt.date(2025, 1, 30), dt.time(7, 15),
                    "https://example.org/x/", ("Associated Press",))  # fmt: skip
    assert citation.german_citation(cited) == (
        "Associated Press: „Luftalarm in Kiew“. In: Die Chronik, 30. Januar 2025, 07:15 Uhr. "
        "URL: https://example.org/x/ (abgerufen am [Datum einsetzen]).")  # fmt: skip
    untimed = Citable("Ohne Zeit", "Die Chronik", dt.date(2025, 1, 30), None, "https://e.org/")
    assert citation.german_citation(untimed, "1. März 2025").startswith(
        "„Ohne Zeit“. In: Die Chronik, 30. Januar 2025. URL")  # fmt: skip
    assert citation.german_citation(untimed, "1. März 2025").endswith(
        "(abgerufen am 1. März 2025)."
    )


def test_bibtex_escapes_special_characters():
    assert citation.bibtex_escape(r"50 % & {x} $ # _ \ ~ ^") == (
        r"50 \% \& \{x\} \$ \# \_ \textbackslash{} \textasciitilde{} \textasciicircum{}"
    )


def test_entry_page_shows_the_citation_and_links_its_files(site):
    page = soup(site, ENTRY)
    text = page.select_one(".citation-text").get_text()
    assert text == (
        "Associated Press / Deutsche Presse-Agentur: „Korrigierte Meldung“. In: Ukraine-Krieg: "
        "die Chronik, 9. Februar 2025, 21:05 Uhr, aktualisiert am 9. Februar 2025. "
        f"URL: {URL} (abgerufen am [Datum einsetzen]).")  # fmt: skip
    links = {a.get_text(): a["href"] for a in page.select(".citation-downloads a")}
    assert set(links) == {"CSL-JSON", "BibTeX"}
    for name, href in links.items():
        target = resolve_link(site, site / ENTRY / "index.html", href)
        assert target.is_file(), name


def test_csl_json_is_a_valid_item_list(site):
    (item,) = json.loads((site / ENTRY / "zitat.json").read_text(encoding="utf-8"))
    assert item["type"] == "post-weblog" and item["title"] == "Korrigierte Meldung"
    assert item["container-title"] == "Ukraine-Krieg: die Chronik"
    assert item["issued"] == {"date-parts": [[2025, 2, 9]]}
    assert item["URL"] == URL
    assert item["author"] == [
        {"literal": "Associated Press"},
        {"literal": "Deutsche Presse-Agentur"},
    ]
    assert item["note"] == "21:05 Uhr; aktualisiert am 9. Februar 2025, 23:10 Uhr"
    assert "accessed" not in item, "the reader's date is not known at build time"


def test_bibtex_entry_has_fields_and_balanced_braces(site):
    text = (site / ENTRY / "zitat.bib").read_text(encoding="utf-8")
    assert text.count("{") == text.count("}")
    match = re.search(r"@online\{([^,]+),\n(.*)\n\}\n$", text, re.S)
    assert match and match[1] == "chronik-2025-02-09-2105-eintrag-10"
    fields = dict(re.findall(r"^  (\w+) = \{(.*)\},?$", match[2], re.M))
    assert fields["title"] == "{Korrigierte Meldung}"
    assert fields["author"] == "{Associated Press} and {Deutsche Presse-Agentur}"
    assert fields["date"] == "2025-02-09T21:05:00" and fields["url"] == URL
    assert "urldate" not in fields


def test_hostile_title_is_escaped_in_every_citation_format(site):
    path = "2025/02/09/0600-eintrag-11/"
    page = soup(site, path)
    assert "</script><b>Tag</b>" in page.select_one(".citation-text").get_text()
    assert not page.select(".citation-text b")
    bib = (site / path / "zitat.bib").read_text(encoding="utf-8")
    assert r'title = {{Titel mit </script><b>Tag</b> \& "Zeichen"}}' in bib
    (item,) = json.loads((site / path / "zitat.json").read_text(encoding="utf-8"))
    assert item["title"] == 'Titel mit </script><b>Tag</b> & "Zeichen"'


def test_every_entry_gets_both_files(site):
    entries = [p.parent for p in site.glob("20*/*/*/*/index.html")]
    assert len(entries) == 12
    for folder in entries:
        assert (folder / "zitat.json").is_file() and (folder / "zitat.bib").is_file()


@pytest.mark.parametrize("value", [
    [], {}, [{}], {"a": [], "b": {}}, [1, -2, 2.5, True, False, None],
    {'Titel "mit" \\ und\nZeile\u2028\x01 ä „x“': {"date-parts": [[2025, 2, 9]]}},
])  # fmt: skip
def test_csl_json_is_formatted_exactly_as_json_dumps_would(value):
    assert citation.pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
    cited = Citable(f"Titel {value}", "Die Chronik", dt.date(2025, 2, 9), None, "https://e.org/")
    item = json.loads(citation.csl_json(cited))
    assert citation.csl_json(cited) == json.dumps(item, ensure_ascii=False, indent=2) + "\n"
