"""entry_reader/prefetch.py: the entry files are read by worker processes and by the
build process, which takes chunks itself instead of waiting; every file's result
arrives exactly once, also when a worker fails or dies."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican's PLUGIN_PATHS does
from entry_reader import prefetch

RELS = [f"2025/02/{day:02d}/{number:03d}-meldung.md" for day in (9, 8) for number in range(300)]


@pytest.fixture
def reads(monkeypatch):
    """read_entry replaced by one that notes which process read the file (forked
    workers inherit the replacement); `reads.fail(rel, how)` makes workers fail on rel."""
    parent, failing = os.getpid(), {}

    def read_entry(root, rel, url_patterns=()):
        how = failing.get(rel)
        if how is not None and os.getpid() != parent:
            if how == "die":
                os._exit(3)
            raise OSError(f"{rel}: cannot be read")
        time.sleep(0.0002)  # as real reading takes time: a worker never runs far ahead
        return prefetch.ReadResult(rel, str(os.getpid()), None, [], None)

    monkeypatch.setattr(prefetch, "read_entry", read_entry)
    read_entry.fail = failing.__setitem__
    return read_entry


def read_all(workers: int) -> dict[str, str]:
    """{rel: pid of the process that read it}, asking for the files in order."""
    fetched = prefetch.Prefetched(Path("content"), RELS, workers, ())
    got = {rel: fetched.get(rel).digest for rel in RELS}
    fetched.finish()
    return got


def test_the_build_process_reads_chunks_itself_rather_than_wait(reads):
    got = read_all(workers=1)
    assert list(got) == RELS
    readers = set(got.values())
    assert str(os.getpid()) in readers and len(readers) == 2, "worker and build process read"


def test_the_files_of_a_failing_worker_are_read_in_the_build_process(reads):
    reads.fail(RELS[100], "raise")
    got = read_all(workers=2)
    assert list(got) == RELS
    assert got[RELS[100]] == str(os.getpid())


def test_the_files_of_a_worker_that_died_are_read_in_the_build_process(reads):
    reads.fail(RELS[100], "die")
    got = read_all(workers=1)
    assert list(got) == RELS
    assert got[RELS[100]] == str(os.getpid())


def test_an_error_reading_a_file_reaches_the_build(monkeypatch):
    def broken(root, rel, url_patterns=()):
        raise OSError(f"{rel}: cannot be read")

    monkeypatch.setattr(prefetch, "read_entry", broken)
    fetched = prefetch.Prefetched(Path("content"), RELS, 1, ())
    with pytest.raises(OSError, match="cannot be read"):
        fetched.get(RELS[0])
    fetched.close()
