"""How many processes a step of the build may keep busy: one per core, less the cores
that other work of the build occupies meanwhile.

More runnable processes than cores finish no sooner - each gets slices of a core and,
losing its caches at every switch, needs more CPU time for the same work. Measured at
10,000 entries on 2 cores: reading in two worker processes beside the build process
(which meanwhile makes Pelican's articles) took 9.0 CPU s, in one worker 5.3, in about
the same wall time. So the reader leaves a core to the build process (which reads
chunks of the files itself whenever it would wait, entry_reader/prefetch.py), and while
the entry pages render in the background (incremental_writer), the search analysis runs
in the build process and the other pages are rendered there until the background
renderer is done (or the build process helps it), then on all cores.
"""

from __future__ import annotations

import contextlib
import os

_background: list = []  # background work of the build: objects with running()
_lent: list = []  # work started on idle cores, to pause for background work


def available() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def free(beside: int = 0) -> int:
    """Processes a step may run: the cores not taken by background processes still
    running, less `beside` for the calling process when it keeps working meanwhile;
    at least 1."""
    _background[:] = [work for work in _background if work.running()]
    return max(available() - len(_background) - beside, 1)


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
    """A build ended (also by failing): work it started on idle cores ends too."""
    for borrower in list(_lent):
        borrower.cancel()
    _lent.clear()
