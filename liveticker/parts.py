"""Work cut into parts that this process takes from the front and forked helpers from
the back, with as many helpers as cores are free - also cores that become free while it
runs (liveticker.cores: the background renderer of a cold build ends).

Why two ends: this process feeds its parts, which are consecutive, into one running
result (nothing to join), and only the helpers' parts are sent back and joined. A fixed
split decided at the start left a core idle whenever the background renderer ended
before the search index was done (0.8-2.3 s of a 10,000-entry cold build).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Callable
from typing import TypeVar

from liveticker import cores

T = TypeVar("T")


def run(count: int, front: Callable[[int], None], back: Callable[[int], T],
        procs: int = 0) -> tuple[int, dict[int, T]]:  # fmt: skip
    """Do parts 0..count-1: `front(i)` here, in order from part 0; `back(i)` (its result
    sent back) in helpers, from part count-1 down. `procs`: processes, this one included
    (0: one per free core, more as cores become free). Returns how many parts were done
    at the front and {part: result} of the others (a part a helper failed on or died
    with is done here with `back`, which then raises its error)."""
    if count <= 0:
        return 0, {}
    context = multiprocessing.get_context("fork")
    ends = context.Array("q", [0, count])  # [next front part, first back part taken]
    helpers: list = []
    front_done = 0
    while True:
        wanted = (procs or cores.free()) - 1 - len(helpers)
        if wanted > 0 and _has_parts(ends):
            helpers += [_start(context, back, ends) for _ in range(wanted)]
        part = _take(ends, front=True)
        if part is None:
            break
        front(part)
        front_done = part + 1
    results: dict[int, T] = {}
    for process, conn in helpers:
        with contextlib.suppress(EOFError):  # died: its parts are done below
            results.update(conn.recv())
        process.join()
    for part in range(front_done, count):
        if part not in results:
            results[part] = back(part)
    return front_done, results


def _has_parts(ends) -> bool:
    with ends.get_lock():
        return ends[0] < ends[1]


def _take(ends, front: bool) -> int | None:
    with ends.get_lock():
        if ends[0] >= ends[1]:
            return None
        if front:
            ends[0] += 1
            return ends[0] - 1
        ends[1] -= 1
        return ends[1]


def _start(context, back: Callable, ends) -> tuple:
    receive, send = context.Pipe(duplex=False)
    gc.freeze()  # the helper's garbage collector leaves the inherited objects alone
    try:
        process = context.Process(target=_helper, args=(back, ends, send), daemon=True)
        process.start()
    finally:
        gc.unfreeze()
    send.close()
    return process, receive


def _helper(back: Callable, ends, conn) -> None:
    """In a forked helper: do parts from the back; send {part: result} of those done."""
    results = {}
    try:
        while (part := _take(ends, front=False)) is not None:
            results[part] = back(part)
    except Exception:  # the build process does the part again, and raises
        pass
    conn.send(results)
    conn.close()
