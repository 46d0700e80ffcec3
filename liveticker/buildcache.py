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
# code the build never imports (tests/test_buildcache.py checks): editing the benchmark
# or an importer must not drop the caches - it did in the middle of a bench run
NOT_BUILD_CODE = (PROJECT / "liveticker" / "bench", PROJECT / "liveticker" / "importers")
FORMAT = 1  # bump to drop every existing cache file


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def _files(folder: str, suffixes: tuple[str, ...], skip: tuple[str, ...] = ()
           ) -> list[tuple[str, int, int]]:  # fmt: skip
    """(path, mtime_ns, size) of every file below `folder` with one of the suffixes
    (all if none), `__pycache__` and the folders `skip` left out, in a stable order."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if d != "__pycache__" and os.path.join(root, d) not in skip]
        for name in names:
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(root, name)
            stat = os.stat(path)
            found.append((path, stat.st_mtime_ns, stat.st_size))
    return sorted(found, key=lambda item: item[0].split(os.sep))


_known: dict[tuple, str] = {}  # stamps of a tree's files -> its fingerprint


def tree_fingerprint(*folders: Path, suffixes: tuple[str, ...] = (),
                     skip: tuple[Path, ...] = ()) -> str:  # fmt: skip
    """Digest of the names and bytes of every file below `folders` (optionally only with
    the given suffixes; without the folders `skip`), in a stable order. Files are read
    again only when their names, modification times or sizes changed (a build asks for
    the code's ~5 times; like Pelican's own cache, a rewrite within one tick of the file
    system's clock that keeps the size goes unnoticed)."""
    skipped = tuple(map(str, skip))
    listing = tuple((str(folder), tuple(_files(str(folder), suffixes, skipped)))
                    for folder in folders if os.path.isdir(folder))  # fmt: skip
    if listing in _known:
        return _known[listing]
    h = hashlib.blake2b(digest_size=16)
    for folder, files in listing:
        for path, _, _ in files:
            h.update(Path(path).relative_to(folder).as_posix().encode() + b"\0")
            h.update(Path(path).read_bytes() + b"\0")
    _known[listing] = h.hexdigest()
    return _known[listing]


def code_fingerprint() -> str:
    """The project's code and data files (liveticker/, plugins/, without NOT_BUILD_CODE):
    any change to them drops every cache made with this fingerprint. Coarser than
    tracking imports, but a build reads ~100 small files instead of parsing them (which
    cost 0.1-0.2 s per build), and code changes are rare next to content changes."""
    return tree_fingerprint(*CODE_DIRS, suffixes=(".py", ".toml", ".tsv", ".json"),
                            skip=NOT_BUILD_CODE)  # fmt: skip


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


# Settings that say where this run keeps things or how it caches, not what it builds.
RUN_SETTINGS = ("PATH", "OUTPUT_PATH", "CACHE_PATH", "CACHE_CONTENT", "LOAD_CONTENT_CACHE",
                "CONTENT_CACHING_LAYER", "GZIP_CACHE", "ENTRY_READER",
                "INCREMENTAL_WRITER", "BUILD_MEMORY_MB")  # fmt: skip


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
    """A short name for an output folder, for its state files in the build cache."""
    return digest(str(Path(path).resolve()))[:12]


def load(path: Path, fingerprint: str, unpickler=pickle.Unpickler):
    """The object stored at `path` with this fingerprint, else None. `unpickler`: a
    pickle.Unpickler class (one with persistent_load, for a `save` with persistent
    ids)."""
    try:
        with open(path, "rb") as file:
            stored_format, stored_fingerprint, value = unpickler(file).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError,
            AttributeError, ImportError, KeyError):  # fmt: skip
        return None
    if stored_format != FORMAT or stored_fingerprint != fingerprint:
        return None
    return value


def save(path: Path, fingerprint: str, value, pickler=pickle.Pickler) -> None:
    """Store atomically: a crash never leaves a half-written state file. `pickler`: a
    pickle.Pickler class (one with persistent_id keeps those objects out of the file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            pickler(file, protocol=pickle.HIGHEST_PROTOCOL).dump((FORMAT, fingerprint, value))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
