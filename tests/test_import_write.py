"""The writer: the seed day reproduced, idempotence, naming, all or nothing, options."""

from __future__ import annotations

import shutil

import pytest
from test_import_support import SEED, SEED_DAY, files, import_fixture, run_import, written

from liveticker.importers import ImportFailed
from liveticker.validate import check_entry_text
from liveticker.vocab import load_vocabulary


def test_importing_the_seed_file_reproduces_the_seed_day(tmp_path):
    run_import(str(SEED), date="2025-02-09", content=tmp_path)
    vocab = load_vocabulary()
    expected = []
    for path in sorted(SEED_DAY.glob("*.md")):
        checked, _ = check_entry_text(path.read_text("utf-8"), f"2025/02/09/{path.name}", vocab)
        expected.append((checked.path, checked.entry.title, checked.entry.body,
                         checked.entry.sources, checked.entry.day, checked.entry.time))  # fmt: skip
    got = [(path, e.title, e.body, e.sources, e.day, e.time)
           for path, e in sorted(written(tmp_path).items())]  # fmt: skip
    assert len(expected) == 8
    assert got == expected


def test_topic_suggestions_include_every_hand_chosen_seed_topic(tmp_path):
    run_import(str(SEED), date="2025-02-09", content=tmp_path)
    vocab = load_vocabulary()
    for path, entry in written(tmp_path).items():
        seed_text = (SEED_DAY / path.rsplit("/", 1)[1]).read_text("utf-8")
        checked, _ = check_entry_text(seed_text, path, vocab)
        assert checked.entry.topics
        assert set(checked.entry.topics) <= set(entry.topics), path


def test_importing_the_same_source_twice_writes_nothing_new(tmp_path):
    first = import_fixture(tmp_path, "ntv-2025-04-07.txt")
    before = files(tmp_path)
    second = import_fixture(tmp_path, "ntv-2025-04-07.txt")
    assert files(tmp_path) == before
    assert not [line for line in second if line.startswith("wrote")]
    assert second[-1].startswith("Nothing new: all 7 items (ntv) are already in")
    assert len([line for line in first if line.startswith("wrote")]) == 6


def test_the_seed_itself_is_already_present(tmp_path):
    shutil.copytree(SEED_DAY, tmp_path / "2025/02/09")
    report = run_import(str(SEED), date="2025-02-09", content=tmp_path)
    assert report[-1].startswith("Nothing new: all 8 items (plain)")


def test_untimed_items_are_numbered_after_the_existing_ones_in_source_order(tmp_path):
    shutil.copytree(SEED_DAY, tmp_path / "2025/02/09")
    import_fixture(tmp_path, "plain-awkward.txt", date="2025-02-09")
    names = sorted(p.name for p in (tmp_path / "2025/02/09").iterdir())
    assert names[8:] == [
        "09-was-plant-putin-nach-dem-telefonat.md",
        "10-selenskyj-wir-brauchen-taurus.md",
        "11-kurze-meldung-aus-charkiw.md",
        "12-lage-in-saporischschja-ruhig.md",
    ]


def test_a_different_item_with_a_taken_name_gets_a_new_name(tmp_path):
    content = tmp_path / "content"
    import_fixture(content, "ntv-2025-04-07.txt")
    source = tmp_path / "more.txt"
    source.write_text("+++ 19:30 Papst ruft zu Waffenruhe auf +++\nNeuer Appell aus Rom. (KNA)\n")
    report = run_import(str(source), date="2025-04-07", content=content)
    assert report[0] == f"wrote {content}/2025/04/07/1930-papst-ruft-zu-waffenruhe-auf-2.md"
    entries = written(content)
    assert entries["2025/04/07/1930-papst-ruft-zu-waffenruhe-auf-2.md"].body == (
        "Neuer Appell aus Rom."
    )
    assert entries["2025/04/07/1930-papst-ruft-zu-waffenruhe-auf.md"].body == (
        "Papst Franziskus hat erneut zu einer Waffenruhe in der Ukraine aufgerufen."
    )


def test_one_bad_item_means_nothing_is_written(tmp_path):
    with pytest.raises(ImportFailed) as failure:
        import_fixture(tmp_path, "ntv-unknown-credit.txt", date="2025-04-07")
    assert failure.value.problems == [
        "item 1 'Moskau meldet Abschuss von Drohnen': the credit '(dpa/Interfax)' names "
        "'Interfax', which is not a source in content/sources.toml; add it (or an alias) "
        "there, or remove the credit",
        "item 2 'Angriff auf Belgorod': the credit '(TASS)' names 'TASS', which is not a "
        "source in content/sources.toml; add it (or an alias) there, or remove the credit",
    ]
    assert files(tmp_path) == {}


def test_the_validator_of_invoke_check_runs_before_writing(tmp_path):
    with pytest.raises(ImportFailed) as failure:
        import_fixture(tmp_path, "plain-awkward.txt", date="2999-01-01")
    assert len(failure.value.problems) == 4
    assert failure.value.problems[0].startswith(
        f"item 1 'Was plant Putin nach dem Telefonat?': {tmp_path}/2999/01/01/"
        "01-was-plant-putin-nach-dem-telefonat.md:2: error: field 'Date' '2999-01-01' is in "
        "the future"
    )
    assert files(tmp_path) == {}


def test_the_same_text_under_another_title_is_a_duplicate_error(tmp_path):
    shutil.copytree(SEED_DAY, tmp_path / "2025/02/09")
    text = (SEED_DAY / "05-nordkoreaner-kaempfen-wieder-im-gebiet-kursk.md").read_text("utf-8")
    source = tmp_path / "copy.txt"
    source.write_text("Kämpfe in Kursk\n\n" + text.split("\n\n", 1)[1])
    with pytest.raises(ImportFailed, match=r"item 1 'Kämpfe in Kursk'.*same as in "
                       r"2025/02/09/05-nordkoreaner"):  # fmt: skip
        run_import(str(source), date="2025-02-09", content=tmp_path)
    assert len(list((tmp_path / "2025/02/09").iterdir())) == 8


def test_dry_run_writes_nothing_and_says_what_it_would_write(tmp_path):
    report = import_fixture(tmp_path, "mdr-2025-04-07.txt", dry_run=True)
    assert files(tmp_path) == {}
    assert report[0] == f"would write {tmp_path}/2025/04/07/1830-wadephul-telefoniert-mit-sybiha.md"
    assert (
        report[-1]
        == "Dry run: 3 items (mdr), 3 would be written, 0 already present; nothing written."
    )


def test_an_entry_without_topics_is_written_with_a_warning(tmp_path):
    report = import_fixture(tmp_path, "mdr-2025-04-07.txt")
    assert written(tmp_path)["2025/04/07/1745-museum-in-odessa-beschaedigt.md"].topics == ()
    assert (
        f"warning: item 2 'Museum in Odessa beschädigt': {tmp_path}/2025/04/07/"
        "1745-museum-in-odessa-beschaedigt.md:1: warning: no topics"
    ) in "\n".join(report)


def test_tags_and_source_options(tmp_path):
    import_fixture(tmp_path, "mdr-2025-04-07.txt", tags="humanitäre lage,Europa", source_code="dpa")
    entries = written(tmp_path)
    museum = entries["2025/04/07/1745-museum-in-odessa-beschaedigt.md"]
    assert museum.topics == ("Europa", "Humanitäre Lage")
    assert museum.sources == ("dpa",)  # no credit: --source applies
    assert entries["2025/04/07/1830-wadephul-telefoniert-mit-sybiha.md"].sources == ("rtr",)


@pytest.mark.parametrize(
    ("options", "message"),
    [({"tags": "Diplomacy"}, "--tags: unknown topic 'Diplomacy' - did you mean 'Diplomatie'?"),
     ({"source_code": "tass"}, "--source: unknown source 'tass'"),
     ({"date": "7.4.2025"}, "--date '7.4.2025' is not a date")],
)  # fmt: skip
def test_bad_options_are_explained(tmp_path, options, message):
    with pytest.raises(ImportFailed, match=message):
        import_fixture(tmp_path, "mdr-2025-04-07.txt", **options)
