"""The credit rule: which trailing parentheses are agency credits, and which stay."""

from __future__ import annotations

import pytest

from liveticker.importers.credits import CreditError, resolve_names, take_credit
from liveticker.vocab import load_vocabulary

VOCAB = load_vocabulary()


@pytest.mark.parametrize(
    ("body", "rest", "codes"),
    [
        ("Text. (dpa)", "Text.", ["dpa"]),
        ("Text. (AFP)", "Text.", ["afp"]),
        ("Text. (Reuters)", "Text.", ["rtr"]),
        ("Text. (rtr)", "Text.", ["rtr"]),
        ("Text. (AP)", "Text.", ["ap"]),
        ("Text. (KNA)", "Text.", ["kna"]),
        ("Text. (dpa/AFP)", "Text.", ["dpa", "afp"]),
        ("Text. (AFP, dpa)", "Text.", ["afp", "dpa"]),
        ("Text. (dpa und Reuters)", "Text.", ["dpa", "rtr"]),
        ("Text. (Deutsche Presse-Agentur)", "Text.", ["dpa"]),
        ("Text. (dpa) (AFP)", "Text.", ["dpa", "afp"]),
        ("„Das sage ich nicht.“ (dpa)", "„Das sage ich nicht.“", ["dpa"]),
        ("Wer weiß? (AP)", "Wer weiß?", ["ap"]),
        ("Eins.\n\nZwei.\n\n(AFP)", "Eins.\n\nZwei.", ["afp"]),
        ("Text. (Foto: Symbolbild) (dpa)", "Text. (Foto: Symbolbild)", ["dpa"]),
        ("Mehr: &lt;Fortsetzung folgt&gt; (Reuters)", "Mehr: &lt;Fortsetzung folgt&gt;", ["rtr"]),
    ],
)  # fmt: skip
def test_a_trailing_credit_after_a_sentence_becomes_source_codes(body, rest, codes):
    credit = take_credit(body, VOCAB)
    assert (credit.body, credit.codes, credit.warnings) == (rest, codes, [])


@pytest.mark.parametrize(
    "body",
    [
        "Das Museum bleibt geschlossen. (Foto: Symbolbild)",
        "Die Lage ist unübersichtlich. (Stand: 12 Uhr)",
        "Geehrt wurde ein Veteran. (Jahrgang 1960)",
        "Es geht um den Vertrag (New START)",  # not after the end of a sentence
        "Das meldete die Agentur (dpa)",  # idem: a credit follows a finished sentence
        "Text (dpa) steht hier. Und dann geht es weiter.",  # not at the end
        "Text ohne Klammer.",
    ],
)
def test_other_parentheses_stay_in_the_body(body):
    credit = take_credit(body, VOCAB)
    assert (credit.body, credit.codes) == (body, [])


@pytest.mark.parametrize(
    ("body", "named"),
    [("Text. (TASS)", "'TASS'"), ("Text. (dpa/Interfax)", "'Interfax'"), ("Text. (sid)", "'sid'"),
     ("Text. (Interfax, AFP)", "'Interfax'")],
)  # fmt: skip
def test_a_credit_naming_an_unknown_source_is_an_error_naming_it(body, named):
    with pytest.raises(CreditError, match=named):
        take_credit(body, VOCAB)


def test_a_single_unknown_name_in_parentheses_stays_with_a_warning():
    credit = take_credit("Die Agentur meldete Explosionen. (Interfax)", VOCAB)
    assert credit.body == "Die Agentur meldete Explosionen. (Interfax)"
    assert credit.codes == []
    assert "'(Interfax)'" in credit.warnings[0] and "sources.toml" in credit.warnings[0]


@pytest.mark.parametrize(
    ("names", "codes"),
    [(["Reuters"], ["rtr"]), (["(dpa/AFP)"], ["dpa", "afp"]), (["Quelle: AP"], ["ap"]),
     (["Associated Press", "AP"], ["ap"]), (["Katholische Nachrichten-Agentur"], ["kna"])],
)  # fmt: skip
def test_credit_fields_map_through_the_aliases(names, codes):
    assert resolve_names(names, VOCAB) == codes


def test_a_credit_field_with_an_unknown_name_is_an_error():
    with pytest.raises(CreditError, match="'Interfax'"):
        resolve_names(["Interfax"], VOCAB)
