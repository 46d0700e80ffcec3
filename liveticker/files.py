"""Writing output files so that unchanged files keep their bytes and modification time."""

from __future__ import annotations

import os
from pathlib import Path

_recorded: set[str] | None = None


def record_outputs() -> set[str]:
    """From now on, note the absolute path of every file passed to write_if_changed
    (written or already up to date) in the returned set; the build uses it to tell
    current output files from stale ones."""
    global _recorded
    _recorded = set()
    return _recorded


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write `data` unless the file already holds exactly it. Returns True if written."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    if _recorded is not None:
        _recorded.add(os.path.abspath(path))
    try:
        if path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return True
