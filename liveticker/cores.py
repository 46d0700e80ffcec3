"""How many processes a step of the build may keep busy: one per core, less the cores
that other work of the build occupies meanwhile - and no more than fit in the build's
memory budget.

More runnable processes than cores finish no sooner - each gets slices of a core and,
losing its caches at every switch, needs more CPU time for the same work. Measured at
10,000 entries on 2 cores: reading in two worker processes beside the build process
(which meanwhile makes Pelican's articles) took 9.0 CPU s, in one worker 5.3, in about
the same wall time. So the reader leaves a core to the build process (which reads
chunks of the files itself whenever it would wait, entry_reader/prefetch.py), and while
the entry pages render in the background (incremental_writer), the search analysis runs
in the build process and the other pages are rendered there until the background
renderer is done (or the build process helps it), then on all cores.

Memory: every helper is a fork of the build process, and within seconds it holds a
copy of nearly every page of it - both processes touch every article (reference counts
are writes), and whichever writes a shared page gets a copy while the other keeps the
original. Measured at 100,000 entries: a renderer forked from a build process of 1.2 GB
had 0.55 GB of its own after 3 s and 0.74 GB after 8 s, the build process growing
meanwhile. So the build counts each of its processes as GROWTH times the build
process's size, and starts no helper that would take it past the budget
(`set_memory_budget`; `invoke build --max-memory`): past about 65,000 entries, with the
default 2,000 MB, the steps after reading run in the build process alone.
"""

from __future__ import annotations

import contextlib
import os

_background: list = []  # background work of the build: objects with running()
_lent: list = []  # work started on idle cores, to pause for background work
GROWTH = 1.25  # what a forked helper (with the build process meanwhile) may come to
_budget: int | None = None  # bytes for all processes of the build; None: no limit


def available() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def free(beside: int = 0) -> int:
    """Processes a step may run: the cores not taken by background processes still
    running, less `beside` for the calling process when it keeps working meanwhile, and
    no more than the memory budget holds; at least 1."""
    _background[:] = [work for work in _background if work.running()]
    room = min(available(), _fit_in_budget()) - len(_background) - beside
    return max(room, 1)


def set_memory_budget(megabytes: int | None) -> None:
    """The memory all processes of the build may take together (None: no limit)."""
    global _budget
    _budget = None if megabytes is None else megabytes * 1024 * 1024


def _fit_in_budget() -> int:
    """How many processes of this one's size (times GROWTH) the budget holds."""
    size = resident_bytes()
    if _budget is None or not size:
        return available()
    return int(_budget // (size * GROWTH))


def resident_bytes() -> int:
    """This process's resident set size (0 where /proc does not tell)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def in_background(work) -> None:
    """Count background work (an object whose running() says whether it still is) as
    taking a core while it runs. Call it before starting that work: work on a lent core
    is paused and has ended when this returns, so that no third process copies the
    build's memory beside the two."""
    for borrower in _lent:  # they stay lent until taken over, or ended with the build
        borrower.pause()
    _background.append(work)


def lend(borrower) -> None:
    """`borrower` works on a core that is idle now; its pause() is called when
    background work starts (liveticker.parts: the search analysis, started early)."""
    _lent.append(borrower)


def stop_lending(borrower) -> None:
    with contextlib.suppress(ValueError):
        _lent.remove(borrower)


def end_build() -> None:
    """A build ended (also by failing): work it started on idle cores ends too, and
    its memory budget no longer applies."""
    set_memory_budget(None)
    for borrower in list(_lent):
        borrower.cancel()
    _lent.clear()
