"""Helpers shared by the import tests (this module holds no tests)."""

from __future__ import annotations

from pathlib import Path

from liveticker.entry import Entry
from liveticker.importers import run_import
from liveticker.validate import check_tree

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/data/import"
SEED = ROOT.parent / "shared/seed/newsblog-2025-02-09.txt"
SEED_DAY = ROOT / "content/2025/02/09"


def import_fixture(content: Path, fixture: str, **options) -> list[str]:
    """Import a fixture from tests/data/import into `content`; returns the report."""
    return run_import(str(DATA / fixture), content=content, **options)


def written(content: Path) -> dict[str, Entry]:
    """Every entry file below `content`, read back through the validator."""
    if not content.exists():
        return {}
    entries, problems = check_tree(content)
    assert not [p for p in problems if p.is_error], [str(p) for p in problems]
    return {checked.path: checked.entry for checked in entries}


def files(content: Path) -> dict[str, str]:
    """Relative path -> text of every file below `content`."""
    if not content.exists():
        return {}
    return {
        p.relative_to(content).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(content.rglob("*"))
        if p.is_file()
    }
