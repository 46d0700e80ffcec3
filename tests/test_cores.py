"""liveticker.cores: a build step starts no more processes than there are free cores."""

from __future__ import annotations

import multiprocessing
import time

from liveticker import cores


def test_a_background_process_takes_a_core_while_it_runs():
    before = cores.free()
    process = multiprocessing.get_context("fork").Process(target=time.sleep, args=(0.5,))
    process.start()
    cores.in_background(process)
    assert cores.free() == max(before - 1, 1)
    assert cores.free(beside=1) == max(before - 2, 1)
    process.join()
    assert cores.free() == before == cores.available()
