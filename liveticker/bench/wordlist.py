"""Regenerate `words_de.tsv`, the German vocabulary of the synthetic archive.

The shipped file is derived from two registry packages, so `invoke bench` needs
neither at run time:

- wordfreq 3.1.1 (data CC BY-SA 4.0, Robyn Speer et al.): the 20,000 most frequent
  German words with their Zipf frequency (log10 of occurrences per billion words);
- german-nouns 1.2.5 (Wiktionary data, CC BY-SA 4.0): which of them are nouns, so
  that nouns are capitalised as in real German text.

Regenerate (only when changing the list): `pip install wordfreq german-nouns`, then
`python -m liveticker.bench.wordlist`. The output is sorted by frequency and stable.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("words_de.tsv")
SIZE = 20_000
_WORD = re.compile(r"[a-zäöüß]{2,}")
# Frequent function words and verbs that Wiktionary also lists as nominalised nouns
# ("das Aber", "das Ich", "das Heute"): in running text they are lowercase.
_NOT_NOUNS = frozenset(str.split("""
die ist von aber ich es für im sie des als er bei wie aus du wenn oder werden man haben
einer habe ja mehr mir sein mal jetzt können muss unter gut gegen seine viel ab etwas
waren zwei soll selbst heute nichts würde ob gerade neue ersten hast wohl drei wollen
bitte sehen sagen deutschen wegen gehen danke neuen dies gute werde tun deutsche erste
grosse grossen wissen letzten nein ganze guten kleine gewesen glaube ganzen leider
würden besten bleiben halt halten kleinen alten zweiten aller hoch letzte los beste
denke niemand bisschen denken laut lesen neues super rein alt all fest liegen fahren
suchen folgen kosten leben essen spielen arbeiten stellen schreiben treffen fragen
morgen abend recht gegenüber rund vier fünf sechs sieben acht neun zehn hundert
"""))
HEADER = (
    "# German word frequencies for the synthetic benchmark archive: word<TAB>zipf.\n"
    "# Derived from wordfreq 3.1.1 (CC BY-SA 4.0) and german-nouns 1.2.5 (Wiktionary,\n"
    "# CC BY-SA 4.0); see liveticker/bench/wordlist.py. Licence: CC BY-SA 4.0.\n"
)


def noun_forms() -> set[str]:
    """Lowercased inflected forms of real nouns (letters, symbols and adjectival
    nominalisations excluded)."""
    from german_nouns.config import CSV_FILE_PATH

    forms: set[str] = set()
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        next(rows)
        for row in rows:
            pos = row[1].split(",")
            if "Substantiv" not in pos or len(pos) > 1 or len(row[0]) < 3:
                continue
            forms.update(v.lower() for v in row[7:] if v[:1].isupper() and " " not in v)
    return forms


def build_list(size: int = SIZE) -> list[tuple[str, float]]:
    import wordfreq

    nouns = noun_forms()
    words = []
    for word in wordfreq.top_n_list("de", size * 3):
        if not _WORD.fullmatch(word):
            continue
        cased = word.capitalize() if word in nouns and word not in _NOT_NOUNS else word
        words.append((cased, wordfreq.zipf_frequency(word, "de")))
        if len(words) == size:
            break
    return words


def main() -> None:
    rows = "".join(f"{word}\t{zipf:.2f}\n" for word, zipf in build_list())
    WORDS_FILE.write_text(HEADER + rows, encoding="utf-8")
    print(f"wrote {WORDS_FILE}")


if __name__ == "__main__":
    main()
