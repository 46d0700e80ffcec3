"""The query language shared by `invoke search` and the browser."""

from __future__ import annotations

from liveticker.search_query import parse


def kinds(text):
    return [(c.kind, c.text, c.also_prefix) for c in parse(text).clauses]


def test_words_phrases_prefixes_and_exclusions():
    query = parse('Angriff "Rotes Kreuz" Sapori* -Drohnen -"Roter Platz"')
    assert [(c.kind, c.text) for c in query.clauses] == [
        ("word", "Angriff"), ("phrase", "Rotes Kreuz"), ("prefix", "Sapori")]
    assert [(c.kind, c.text) for c in query.excluded] == [("word", "Drohnen"),
                                                          ("phrase", "Roter Platz")]  # fmt: skip
    assert query.clauses[1].terms == [("rotes", "rot"), ("kreuz", "kreuz")]


def test_last_word_is_also_a_prefix_from_three_letters():
    assert kinds("Angriff Sap") == [("word", "Angriff", False), ("word", "Sap", True)]
    assert kinds("Angriff Sa")[-1] == ("word", "Sa", False)
    assert kinds('"Kiew"')[-1] == ("word", "Kiew", False)
    assert kinds("Angriff 2025")[-1][2] is False


def test_field_filters():
    query = parse('thema:Nordkorea thema:"Humanitäre Lage" quelle:DPA datum:2025-02')
    assert query.topics == ["nordkorea", "humanitaere-lage"]
    assert query.sources == ["dpa"]
    assert (query.date_from, query.date_to) == ("2025-02-01", "2025-02-28")
    assert query.clauses == []


def test_date_ranges_and_errors():
    assert (parse("datum:2025-02-01..2025-02-15").date_from,
            parse("datum:2025-02-01..2025-02-15").date_to) == ("2025-02-01", "2025-02-15")
    assert parse("datum:2024").date_to == "2024-12-31"
    assert parse("datum:2024-02").date_to == "2024-02-29"
    assert parse("datum:2025-02-30").errors
    assert parse("datum:gestern").errors


def test_unknown_field_is_plain_text():
    assert kinds("Kiew:Angriff") == [("word", "Kiew", False), ("word", "Angriff", True)]


def test_umlaut_spellings_give_the_same_terms():
    assert parse("Fluechtlinge").clauses[0].terms == parse("Flüchtlinge").clauses[0].terms
