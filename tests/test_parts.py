"""liveticker.parts: this process takes parts from the front, forked helpers from the
back, as many as cores are free - also cores that become free while it runs; every
part is done exactly once, also when a helper fails or dies."""

from __future__ import annotations

import os
import time

import pytest

from liveticker import cores, parts


class _Ends:
    """Background work that runs until `stop()`."""

    def __init__(self):
        self.busy = True

    def running(self) -> bool:
        return self.busy


def _run(count: int, procs: int, slow: float = 0.01, back=None, on_front=None):
    front = []

    def do_front(number: int) -> None:
        time.sleep(slow)
        front.append(number)
        if on_front:
            on_front(number)

    def do_back(number: int):
        time.sleep(slow)
        return number, os.getpid()

    done, others = parts.Parts(count, back or do_back, procs).run(do_front)
    return front, done, others


def test_this_process_takes_the_front_and_a_helper_the_back():
    front, done, others = _run(40, procs=2)
    assert front == list(range(done)), "in order from part 0"
    assert sorted(others) == list(range(done, 40))
    assert 0 < done < 40
    assert {pid for _, pid in others.values()} != {os.getpid()}, "done in a helper"


def test_with_one_process_there_is_no_helper():
    front, done, others = _run(10, procs=1, slow=0)
    assert (front, done, others) == (list(range(10)), 10, {})


@pytest.mark.skipif(cores.available() < 2, reason="needs two cores")
def test_a_helper_starts_when_background_work_ends(monkeypatch):
    background = _Ends()
    cores.in_background(background)

    ended = []

    def end_it(number: int) -> None:
        if number == 9:
            background.busy = False
            ended.append(time.monotonic())

    def back(number: int):
        started = time.monotonic()
        time.sleep(0.01)
        return started

    _, done, others = _run(40, procs=0, on_front=end_it, back=back)
    assert others and sorted(others) == list(range(done, 40)), "a helper joined"
    assert min(others.values()) > ended[0], "none while the background work ran"


@pytest.mark.skipif(cores.available() < 2, reason="needs two cores")
def test_a_paused_helper_ends_before_its_results_are_taken():
    """A helper started early and paused (background work began) hands over what it
    did and ends, rather than holding its share of the build's memory, alive, until
    this process gets round to taking its results."""

    def back(number: int):  # each result more than a pipe holds
        time.sleep(0.02)
        return os.getpid(), "x" * 100_000

    early = parts.Parts(40, back)
    early.start_early()
    time.sleep(0.2)
    early.pause()
    helper = early._helpers[0][0]
    helper.join(timeout=5)
    assert helper.exitcode == 0, "ended, its results not taken yet"
    front = []
    done, others = early.run(front.append)
    assert helper.pid in {pid for pid, _ in others.values()}, "its parts were taken"
    assert front == list(range(done)) and sorted(others) == list(range(done, 40))


@pytest.mark.skipif(cores.available() < 2, reason="needs two cores")
def test_a_paused_helper_gives_back_the_part_it_is_at():
    """Background work is about to start: the early helper stops within one step of its
    part rather than finishing it, and that part is done later, exactly once."""
    early = None

    def back(number: int):  # 20 steps of 0.05 s, checking for a pause between them
        for _ in range(20):
            early.check_pause()
            time.sleep(0.05)
        return number, os.getpid()

    early = parts.Parts(4, back)
    early.start_early()
    time.sleep(0.3)
    started = time.monotonic()
    early.pause()
    assert time.monotonic() - started < 0.5, "not after the whole part (1 s)"
    helper = early._helpers[0][0]
    front = []
    done, others = early.run(front.append)
    assert front == list(range(done)) and sorted(others) == list(range(done, 4))
    assert all(pid != helper.pid for _, pid in others.values()), "the part was given back"


def test_parts_a_helper_failed_on_or_died_with_are_done_here():
    parent = os.getpid()

    def back(number: int):
        if os.getpid() != parent and number == 39:
            raise OSError("no space left")
        if os.getpid() != parent and number == 38:
            os._exit(3)
        return number, os.getpid()

    front, done, others = _run(40, procs=3, back=back)
    assert front == list(range(done))
    assert sorted(others) == list(range(done, 40))
    assert others[39] == (39, parent) and others[38] == (38, parent)


def test_an_error_in_a_part_reaches_the_caller():
    def back(number: int):
        raise OSError(f"part {number}: no space left")

    with pytest.raises(OSError, match="no space left"):
        _run(40, procs=2, back=back)


def test_an_error_at_the_front_ends_the_helpers():
    """A page that fails to render in this process fails the build at once: its
    helpers end too, rather than waiting (alive) to hand over their results in a
    process that lives on (tests, `pelican --autoreload`)."""
    import multiprocessing

    before = set(multiprocessing.active_children())

    def fail(number: int) -> None:
        if number == 3:
            raise ValueError("template error")

    with pytest.raises(ValueError, match="template error"):
        _run(400, procs=2, slow=0.005, on_front=fail)
    assert set(multiprocessing.active_children()) == before


def test_without_fork_everything_is_done_here(monkeypatch):
    """Where processes cannot be forked (Windows), the parts are done in this process
    (the page renderer and the search index use Parts on every platform)."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    early = parts.Parts(10, lambda number: number)
    early.start_early()
    assert early._helpers == []
    front, done, others = _run(40, procs=2)
    assert (front, done, others) == (list(range(40)), 40, {})
