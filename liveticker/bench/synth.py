"""A seeded synthetic archive: realistic German ticker entries in real entry files.

Words are drawn by Zipf frequency from `words_de.tsv` (see wordlist.py), mixed with
the ticker's own vocabulary (places, people, compounds such as `Raketenangriffe`) in
inflected forms. The same `entries` and `seed` always give byte-identical files; a
smaller archive is a prefix (the same first days) of a larger one.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from liveticker.entry import Entry
from liveticker.entry_file import file_name, format_entry, relative_dir
from liveticker.vocab import PROJECT_CONTENT, SOURCES_FILE, TOPICS_FILE, load_vocabulary

from .wordlist import WORDS_FILE

FIRST_DAY = dt.date(2022, 2, 24)
PER_DAY = (30, 90)
UNTIMED_DAY_SHARE = 0.05
BODY_WORDS = (60, 200)
DOMAIN_SHARE = 0.12  # share of body words taken from the ticker vocabulary



def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The ticker's own words: names and places (inflected where German does it) and
# compounds built from a modifier and an inflected head.
NAMES = _words("""Selenskyj Selenskyjs Putin Putins Trump Trumps Kiew Moskau Charkiw Cherson
Odessa Saporischschja Donezk Luhansk Pokrowsk Bachmut Kursk Belgorod Krim Sewastopol
Lawrow Peskow Syrskyj Sybiha Scholz Merz Macron Starmer Rutte Kallas Biden Rubio Witkoff
Nato EU UN Kreml Kremls Pentagon Washington Brüssel Berlin Genf Istanbul Minsk Lukaschenko
Nordkorea Nordkoreaner China Peking Iran Polen Ungarn Orban Rotes Kreuz IAEA Grossi
Tschernobyl Energoatom Naftogaz Gazprom Rosatom Schoigu Gerassimow Belousow Budanow
Dnipro Mykolajiw Sumy Tschernihiw Schytomyr Lwiw Winnyzja Kramatorsk Slowjansk Awdijiwka
""")
PLAIN = _words("""Angriff Angriffe Angriffen Angriffs Verhandlung Verhandlungen Flüchtling
Flüchtlinge Flüchtlingen Waffenruhe Waffenstillstand Front Fronten Truppen Soldaten Soldat Offensive
Gegenoffensive Drohne Drohnen Rakete Raketen Luftalarm Gefangene Gefangenen Gefangenenaustausch
Sanktionen Sanktionspaket Präsident Präsidenten Regierungschef Außenminister Verteidigungsminister
Verteidigungsministerium Generalstab Militär Armee Streitkräfte Ortschaft Ortschaften Gebiet
Gebiets Region Regionen Stromnetz Kraftwerk Kraftwerke Atomkraftwerk Infrastruktur Hilfe
Hilfen Milliarden Millionen Euro Dollar Opfer Tote Verletzte Verletzten Zivilisten Behörden
Gouverneur Bürgermeister Angaben Berichten zufolge demnach eigenen Straße Straßen Beratung
Ratifizierung Sicherheitsrat Friedensplan Friedensgespräche Gipfel Gipfeltreffen Telefonat
""")
MODIFIERS = _words("""Raketen Drohnen Luft Panzer Energie Friedens Waffen Kampf Grenz Flugabwehr
Munitions Artillerie Gas Strom Marine Sicherheits Kriegs Militär Hilfs Sanktions""")
HEADS = [("angriff", "angriffe", "angriffen"), ("abwehr", "abwehr", "abwehr"),
         ("lieferung", "lieferungen", "lieferungen"), ("verhandlung", "verhandlungen",
         "verhandlungen"), ("system", "systeme", "systemen"), ("einheit", "einheiten",
         "einheiten"), ("anlage", "anlagen", "anlagen"), ("paket", "pakete", "paketen"),
         ("gebiet", "gebiete", "gebieten"), ("konvoi", "konvois", "konvois")]  # fmt: skip
MINUTES = 24 * 60


@dataclass(frozen=True)
class Vocabulary:
    """The words to draw from, with cumulative weights for Zipf sampling."""

    words: tuple[str, ...]
    cumulative: tuple[float, ...]
    domain: tuple[str, ...]

    def body_words(self, rng: random.Random, count: int) -> list[str]:
        drawn = rng.choices(self.words, cum_weights=self.cumulative, k=count)
        for i in range(count):
            if rng.random() < DOMAIN_SHARE:
                drawn[i] = rng.choice(self.domain)
        return drawn


def load_words(path: Path = WORDS_FILE) -> Vocabulary:
    words, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, zipf = line.split("\t")
            words.append(word)
            weights.append(10 ** float(zipf))
    compounds = [m + h for m in MODIFIERS for forms in HEADS for h in forms]
    return Vocabulary(tuple(words), tuple(accumulate(weights)),
                      (*NAMES, *PLAIN, *sorted(set(compounds))))  # fmt: skip


def sentence(rng: random.Random, vocab: Vocabulary, words: int) -> str:
    drawn = vocab.body_words(rng, words)
    drawn[0] = drawn[0][:1].upper() + drawn[0][1:]
    for i in range(2, words - 1, 6):
        if rng.random() < 0.3:
            drawn[i] += ","
    return " ".join(drawn) + rng.choice(".....?")


def body(rng: random.Random, vocab: Vocabulary) -> str:
    total = rng.randint(*BODY_WORDS)
    paragraphs, current, left = [], [], total
    while left > 0:
        n = min(left, rng.randint(8, 22))
        current.append(sentence(rng, vocab, max(n, 3)))
        left -= n
        if rng.random() < 0.3 or left <= 0:
            paragraphs.append(" ".join(current))
            current = []
    if rng.random() < 0.05:  # a little Markdown, as in real entries
        paragraphs.append(f"Mehr dazu im [Bericht](https://example.org/{rng.randint(1, 10**6)}).")
    if rng.random() < 0.03:
        paragraphs.append("\n".join(f"- {sentence(rng, vocab, 5)}" for _ in range(3)))
    return "\n\n".join(paragraphs)


def title(rng: random.Random, vocab: Vocabulary) -> str:
    words = vocab.body_words(rng, rng.randint(4, 9))
    words[rng.randrange(len(words))] = rng.choice(vocab.domain)
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def days_needed(entries: int) -> int:
    return entries // PER_DAY[0] + 1


def first_day(entries: int, today: dt.date | None = None) -> dt.date:
    """2022-02-24, or earlier for an archive that would otherwise reach the future."""
    latest_start = (today or dt.date.today()) - dt.timedelta(days=days_needed(entries) + 1)
    return min(FIRST_DAY, latest_start)


@dataclass(frozen=True)
class Synthetic:
    rel: str  # path relative to the content folder
    entry: Entry


def synthesize(entries: int, seed: int = 1, start: dt.date | None = None):
    """Yield `entries` synthetic entries, oldest day first."""
    rng = random.Random(seed)
    vocab = load_words()
    project = load_vocabulary(PROJECT_CONTENT)
    topics = [t.name for t in project.topics]
    topic_weights = list(accumulate(1 / (rank + 1) for rank in range(len(topics))))
    sources = [s.code for s in project.sources]
    day = start or first_day(entries)
    made = 0
    while made < entries:
        count = min(rng.randint(*PER_DAY), entries - made)
        untimed = rng.random() < UNTIMED_DAY_SHARE
        minutes = sorted(rng.sample(range(6 * 60, MINUTES), count))
        names: set[str] = set()
        for position, minute in enumerate(minutes, 1):
            picked = {topics[bisect(topic_weights, rng.random() * topic_weights[-1])]
                      for _ in range(rng.randint(1, 3))}  # fmt: skip
            entry = Entry(
                day=day,
                time=None if untimed else dt.time(minute // 60, minute % 60),
                title=title(rng, vocab),
                body=body(rng, vocab),
                topics=tuple(sorted(picked, key=topics.index)),
                sources=tuple(sorted(rng.sample(sources, rng.choice((1, 1, 1, 2))))),
            )
            name = file_name(entry, position)
            while name in names:
                name = name[:-3] + "-2.md"
            names.add(name)
            made += 1
            yield Synthetic(f"{relative_dir(entry)}/{name}", entry)
        day += dt.timedelta(days=1)


def write_archive(folder: Path, entries: int, seed: int = 1) -> list[str]:
    """Write a synthetic archive with its vocabulary files into `folder` (created);
    returns the relative paths of the entry files, oldest first."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in (TOPICS_FILE, SOURCES_FILE):
        shutil.copyfile(PROJECT_CONTENT / name, folder / name)
    written = []
    for item in synthesize(entries, seed):
        path = folder / item.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(format_entry(item.entry), encoding="utf-8")
        written.append(item.rel)
    return written


def extra_entry(archive: list[str], seed: int = 1) -> Synthetic:
    """One more entry for the newest day, later than all its others (the `add one
    entry` scenario: what the ticker does all day)."""
    rng = random.Random(f"{seed}-extra")
    vocab = load_words()
    last = archive[-1]
    day = dt.date(*map(int, last.split("/")[:3]))
    entry = Entry(day=day, time=dt.time(23, 59), title=title(rng, vocab), body=body(rng, vocab),
                  topics=("Luftkrieg", "Diplomatie"), sources=("dpa",))  # fmt: skip
    return Synthetic(f"{relative_dir(entry)}/{file_name(entry)}", entry)
