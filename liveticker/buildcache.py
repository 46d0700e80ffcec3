"""The build cache folder (`invoke build --cache DIR`, default `.cache/`): fingerprints
and atomic pickle files for the build's incremental state.

Everything in the cache is an optimisation: deleting the folder gives the same site,
only slower. Each state file records the fingerprint of what produced it (the code,
the theme, the settings) and is ignored when that changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CODE_DIRS = (PROJECT / "liveticker", PROJECT / "plugins")
FORMAT = 1  # bump to drop every existing cache file


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def tree_fingerprint(*folders: Path, suffixes: tuple[str, ...] = ()) -> str:
    """Digest of the names and bytes of every file below `folders` (optionally only
    with the given suffixes), in a stable order."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if "__pycache__" in path.parts or not path.is_file():
                continue
            if suffixes and path.suffix not in suffixes:
                continue
            h.update(path.relative_to(folder).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def code_fingerprint() -> str:
    """The project's code and data files (liveticker/, plugins/): any change to them
    drops every cache made with this fingerprint. Coarser than tracking imports, but
    a build reads ~100 small files instead of parsing them (which cost 0.1-0.2 s per
    build), and code changes are rare next to content changes."""
    return tree_fingerprint(*CODE_DIRS, suffixes=(".py", ".toml", ".tsv", ".json"))


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


# Settings that say where this run keeps things or how it caches, not what it builds.
RUN_SETTINGS = ("PATH", "OUTPUT_PATH", "CACHE_PATH", "CACHE_CONTENT", "LOAD_CONTENT_CACHE",
                "CONTENT_CACHING_LAYER", "GZIP_CACHE", "ENTRY_READER",
                "INCREMENTAL_WRITER")  # fmt: skip


def settings_fingerprint(settings: dict, ignore: tuple[str, ...] = ()) -> str:
    """Digest of the settings' values (object addresses removed), without RUN_SETTINGS
    and `ignore`."""
    skip = RUN_SETTINGS + ignore
    items = sorted((k, v) for k, v in settings.items() if k.isupper() and k not in skip)
    return digest(_ADDRESS.sub("", repr(items)))


def output_state_dir(cache: Path | str, output: Path | str) -> Path:
    """The folder of the build cache that holds the state kept for one output folder
    (incremental_writer's page keys and manifest, the plugins' output memos)."""
    return Path(cache) / f"output-{folder_key(output)}"


def folder_key(path: Path) -> str:
    """A short name for a content or output folder, for per-folder state files."""
    return digest(str(Path(path).resolve()))[:12]


def load(path: Path, fingerprint: str):
    """The object stored at `path` with this fingerprint, else None."""
    try:
        with open(path, "rb") as file:
            stored_format, stored_fingerprint, value = pickle.load(file)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError,
            AttributeError, ImportError):  # fmt: skip
        return None
    if stored_format != FORMAT or stored_fingerprint != fingerprint:
        return None
    return value


def save(path: Path, fingerprint: str, value) -> None:
    """Store atomically: a crash never leaves a half-written state file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            pickle.dump((FORMAT, fingerprint, value), file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
