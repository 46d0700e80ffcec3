"""liveticker.cores: a build step starts no more processes than there are free cores,
and background work counts only while it really runs."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

from conftest import ROOT

from liveticker import cores

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican's PLUGIN_PATHS does
from incremental_writer.render_pool import Background, render_all


class _Sleeper:
    def __init__(self, seconds: float):
        self.process = multiprocessing.get_context("fork").Process(target=time.sleep,
                                                                   args=(seconds,))  # fmt: skip
        self.process.start()

    def running(self) -> bool:
        return self.process.is_alive()


def test_background_work_takes_a_core_while_it_runs():
    before = cores.free()
    sleeper = _Sleeper(0.5)
    cores.in_background(sleeper)
    assert cores.free() == max(before - 1, 1)
    assert cores.free(beside=1) == max(before - 2, 1)
    sleeper.process.join()
    assert cores.free() == before == cores.available()


def test_a_finished_renderer_ends_before_its_results_are_read(tmp_path):
    """Its results (more than a pipe holds) wait in a file, not in the renderer: it
    ends as soon as it is done, freeing its core for the pages left to render and the
    memory it copied from the build process."""
    jobs = [(tmp_path / f"page-{number}.html", b"<p>Seite</p>") for number in range(15000)]
    renderer = Background(jobs)
    deadline = time.monotonic() + 20
    while renderer.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(path.exists() for path, _ in jobs)
    assert not renderer._process.is_alive(), "ended with its results unread"
    assert cores.free() == cores.available()
    assert len(renderer.wait()) == len(jobs)


def _slow_page(name: str):
    def make():
        time.sleep(0.005)
        return [f"{name} made by {os.getpid()}"]

    return make


def test_a_free_build_process_renders_the_background_pages_no_process_took_yet(tmp_path):
    """The entry pages of a cold build: once the build process's own pages are done,
    it takes chunks of the background renderer's queue, so neither waits; every page is
    written exactly once."""
    names = [f"page-{number}.html" for number in range(400)]
    jobs = [((str(tmp_path / name),), _slow_page(name)) for name in names]
    renderer = Background(jobs)
    assert render_all([], 0, beside=renderer) == []
    results = renderer.wait()
    assert sorted(index for index, *_ in results) == list(range(len(jobs)))
    assert all(written == 1 for _, written, *_ in results)
    makers = {(tmp_path / name).read_text().partition(" made by ")[::2] for name in names}
    assert {name for name, _ in makers} == set(names)
    pids = {pid for _, pid in makers}
    assert str(os.getpid()) in pids and len(pids) == 2, "both processes rendered pages"


def test_errors_logged_while_rendering_in_a_helper_reach_the_build_process(tmp_path, caplog):
    """The pages are rendered here from the front of the queue and by a helper process
    from the back; what the helper logs as an error is logged again here, where the
    build's error collector sees it and fails the build."""
    import logging

    def complaining(name: str):
        def make():
            logging.getLogger("tests.render").error("%s kaputt in %d", name, os.getpid())
            return ["<p>Seite</p>"]

        return make

    names = [f"page-{number}.html" for number in range(400)]
    jobs = [((str(tmp_path / name),), complaining(name)) for name in names]
    with caplog.at_level(logging.ERROR):
        results = render_all(jobs, 2, force=True)
    assert sorted(index for index, *_ in results) == list(range(len(jobs)))
    logged = [record.getMessage().split(" kaputt in ") for record in caplog.records]
    assert sorted(name for name, _ in logged) == sorted(names), "each error once"
    pids = {pid for _, pid in logged}
    assert str(os.getpid()) in pids and len(pids) == 2, "both processes rendered pages"


def test_no_more_processes_than_the_memory_budget_holds():
    try:
        cores.set_memory_budget(None)
        assert cores.free() == cores.available()
        size = cores.resident_bytes() / 2**20
        cores.set_memory_budget(int(size * cores.GROWTH * 3) + 1)  # room for three
        assert cores.free() == min(cores.available(), 3)
        cores.set_memory_budget(int(size))  # not even room for this one: still 1
        assert cores.free() == 1 and cores.free(beside=1) == 1
    finally:
        cores.set_memory_budget(None)
