"""With the build cache, citation files and the data export are only made again for
entries that changed (liveticker/output_memo.py, issue 7); the files stay those a cold
build makes, and a damaged output file is never trusted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from liveticker import citation, data_export, output_items
from liveticker.bench.measure import snapshot
from liveticker.bench.synth import write_archive
from liveticker.build import BuildFailed, build_site

CITATION_FILES = ("zitat.json", "zitat.bib")
DATA_FILES = ("daten/eintraege.jsonl", "daten/eintraege.csv")


@pytest.fixture
def site(tmp_path) -> tuple[Path, list[str], Path, Path]:
    """(content, entry paths, output, cache) of a built 40-entry archive."""
    content = tmp_path / "content"
    rels = write_archive(content, 40, seed=3)
    output, cache = tmp_path / "site", tmp_path / "cache"
    build_site(content, output, cache=cache)
    return content, rels, output, cache


@pytest.fixture
def made(monkeypatch) -> dict[str, int]:
    """How many CSL-JSON files and data records the builds make from now on."""
    counts = {"citations": 0, "records": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            counts[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(citation, "csl_json", counting("citations", citation.csl_json))
    monkeypatch.setattr(data_export, "record", counting("records", data_export.record))
    return counts


def memo_outputs(output: Path) -> dict[str, tuple]:
    return {name: stamp for name, stamp in snapshot(output).items()
            if name.endswith(CITATION_FILES) or name in DATA_FILES}  # fmt: skip


def contents(output: Path) -> dict[str, bytes]:
    return {name: (output / name).read_bytes() for name in memo_outputs(output)}


def cold(content: Path, tmp_path: Path, **overrides) -> Path:
    return build_site(content, tmp_path / "cold", overrides=overrides or None)


def test_rebuild_without_changes_makes_and_writes_none_of_these_files(site, made):
    content, _, output, cache = site
    before, data = memo_outputs(output), contents(output)
    build_site(content, output, cache=cache)
    assert memo_outputs(output) == before, "same bytes, same modification times"
    assert contents(output) == data
    assert made == {"citations": 0, "records": 0}


def test_editing_one_entry_remakes_exactly_its_files_and_lines(site, made, tmp_path):
    content, rels, output, cache = site
    before, data = memo_outputs(output), contents(output)
    path = content / rels[17]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^Title: (.*)$", r"Title: \1 (berichtigt)", text, count=1,
                           flags=re.M), encoding="utf-8")  # fmt: skip
    build_site(content, output, cache=cache)
    after = memo_outputs(output)
    folder = rels[17].removesuffix(".md")
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {f"{folder}/{name}" for name in CITATION_FILES} | set(DATA_FILES)
    assert made == {"citations": 1, "records": 1}
    (item,) = json.loads((output / folder / "zitat.json").read_text(encoding="utf-8"))
    assert item["title"].endswith("(berichtigt)")
    old_lines = data["daten/eintraege.jsonl"].splitlines()
    new_lines = (output / "daten/eintraege.jsonl").read_bytes().splitlines()
    differing = [json.loads(new)["id"] for old, new in zip(old_lines, new_lines, strict=True)
                 if old != new]  # fmt: skip
    assert differing == [folder]
    assert contents(output) == contents(cold(content, tmp_path))


@pytest.mark.parametrize("helper", [True, False], ids=["helper", "helper-fails"])
def test_damaged_or_deleted_files_are_made_again(site, tmp_path, helper, monkeypatch):
    """The citation files' stamps come from a helper process; if it fails, the build
    finds them itself."""
    if not helper:
        monkeypatch.setattr(output_items, "_HELPER", "raise SystemExit(1)")
    content, rels, output, cache = site
    data = contents(output)
    first, second = (rels[i].removesuffix(".md") for i in (3, 30))
    (output / first / "zitat.json").write_text("kaputt", encoding="utf-8")
    (output / second / "zitat.bib").unlink()
    jsonl = output / DATA_FILES[0]
    jsonl.write_bytes(jsonl.read_bytes()[:-20])
    build_site(content, output, cache=cache)
    assert contents(output) == data
    assert data == contents(cold(content, tmp_path))


def test_a_new_site_url_changes_the_files(site, tmp_path):
    content, rels, output, cache = site
    before = contents(output)
    build_site(content, output, cache=cache, overrides={"SITEURL": "https://chronik.example"})
    after = contents(output)
    assert all(after[name] != before[name] for name in before)
    folder = rels[0].removesuffix(".md")
    (item,) = json.loads(after[f"{folder}/zitat.json"])
    assert item["URL"] == f"https://chronik.example/{folder}/"
    record = json.loads(after[DATA_FILES[0]].splitlines()[-1])
    assert record["url"].startswith("https://chronik.example/")
    assert after == contents(cold(content, tmp_path, SITEURL="https://chronik.example"))


def export_ids(output: Path) -> tuple[list[str], list[str]]:
    """The entry ids in the JSON Lines file and in the CSV file, in order."""
    jsonl = data_export.read_jsonl((output / DATA_FILES[0]).read_text(encoding="utf-8"))
    csv = data_export.read_csv((output / DATA_FILES[1]).read_text(encoding="utf-8"))
    return [r["id"] for r in jsonl], [r["id"] for r in csv]


def test_adding_and_deleting_entries_rewrites_the_export_in_place(site, made, tmp_path):
    content, rels, output, cache = site
    ids, _ = export_ids(output)
    newest = max(rels).rsplit("/", 1)[0]
    (content / newest / "2359-nachtrag.md").write_text(
        f"Title: Nachtrag zur Nacht\nDate: {newest.replace('/', '-')} 23:59\n"
        "Tags: Diplomatie\nSource: dpa\n\nEin Nachtrag kurz vor Mitternacht.\n",
        encoding="utf-8",
    )
    (content / rels[20]).unlink()
    build_site(content, output, cache=cache)
    assert made["records"] == 1
    expected = [f"{newest}/2359-nachtrag", *(i for i in ids if i != rels[20].removesuffix(".md"))]
    assert export_ids(output) == (expected, expected)
    assert sorted(p.name for p in (output / "daten").iterdir()) == [
        "eintraege.csv", "eintraege.jsonl", "index.html"]  # fmt: skip
    assert contents(output) == contents(cold(content, tmp_path))


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_export_files_damaged_without_changing_their_size_are_repaired(site, cached, tmp_path):
    content, _, output, cache = site
    data = contents(output)
    for name in DATA_FILES:
        raw = (output / name).read_bytes()
        (output / name).write_bytes(raw[:1000] + raw[1000:2000].upper() + raw[2000:])
    build_site(content, output, cache=cache if cached else None)
    assert contents(output) == data


def test_a_rebuild_without_cache_keeps_unchanged_export_files_untouched(site):
    content, _, output, _ = site
    before = memo_outputs(output)
    build_site(content, output)
    after = memo_outputs(output)
    assert {name: after[name] for name in DATA_FILES} == {name: before[name] for name in DATA_FILES}


def test_a_failing_export_leaves_the_last_files_in_place(site, monkeypatch):
    content, rels, output, cache = site
    data = contents(output)
    (content / rels[5]).write_text((content / rels[5]).read_text("utf-8") + "\nMehr.\n", "utf-8")

    def failing(*args, **kwargs):
        raise RuntimeError("Datenexport abgebrochen")

    monkeypatch.setattr(data_export, "record", failing)
    with pytest.raises(BuildFailed, match="Datenexport abgebrochen"):
        build_site(content, output, cache=cache)
    assert {name: (output / name).read_bytes() for name in DATA_FILES} == {
        name: data[name] for name in DATA_FILES}  # fmt: skip
    assert sorted(p.name for p in (output / "daten").iterdir()) == [
        "eintraege.csv", "eintraege.jsonl", "index.html"]  # fmt: skip


def test_a_new_entry_makes_only_its_citations_and_a_damaged_one_is_made_again(site, made, tmp_path):
    content, rels, output, cache = site
    before = memo_outputs(output)
    newest = max(rels).rsplit("/", 1)[0]
    (content / newest / "2359-nachtrag.md").write_text(
        f"Title: Nachtrag zur Nacht\nDate: {newest.replace('/', '-')} 23:59\n"
        "Tags: Diplomatie\nSource: dpa\n\nEin Nachtrag kurz vor Mitternacht.\n",
        encoding="utf-8",
    )
    damaged = rels[10].removesuffix(".md")
    (output / damaged / "zitat.bib").write_text("kaputt", encoding="utf-8")
    build_site(content, output, cache=cache)
    after = memo_outputs(output)
    changed = {name for name in after if before.get(name) != after[name]}
    added = {f"{newest}/2359-nachtrag/{name}" for name in CITATION_FILES}
    assert changed == added | {f"{damaged}/zitat.bib"} | set(DATA_FILES)
    assert made == {"citations": 2, "records": 1}
    assert contents(output) == contents(cold(content, tmp_path))


def test_an_edit_that_changes_no_output_keeps_the_export_files_untouched(site, made):
    content, rels, output, cache = site
    before = memo_outputs(output)
    path = content / rels[17]
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    build_site(content, output, cache=cache)
    assert made == {"citations": 1, "records": 1}, "the entry's key changed"
    assert memo_outputs(output) == before, "same bytes, same files"
