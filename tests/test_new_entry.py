"""`invoke new`: a new entry at the right path with the right name, checked before it is
written, never overwriting; without a text it carries a placeholder the check rejects."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from conftest import ROOT, write_entry

from liveticker.entry import BERLIN
from liveticker.new_entry import NewEntryError, create_entry
from liveticker.validate import PLACEHOLDER, check_tree

NOW = dt.datetime(2025, 2, 9, 15, 42, tzinfo=BERLIN)


def test_a_timed_entry_is_written_as_hhmm_slug_with_the_canonical_text(content):
    made = create_entry(content, "Selenskyj: „Wir halten stand“", "2025-02-09 14:05",
                        "Innenpolitik Ukraine, Frontgeschehen", "dpa, afp",
                        body="Der Präsident äußert sich in Kiew.", now=NOW)  # fmt: skip
    assert made.path == content / "2025/02/09/1405-selenskyj-wir-halten-stand.md"
    assert made.path.read_text(encoding="utf-8") == (
        "Title: Selenskyj: „Wir halten stand“\nDate: 2025-02-09 14:05\n"
        "Tags: Innenpolitik Ukraine, Frontgeschehen\nSource: dpa, afp\n\n"
        "Der Präsident äußert sich in Kiew.\n"
    )
    assert not made.placeholder and made.warnings == ()
    assert check_tree(content, now=NOW)[1] == []


def test_an_untimed_entry_takes_the_next_position_of_the_day(content):
    write_entry(content, "2025/02/09/01-erste.md", "Title: Erste\nDate: 2025-02-09\n\nEins.\n")
    write_entry(content, "2025/02/09/02-zweite.md", "Title: Zweite\nDate: 2025-02-09\n\nZwei.\n")
    write_entry(content, "2025/02/09/1200-mittag.md", "Title: M\nDate: 2025-02-09 12:00\n\nM.\n")
    made = create_entry(content, "Dritte Meldung", "2025-02-09", body="Drei.", now=NOW)
    assert made.path.name == "03-dritte-meldung.md"


def test_the_default_date_is_now_in_berlin(content):
    made = create_entry(content, "Jetzt", tags="USA", body="Text.", now=NOW)
    assert made.path == content / "2025/02/09/1542-jetzt.md"


def test_without_a_text_the_placeholder_is_written_and_the_check_rejects_it(content):
    made = create_entry(content, "Luftalarm in Kiew", "2025-02-09 09:30", "Luftkrieg", now=NOW)
    assert made.placeholder
    assert made.path.read_text(encoding="utf-8").endswith(f"\n\n{PLACEHOLDER}\n")
    assert [str(p) for p in check_tree(content, now=NOW)[1]] == [
        "2025/02/09/0930-luftalarm-in-kiew.md:5: error: the body still holds the placeholder "
        "line written by `invoke new` - replace it with the text of the entry"
    ]


def test_missing_topics_are_written_with_the_checks_warning(content):
    made = create_entry(content, "Ohne Thema", "2025-02-09 09:30", body="Text.", now=NOW)
    assert made.warnings == ("warning: no topics: add `Tags: ...` with one or more topics "
                             "from content/topics.toml",)  # fmt: skip


@pytest.mark.parametrize(
    ("options", "message"),
    [({"tags": "Gefangne"},
      "error: unknown topic 'Gefangne' in field 'Tags' - did you mean 'Gefangene'?"),
     ({"source": "Reuters"},
      "error: unknown source 'Reuters' in field 'Source' - did you mean 'rtr'?"),
     ({"date": "2025-02-30 10:00"},
      "error: field 'Date' has the value '2025-02-30 10:00': February 2025 has no day 30 (it "
      "has 28 days) - correct the day or the month"),
     ({"date": "9.2.2025"},
      "error: field 'Date' has the value '9.2.2025', expected 'YYYY-MM-DD HH:MM' or "
      "'YYYY-MM-DD' - did you mean '2025-02-09'?"),
     ({"date": "2025-02-09 16:00"},
      "error: field 'Date' '2025-02-09 16:00' is in the future - entries record what has "
      "happened; correct the date (local time Europe/Berlin)"),
     ({"title": "  "}, 'error: --title is empty - pass --title "Die Überschrift"'),
     ({"title": "Zwei\nZeilen"}, "error: --title must be one line - remove the line breaks"),
     ({"body": "<script>alert(1)</script>"},
      "error: the body contains the HTML element <script>, which can run script or alter the "
      "page - remove it; entries are plain Markdown")],
)  # fmt: skip
def test_refused_like_the_check_and_nothing_is_written(content, options, message):
    arguments = {"title": "Austausch", "date": "2025-02-09 10:00", **options}
    with pytest.raises(NewEntryError) as refused:
        create_entry(content, now=NOW, **arguments)
    assert refused.value.problems == [message]
    assert list(content.rglob("*.md")) == []


def test_never_overwrites(content):
    first = create_entry(content, "Luftalarm", "2025-02-09 09:30", "Luftkrieg", body="Eins.",
                         now=NOW)  # fmt: skip
    with pytest.raises(NewEntryError) as refused:
        create_entry(content, "Luftalarm", "2025-02-09 09:30", "Luftkrieg", body="Zwei.", now=NOW)
    assert refused.value.problems == [
        f"error: {first.path} already exists - `invoke new` never overwrites; choose another "
        "title or time, or edit that file"
    ]
    assert first.path.read_text(encoding="utf-8").endswith("\n\nEins.\n")


def test_a_copy_of_another_entry_of_the_day_is_refused(content):
    text = "Title: Alarm\nDate: 2025-02-09 09:00\nTags: Luftkrieg\n\nSirenen in Kiew.\n"
    write_entry(content, "2025/02/09/0900-alarm.md", text)
    with pytest.raises(NewEntryError) as refused:
        create_entry(content, "Erneut", "2025-02-09 10:00", "Luftkrieg", body="Sirenen in Kiew.",
                     now=NOW)  # fmt: skip
    assert refused.value.problems == [
        f"error: the text of this entry is the same as in {content / '2025/02/09/0900-alarm.md'} "
        "(line 5) - remove one of the two entries"
    ]


def run_new(*args, cwd):
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "new", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def test_invoke_new_prints_the_path_and_refuses_unknown_topics(tmp_path):
    done = run_new("--title", "Gefangenenaustausch am Sonntag", "--date", "2025-02-09",
                   "--tags", "Gefangene,Diplomatie", "--source", "dpa", "--content", "content",
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "content/2025/02/09/01-gefangenenaustausch-am-sonntag.md\n"
    assert "replace the placeholder line" in done.stderr
    written = (tmp_path / done.stdout.strip()).read_text(encoding="utf-8")
    assert written.startswith("Title: Gefangenenaustausch am Sonntag\nDate: 2025-02-09\n"
                              "Tags: Gefangene, Diplomatie\nSource: dpa\n\n")  # fmt: skip
    refused = run_new("--title", "X", "--date", "2025-02-09", "--tags", "Gefangne",
                      "--content", "content", cwd=tmp_path)  # fmt: skip
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: unknown topic 'Gefangne' in field 'Tags' - did you mean 'Gefangene'?",
        "Nothing written.",
    ]
    assert len(list((tmp_path / "content").rglob("*.md"))) == 1


def test_invoke_new_reads_the_text_from_a_file(tmp_path):
    (tmp_path / "text.md").write_text("Ein Text mit Umlauten: Grüße.\n", encoding="utf-8")
    done = run_new("--title", "Grüße", "--date", "2025-02-09 08:15", "--tags", "Europa",
                   "--body-file", "text.md", "--content", "content", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "content/2025/02/09/0815-gruesse.md\n"
    assert done.stderr == ""
