"""Writing output files so that unchanged files keep their bytes and modification time."""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, data: str | bytes) -> bool:
    """Write `data` unless the file already holds exactly it. Returns True if written."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    try:
        if path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return True
