"""liveticker.files.write_now/write_stat: every output file of the build goes through them."""

import os

import pytest

from liveticker import files
from liveticker.build import BuildFailed, build_site
from liveticker.file_writer import WriterProcess
from liveticker.files import write_now, write_stat


def test_a_new_file_is_written_with_its_missing_folders(tmp_path):
    path = tmp_path / "2025" / "02" / "09" / "eintrag" / "zitat.json"
    assert write_now(path, b'{"a": 1}') is True
    assert path.read_bytes() == b'{"a": 1}'


def test_an_unchanged_file_keeps_its_modification_time(tmp_path):
    path = tmp_path / "index.html"
    path.write_bytes(b"<p>gleich</p>")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert write_now(str(path), b"<p>gleich</p>") is False
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_a_changed_file_is_rewritten_whole_also_when_it_gets_shorter(tmp_path):
    path = tmp_path / "index.html"
    path.write_bytes(b"<p>ein langer alter Text</p>")
    assert write_now(path, b"<p>neu</p>") is True
    assert path.read_bytes() == b"<p>neu</p>"
    assert write_now(path, b"<p>alt</p>") is True  # same size, other bytes
    assert path.read_bytes() == b"<p>alt</p>"


def test_write_stat_reports_the_size_and_time_the_file_has_on_disk(tmp_path):
    path = tmp_path / "a" / "index.html"
    written, size, mtime_ns = write_stat(path, "Grüße".encode())
    stat = path.stat()
    assert (written, size, mtime_ns) == (True, stat.st_size, stat.st_mtime_ns)
    assert write_stat(path, "Grüße".encode()) == (False, stat.st_size, stat.st_mtime_ns)


def test_files_made_later_are_made_only_when_written(tmp_path):
    made = []

    def make():
        made.append(1)
        return "zitat", b"bib"

    paths = [str(tmp_path / "e" / "zitat.json"), str(tmp_path / "e" / "zitat.bib")]
    files.defer_writes()
    try:
        files.write_later_made(paths, make)
        (job,) = files.deferred_writes()
        assert made == [] and not (tmp_path / "e").exists()
        assert files.write_deferred(job) == (2, 2)
        assert files.write_deferred(job) == (0, 2)  # same bytes: nothing written
    finally:
        files.end_build()
    assert (tmp_path / "e" / "zitat.json").read_text() == "zitat"
    assert made == [1, 1]


def test_after_a_failed_build_files_are_written_at_once_again(content, tmp_path):
    with pytest.raises(BuildFailed):
        build_site(content, tmp_path / "site")  # no entries: fails after writes were deferred
    files.write_later(tmp_path / "notiz.txt", "da")
    assert (tmp_path / "notiz.txt").read_text() == "da"


def test_a_writer_process_writes_what_changed_and_reports_each_file(tmp_path):
    kept = tmp_path / "a" / "kept.html"
    kept.parent.mkdir()
    kept.write_bytes(b"<p>alt</p>")
    os.utime(kept, ns=(1_000_000_000, 1_000_000_000))
    writer = WriterProcess()
    writer.write(kept, b"<p>alt</p>")
    for number in range(3000):  # several batches
        writer.write(tmp_path / "b" / f"{number}.html", f"<p>{number}</p>".encode())
    results = writer.results()
    assert len(results) == 3001
    assert results[0] == (False, 10, 1_000_000_000), "unchanged: kept with its time"
    assert all(written for written, _, _ in results[1:])
    assert (tmp_path / "b" / "2999.html").read_bytes() == b"<p>2999</p>"
    assert results[-1][1:] == ((tmp_path / "b" / "2999.html").stat().st_size,
                               (tmp_path / "b" / "2999.html").stat().st_mtime_ns)  # fmt: skip


def test_a_write_the_writer_process_cannot_do_fails_naming_the_file(tmp_path):
    (tmp_path / "taken").mkdir()  # a folder where the file should go
    writer = WriterProcess()
    writer.write(tmp_path / "ok.html", b"ok")
    writer.write(tmp_path / "taken", b"page")
    with pytest.raises(OSError, match="taken"):
        writer.results()


def test_a_writer_process_that_died_is_an_error_not_a_silent_loss(tmp_path):
    writer = WriterProcess()
    writer.write(tmp_path / "a.html", b"a")
    writer._process.kill()
    writer._process.wait()
    with pytest.raises(OSError, match="the file writer process ended unexpectedly"):
        writer.results()
