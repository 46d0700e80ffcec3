"""Property: entries written out as ticker text (ntv, plain) and imported again come
back unchanged - title, body paragraphs, day, time, sources, order."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import_support import run_import, written

from liveticker.entry import Entry
from liveticker.importers.topics import suggest
from liveticker.vocab import load_vocabulary

VOCAB = load_vocabulary()
NOUNS = ["Haus", "Stadt", "Bericht", "Abend", "Morgen", "Wetter", "Straße", "Brücke",
         "Schule", "Zeitung", "Garten", "Fenster", "Tisch", "Buch", "Bahn", "Markt",
         "Regen", "Sonne", "Wald", "Fluss", "Platz", "Kirche", "Dorf", "Öffnung"]  # fmt: skip
OTHER = ["und", "mit", "über", "nach", "heute", "gestern", "wieder", "neu", "groß",
         "ruhig", "12", "60.000", "3,5", "–", "&", "„schön“", "(etwa 20)", "Prozent,",
         "laut", "dort:", "20%", "A/B"]  # fmt: skip
CREDIT_NAMES = {"dpa": "dpa", "afp": "AFP", "rtr": "Reuters", "ap": "AP", "kna": "KNA"}
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


def test_the_word_pool_suggests_no_topic():
    assert suggest(" ".join(NOUNS + OTHER), "", VOCAB) == []


def sentence(ends: str):
    rest = st.lists(st.sampled_from(NOUNS + OTHER), min_size=1, max_size=12)
    return st.tuples(st.sampled_from(NOUNS), rest, st.sampled_from(ends)).map(
        lambda t: " ".join([t[0], *t[1]]) + t[2]
    )


# A paragraph ends like a sentence (`.`/`!`): a short line ending in `?` is a title to
# the plain format by design (see liveticker/importers/plain.py).
paragraph = st.tuples(st.lists(sentence(".!?"), max_size=2), sentence(".!")).map(
    lambda t: " ".join([*t[0], t[1]])
)
title = st.tuples(
    st.lists(st.sampled_from(NOUNS + OTHER[:10]), min_size=1, max_size=8),
    st.sampled_from(["", "?", " – „neu“", ": ruhig"]),
).map(lambda t: " ".join(t[0]) + t[1])
sources = st.lists(st.sampled_from(list(CREDIT_NAMES)), unique=True, max_size=2).map(tuple)


@st.composite
def entries(draw, timed: bool):
    day = draw(st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)))
    items = draw(st.lists(
        st.tuples(title, st.lists(paragraph, min_size=1, max_size=3), sources,
                  st.times().map(lambda t: t.replace(second=0, microsecond=0))),
        min_size=1, max_size=6, unique_by=lambda i: " ".join(i[1]),
    ))  # fmt: skip
    return [
        Entry(day=day, time=time if timed else None, title=name.strip(),
              body="\n\n".join(paras), sources=codes)
        for name, paras, codes, time in items
    ]  # fmt: skip


def as_text(entry: Entry) -> str:
    """The body as a ticker shows it, with the credit after the last sentence."""
    credit = "/".join(CREDIT_NAMES[c] for c in entry.sources)
    return entry.body + (f" ({credit})" if credit else "")


def reimport(text: str, day: dt.date) -> list[Entry]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ticker.txt"
        source.write_text(text, encoding="utf-8")
        run_import(str(source), date=day.isoformat(), content=Path(folder) / "content")
        return [e for _, e in sorted(written(Path(folder) / "content").items())]


def comparable(entry: Entry) -> tuple:
    return (entry.day, entry.time, entry.title, entry.body, entry.sources, entry.topics)


@SETTINGS
@given(entries(timed=True))
def test_ntv_round_trip(items):
    text = "Liveticker\n\n" + "".join(
        f"+++ {e.time:%H:%M} {e.title} +++\n{as_text(e)}\n\n" for e in items
    )
    back = reimport(text, items[0].day)
    assert sorted(map(comparable, back)) == sorted(map(comparable, items))


@SETTINGS
@given(entries(timed=False))
def test_plain_round_trip(items):
    text = "".join(f"{e.title}\n\n{as_text(e)}\n\n" for e in items)
    back = reimport(text, items[0].day)
    assert list(map(comparable, back)) == list(map(comparable, items))  # source order kept
