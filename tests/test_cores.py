"""liveticker.cores: a build step starts no more processes than there are free cores,
and background work counts only while it really runs."""

from __future__ import annotations

import multiprocessing
import sys
import time

from conftest import ROOT

from liveticker import cores

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican's PLUGIN_PATHS does
from incremental_writer.render_pool import Background


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


def test_a_finished_renderer_frees_its_core_before_its_results_are_read(tmp_path):
    """It waits, alive, until the build process reads its results (more than a pipe
    holds); meanwhile the core is free for the pages left to render."""
    jobs = [(tmp_path / f"page-{number}.html", b"<p>Seite</p>") for number in range(15000)]
    renderer = Background(jobs)
    deadline = time.monotonic() + 20
    while renderer.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(path.exists() for path, _ in jobs)
    assert renderer._process.is_alive(), "still holding its results"
    assert cores.free() == cores.available()
    assert len(renderer.wait()) == len(jobs)
