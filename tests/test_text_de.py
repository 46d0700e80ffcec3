"""German analysis: folding, stems, tokens and compound parts (the one pipeline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from liveticker import compounds_de
from liveticker.text_de import analyze_word, fold, slugify, stem, stems, tokens, words

# (word, stem) - umlauts and their spelt-out forms meet; words with ue/ae that are not
# umlauts keep their stem apart from umlaut words.
STEMS = [
    ("Flüchtlinge", "fluchtling"), ("Fluechtlinge", "fluchtling"), ("FLÜCHTLINGEN", "fluchtling"),
    ("Flüchtling", "fluchtling"), ("Straße", "strass"), ("Strasse", "strass"),
    ("Häuser", "haus"), ("Haeuser", "haus"), ("Ökonomie", "okonomi"), ("Oekonomie", "okonomi"),
    ("Übergriffe", "ubergriff"), ("Uebergriffe", "ubergriff"),
    ("Frauen", "frau"), ("Quelle", "quell"), ("Quellen", "quell"), ("neue", "neu"),
    ("Steuer", "steu"), ("Israel", "isral"), ("Israels", "isral"), ("aktuell", "aktull"),
    ("Verhandlung", "verhandl"), ("Verhandlungen", "verhandl"), ("Angriff", "angriff"),
    ("Angriffe", "angriff"), ("Angriffen", "angriff"), ("Angaben", "angab"),
    ("Beratung", "berat"), ("Rat", "rat"), ("Kiew", "kiew"), ("Kiews", "kiew"), ("Kiel", "kiel"),
    ("Selenskyj", "selenskyj"), ("Selenskyjs", "selenskyj"), ("Trumps", "trump"),
    ("Autos", "auto"), ("Preis", "preis"), ("Preise", "preis"), ("Kurs", "kur"),
    ("Ukraine-Krieg", "ukrain-krieg"), ("60.000", "60.000"), ("Île", "ile"),
]  # fmt: skip


@pytest.mark.parametrize(("word", "expected"), STEMS)
def test_stem_table(word, expected):
    assert stem(word) == expected


@pytest.mark.parametrize(("a", "b"), [("Flüchtlinge", "FLUECHTLINGE"), ("Straße", "STRASSE"),
                                      ("Größe", "groesse"), ("Île", "ile")])  # fmt: skip
def test_fold_makes_spellings_meet(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_real_ue_apart_from_umlauts():
    assert fold("Quelle") == "quelle" and fold("neue") == "neue" and fold("Frauen") == "frauen"


def test_slugify_and_stems_still_serve_vocabulary_and_importers():
    assert slugify("Humanitäre Lage") == "humanitaere-lage"
    assert stems("Verhandlungen über Ukraine-Krieg") >= {"verhandl", "ukrain", "krieg"}


def test_words_keep_numbers_and_hyphenated_words_whole():
    assert words("Am 1.2. kamen 60.000 Menschen, 1,5 Mio. - Ukraine-Krieg: z.B.") == [
        "Am", "1.2", "kamen", "60.000", "Menschen", "1,5", "Mio", "Ukraine-Krieg", "z", "B"]


def test_hyphenated_word_and_its_parts_share_positions():
    found = [(t.position, t.surface) for t in tokens("Der Ukraine-Krieg endet")]
    assert found == [(0, "Der"), (1, "Ukraine-Krieg"), (1, "Ukraine"), (2, "Krieg"), (3, "endet")]


def test_compound_parts_are_stemmed_parts():
    assert analyze_word("Raketenangriffe")[2] == ("rak", "angriff")
    assert analyze_word("Rakete")[1] == "rak"  # `Rakete` finds `Raketenangriffe`
    assert "abwehr" in analyze_word("Luftabwehr")[2]
    assert analyze_word("Angriff")[2] == ()


# Word list for the splitter's precision: (word, expected parts). () = must stay whole.
SPLITS = [
    ("Raketenangriffe", ("raketen", "angriffe")), ("Luftabwehr", ("luft", "abwehr")),
    ("Sicherheitsrat", ("sicherheit", "rat")), ("Europarat", ("europa", "rat")),
    ("Verteidigungsministerium", ("verteidigung", "ministerium")),
    ("Verteidigungsminister", ("verteidigung", "minister")),
    ("Drohnenangriff", ("drohnen", "angriff")), ("Kampfdrohne", ("kampf", "drohne")),
    ("Bundesregierung", ("bundes", "regierung")), ("Bundeskanzler", ("bundes", "kanzler")),
    ("Flüchtlingslager", ("flüchtlings", "lager")), ("Kremlsprecher", ("kreml", "sprecher")),
    ("Waffenlieferungen", ("waffen", "lieferungen")), ("Ostukraine", ("ost", "ukraine")),
    ("Nordkorea", ("nord", "korea")), ("Grenzgebiet", ("grenze", "gebiet")),
    ("Stromausfall", ("strom", "ausfall")), ("Gefangenenaustausch", ("gefangenen", "austausch")),
    ("Ministerpräsident", ("minister", "präsident")), ("Geburtstag", ("geburt", "tag")),
    ("Bundestag", ("bundes", "tag")), ("Kriegsverbrechen", ("kriegs", "verbrechen")),
    ("Hauptstadt", ("haupt", "stadt")), ("Gaspreis", ("gas", "preis")),
    ("Friedensgespräche", ("friedens", "gespräche")), ("Luftalarm", ("luft", "alarm")),
    ("Beratung", ()), ("Beratungen", ()), ("Ratifizierung", ()), ("Angaben", ()),
    ("Angriff", ()), ("Angriffe", ()), ("Kiel", ()), ("Kiew", ()), ("Ortschaft", ()),
    ("Gesellschaft", ()), ("Botschaft", ()), ("Aktion", ()), ("Mission", ()), ("Soldaten", ()),
    ("Russland", ()), ("Verbraucher", ()), ("Verbrauch", ()), ("Präsident", ()),
    ("Regierung", ()), ("Verhandlungen", ()), ("Offensive", ()), ("Abrüstung", ()),
    ("Einnahme", ()), ("Erklärung", ()), ("Gebiet", ()), ("Verband", ()), ("Bestand", ()),
    ("Raten", ()), ("Berater", ()), ("Anlagen", ()), ("Delegationen", ()), ("Nationen", ()),
]  # fmt: skip


def test_splitter_precision_on_word_list():
    """False splits are rare: at least 95 % of the list is split exactly as expected, and
    no word that must stay whole is split."""
    wrong = [(w, compounds_de.split_compound(w), parts) for w, parts in SPLITS
             if compounds_de.split_compound(w) != parts]  # fmt: skip
    false_splits = [item for item in wrong if item[2] == ()]
    assert false_splits == []
    assert len(wrong) <= len(SPLITS) * 0.05, wrong


@pytest.mark.parametrize(("query", "text"), [("Rat", "Beratung"), ("Angriff", "Angaben"),
                                             ("Kiew", "Kiel")])  # fmt: skip
def test_precision_pairs_share_no_term(query, text):
    exact, stemmed, _ = analyze_word(query)
    other = analyze_word(text)
    assert exact != other[0] and stemmed != other[1] and stemmed not in other[2]


def test_lexicon_is_cached_as_a_hash_table(tmp_path, monkeypatch):
    """The cache file holds every form of the lexicon, and its bucket lookups answer
    exactly as the set of all forms does."""
    monkeypatch.setenv("LIVETICKER_CACHE", str(tmp_path))
    compounds_de.nouns.cache_clear()
    compounds_de._table.cache_clear()
    try:
        forms = compounds_de.nouns()
        assert {"angriff", "rakete", "raketen", "rat"} <= forms
        assert list((tmp_path / "lexicon").glob("german-nouns-*.forms"))
        compounds_de._table.cache_clear()
        table = compounds_de._table()  # read back from the file
        assert table.forms() == forms
        assert all(map(table.has, forms))
        others = {f + "x" for f in forms} | {f[:-1] for f in forms} | {"", "x"}
        assert not any(map(table.has, others - forms))
    finally:
        compounds_de.nouns.cache_clear()
        compounds_de._table.cache_clear()


def test_few_words_are_split_without_loading_all_forms():
    """A rebuild that analyses one new entry reads a bucket of the cache file per lookup,
    not the 250,000 forms, and splits exactly as with the set of all forms."""
    words = [word for word, _ in SPLITS] + ["Luftabwehrsystem", "Drohnenabwehr"]
    code = ("import json, sys; from liveticker import compounds_de as c; "
            "print(json.dumps([[c.compound_parts(w) for w in sys.argv[1:]], "
            "c._forms is None]))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code, *words], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    parts, lazy = json.loads(done.stdout)
    assert lazy
    compounds_de.preload()
    assert parts == [list(compounds_de.compound_parts(word)) for word in words]
