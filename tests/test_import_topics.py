"""Topic suggestions: vocabulary keywords found on stemmed words."""

from __future__ import annotations

from liveticker.importers.topics import suggest
from liveticker.vocab import load_vocabulary

VOCAB = load_vocabulary()


def test_keywords_match_other_word_forms():
    assert suggest("Neue Verhandlungen", "", VOCAB) == ["Diplomatie"]
    assert suggest("Lage", "Die Flüchtlinge erreichen Polen.", VOCAB) == [
        "Europa",
        "Humanitäre Lage",
    ]


def test_a_keyword_of_several_words_must_occur_as_a_sequence():
    assert "Nordkorea" in suggest("Besuch", "Machthaber Kim Jong Un reist ab.", VOCAB)
    assert suggest("Besuch", "Kim sagt: Un-Sinn, Jong!", VOCAB) == []
    assert "Humanitäre Lage" in suggest("Hilfe", "Das Rote Kreuz hilft.", VOCAB)


def test_link_addresses_and_escapes_are_not_text():
    body = "Ein [Bericht](https://europa.eu/nato-trump) mit \\*Sternchen\\*."
    assert suggest("Meldung", body, VOCAB) == []


def test_no_keyword_no_topic():
    assert suggest("Wetter", "Es regnet in der Stadt.", VOCAB) == []
