"""`invoke import` end to end: the real task, run as a contributor runs it."""

from __future__ import annotations

import subprocess
import sys

from test_import_support import DATA, ROOT, SEED, files


def invoke(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "invoke", "import", *args], cwd=ROOT,
                          input=stdin, capture_output=True, check=False)  # fmt: skip


def test_import_writes_files_and_prints_each_path_and_a_summary(tmp_path):
    done = invoke(str(DATA / "mdr-2025-04-07.txt"), "--content", str(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert lines[:3] == [
        f"wrote {tmp_path}/2025/04/07/1830-wadephul-telefoniert-mit-sybiha.md",
        f"wrote {tmp_path}/2025/04/07/1745-museum-in-odessa-beschaedigt.md",
        f"wrote {tmp_path}/2025/04/07/1620-veteran-erhaelt-orden.md",
    ]
    assert lines[-1] == "Imported 3 items (mdr): 3 written, 0 already present."
    assert len(files(tmp_path)) == 3


def test_import_reads_standard_input_and_a_second_run_writes_nothing(tmp_path):
    args = ("-", "--date", "2025-02-09", "--content", str(tmp_path))
    first = invoke(*args, stdin=SEED.read_bytes())
    assert first.returncode == 0, first.stderr.decode()
    before = files(tmp_path)
    assert len(before) == 8
    second = invoke(*args, stdin=SEED.read_bytes())
    assert second.returncode == 0
    assert "Nothing new: all 8 items (plain) are already in" in second.stdout.decode()
    assert files(tmp_path) == before


def test_dry_run_writes_nothing(tmp_path):
    done = invoke(str(DATA / "ntv-2025-04-07.txt"), "--content", str(tmp_path), "--dry-run")
    assert done.returncode == 0
    assert done.stdout.decode().count("would write ") == 6
    assert files(tmp_path) == {}


def test_a_failed_import_exits_non_zero_names_the_items_and_writes_nothing(tmp_path):
    done = invoke(str(DATA / "ntv-unknown-credit.txt"), "--date", "2025-04-07",
                  "--content", str(tmp_path))  # fmt: skip
    assert done.returncode == 1
    error = done.stderr.decode()
    assert error.startswith("Import failed, nothing written:\n")
    assert "item 1 'Moskau meldet Abschuss von Drohnen': the credit '(dpa/Interfax)'" in error
    assert "item 2 'Angriff auf Belgorod': the credit '(TASS)' names 'TASS'" in error
    assert files(tmp_path) == {}


def test_an_unrecognised_source_exits_non_zero_listing_the_formats(tmp_path):
    done = invoke(str(DATA / "unrecognised.txt"), "--content", str(tmp_path))
    assert done.returncode == 1
    assert "pass --format with one of ntv, mdr, plain, html, jsonld" in done.stderr.decode()


def test_all_options_reach_the_importer(tmp_path):
    done = invoke(str(DATA / "html-selectors.html"), "--content", str(tmp_path),
                  "--format", "html", "--date", "2025-03-25", "--tags", "Europa",
                  "--source", "dpa", "--selectors",
                  "entry=div.tick,title=h3.hl,time=.zeit,body=.txt p,source=.quelle")  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    text = files(tmp_path)["2025/03/25/1205-stromausfall-in-cherson.md"]
    assert "Source: dpa\n" in text and "Europa" in text.split("\n")[2]


def test_a_missing_file_is_reported(tmp_path):
    done = invoke(str(tmp_path / "nope.txt"), "--content", str(tmp_path))
    assert done.returncode == 1
    assert "nope.txt: no such file" in done.stderr.decode()
