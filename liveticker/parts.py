"""Work cut into parts that this process takes from the front and forked helpers from
the back, with as many helpers as cores are free - also cores that become free while it
runs (liveticker.cores: the background renderer of a cold build ends).

Why two ends: this process feeds its parts, which are consecutive, into one running
result (nothing to join), and only the helpers' parts are sent back and joined. A fixed
split decided at the start left a core idle whenever the background renderer ended
before the search index was done (0.8-2.3 s of a 10,000-entry cold build).

Work can also start early (`Parts.start_early`): a helper takes parts on a core that is
idle now - while the build process works alone, between reading the entries and
rendering the entry pages - and stops taking them once background work starts there.
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import tempfile
from collections.abc import Callable
from typing import Generic, TypeVar

from liveticker import cores

T = TypeVar("T")


class Paused(Exception):
    """Raised by `Parts.check_pause` in a helper that was paused in the middle of a part."""


class Parts(Generic[T]):
    """Parts 0..count-1: `back(i)` in helpers, from part count-1 down (its result sent
    back); `run` does the rest here. `procs`: processes, this one included (0: one per
    free core, more as cores become free); `setup()`: run first in each helper."""

    def __init__(self, count: int, back: Callable[[int], T], procs: int = 0,
                 setup: Callable[[], None] | None = None):  # fmt: skip
        if "fork" not in multiprocessing.get_all_start_methods():
            procs = 1  # helpers are forked: they inherit the work instead of pickling it
        self.count, self.back, self.procs, self.setup = count, back, procs, setup
        self._context = multiprocessing.get_context("fork" if procs != 1 else None)
        # [next front part, first back part taken]
        self._ends = self._context.Array("q", [0, count])
        self._helpers: list[tuple] = []  # (process, Handover, stop flag)
        self._stop = None  # in a helper: its stop flag

    def start_early(self) -> None:
        """One helper now, if a core is free, until background work starts (cores)."""
        if self.procs != 1 and cores.free() > 1 and self.count > 0:  # a core besides this one
            self._start()
            cores.lend(self)

    def cancel(self) -> None:
        """End the helpers, whatever they are at (a build that failed meanwhile)."""
        cores.stop_lending(self)
        for process, handover, _ in self._helpers:
            process.terminate()
            process.join()
            handover.close()
        self._helpers = []

    def pause(self) -> None:
        """Helpers stop and end; returns once they have. Each hands over the parts it
        did and gives back the one it is at if its `back` calls `check_pause` (else it
        finishes that one first), so that no helper is left copying the build's memory
        beside the background work that is about to start."""
        for _, _, stop in self._helpers:
            stop.value = 1
        for process, _, _ in self._helpers:
            process.join()

    def check_pause(self) -> None:
        """For `back`, between steps of a part: raise Paused if this helper was paused."""
        if self._stop is not None and self._stop.value:
            raise Paused

    def run(self, front: Callable[[int], None]) -> tuple[int, dict[int, T]]:
        """`front(i)` here, in order from part 0, while helpers take parts from the back
        as cores are free. Returns how many parts were done at the front and {part:
        result} of the others (a part a helper failed on or died with is done here with
        `back`, which then raises its error). If `front` raises, the helpers end."""
        cores.stop_lending(self)
        front_done = 0
        try:
            while True:
                working = sum(1 for _, _, stop in self._helpers if not stop.value)
                wanted = (self.procs or cores.free()) - 1 - working
                for _ in range(wanted if self._left() else 0):
                    self._start()
                part = self._take(front=True)
                if part is None:
                    break
                front(part)
                front_done = part + 1
        except BaseException:  # the caller fails: no helper is left waiting to hand over
            self.cancel()
            raise
        results: dict[int, T] = {}
        for process, handover, _ in self._helpers:
            results.update(handover.take(process) or {})  # none if it died: done below
        for part in range(front_done, self.count):
            if part not in results:
                results[part] = self.back(part)
        return front_done, results

    def _left(self) -> bool:
        with self._ends.get_lock():
            return self._ends[0] < self._ends[1]

    def _take(self, front: bool) -> int | None:
        ends = self._ends
        with ends.get_lock():
            if ends[0] >= ends[1]:
                return None
            if front:
                ends[0] += 1
                return ends[0] - 1
            ends[1] -= 1
            return ends[1]

    def _start(self) -> None:
        handover = Handover()
        stop = self._context.Value("b", 0, lock=False)
        gc.freeze()  # the helper's garbage collector leaves the inherited objects alone
        try:
            process = self._context.Process(target=self._helper, args=(handover, stop),
                                            daemon=True)  # fmt: skip
            process.start()
        finally:
            gc.unfreeze()
        self._helpers.append((process, handover, stop))

    def _helper(self, handover: Handover, stop) -> None:
        """In a forked helper: do parts from the back until none is left or `stop`;
        hand over {part: result} of those done."""
        results = {}
        self._stop = stop
        try:
            if self.setup is not None:
                self.setup()
            while not stop.value and (part := self._take(front=False)) is not None:
                try:
                    results[part] = self.back(part)
                except Paused:
                    self._give_back(part)
        except Exception:  # the build process does the part again, and raises
            pass
        handover.put(results)

    def _give_back(self, part: int) -> None:
        """Put the part back into the queue, if it is still the first one taken from the
        back (else the build process does it at the end, as one a helper died with)."""
        with self._ends.get_lock():
            if self._ends[1] == part:
                self._ends[1] = part + 1


def claim(counter, total: int, size: int = 1) -> range:
    """The next `size` items (fewer at the end, none once all are taken) of a queue of
    `total` that processes share through `counter`: a multiprocessing.Value holding the
    first item no process has taken (the entry reader's and the page renderer's)."""
    with counter.get_lock():
        start = counter.value
        counter.value = end = min(start + size, total)
    return range(start, end)


class Handover:
    """What a forked process leaves for this one, in an unnamed temporary file, so that
    it can end as soon as it is done. Sent through a pipe, its result would keep it
    alive until this process reads it - and with it every page of the build it copied
    since the fork (at 100,000 entries about 1 GB per helper)."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by take() or close()

    def put(self, value) -> None:
        """In the forked process: leave `value` (once)."""
        pickle.dump(value, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.flush()

    def take(self, process):
        """Wait for `process` to end; the value it left, or None if it left none (it
        failed or died)."""
        process.join()
        try:
            if process.exitcode != 0:
                return None
            self._file.seek(0)
            return pickle.load(self._file)
        except (EOFError, pickle.UnpicklingError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        self._file.close()
