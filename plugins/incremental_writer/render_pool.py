"""Rendering the queued pages, in forked processes when there are many.

Forked processes inherit the whole build (templates, articles, context) without any
pickling; each renders a share of the pages, writes the files that changed, and sends
back only (index, written, size, mtime) plus the error messages it logged, which the
build process logs again so that build_site still fails on them.

The background renderer (the entry pages, while the other plugins work) takes its pages
a chunk at a time from a counter it shares with the build process: once the build
process has nothing else to do, it takes chunks too, so that neither waits for the
other. The other pages are rendered by the build process from the front of their queue
and by helpers from the back (liveticker.parts).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
from dataclasses import dataclass

from pelican.utils import get_relative_path, path_to_url

from liveticker import cores
from liveticker.build import ErrorCollector
from liveticker.file_writer import WriterProcess
from liveticker.files import deferred_files, write_deferred, write_stat
from liveticker.parts import Handover, Parts, claim

logger = logging.getLogger(__name__)
PARALLEL_MIN = 400  # fewer pages than this: forking costs more than it saves
WRITER_MIN = 2000  # files: starting the writer process (0.1 s) costs more than it saves
CHUNK = 48

_jobs: list = []  # the queue, inherited by forked workers


@dataclass
class Job:
    name: str  # output path relative to the output folder
    path: str  # absolute output path
    template: object
    context: dict
    relative_urls: bool
    kwargs: dict
    key: str | None


def render(job: Job) -> str:
    """The page, exactly as Pelican's Writer.write_file renders it."""
    localcontext = job.context.copy()
    localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
    if job.relative_urls:
        relative_url = path_to_url(get_relative_path(job.name))
        localcontext["SITEURL"] = relative_url
        localcontext["localsiteurl"] = relative_url
    localcontext["output_file"] = job.name
    localcontext.update(job.kwargs)
    if localcontext["localsiteurl"]:
        job.context["localsiteurl"] = localcontext["localsiteurl"]
    return job.template.render(localcontext)


def _render_write(index: int) -> tuple[int, bool, int, int]:
    job = _jobs[index]
    if isinstance(job, tuple):  # files other plugins gave to write_later(_made):
        return index, *write_deferred(job), 0  # (index, files written, files, 0)
    return index, *write_stat(job.path, render(job).encode("utf-8"))


_collector: ErrorCollector | None = None


def _worker_init():
    global _collector
    _collector = ErrorCollector()
    logging.getLogger().addHandler(_collector)


def _render_range(bounds: tuple[int, int]) -> tuple[list, list[str]]:
    """Jobs start..end-1, and the errors logged meanwhile in a helper process (logged
    as usual where no collector is set up: in the build process)."""
    results = [_render_write(i) for i in range(*bounds)]
    if _collector is None:
        return results, []
    messages, _collector.messages = _collector.messages, []
    return results, messages


def render_all(jobs: list, workers: int, force: bool = False,
               beside: Background | None = None) -> list[tuple]:  # fmt: skip
    """Render and write every job (a Job, or an item of files.defer_writes' list);
    returns (index, written, size, mtime_ns) per page, (index, files written, files, 0)
    per deferred item. The jobs are done in chunks, by this process from the first,
    and by forked helpers from the last (liveticker.parts) - `workers` processes in
    all, 0: one per free core, re-counted after each chunk, so a helper starts once
    `beside` (a background renderer still at work) has ended; if all are done first,
    this process helps it (Background.help). Few jobs are done in this process alone
    unless `force` (workers set explicitly); many done by this process alone (no core
    to share, or `workers` 1) are written by a WriterProcess on the idle core.

    Why from both ends: the queue is sorted by the entries its pages show
    (writer._shown_from), and each process renders an entry's fragment once for all the
    pages near each other in the queue that show it (theme_helpers.shared_fragment);
    workers taking alternate chunks would each render most fragments."""
    global _jobs
    procs = 1 if len(jobs) < PARALLEL_MIN and not force else workers
    if procs == 0 and beside is None and cores.free() == 1:
        procs = 1  # no core to share (the memory budget, liveticker.cores): none will be
    if procs == 1 and len(jobs) >= WRITER_MIN and cores.available() > 1:
        return _render_here(jobs)  # with the idle core writing the files
    _jobs = jobs
    try:
        bounds = [(i, min(i + CHUNK, len(jobs))) for i in range(0, len(jobs), CHUNK)]
        results: list[tuple] = []

        def front(part: int) -> None:
            results.extend(_render_write(i) for i in range(*bounds[part]))

        _, helped = Parts(len(bounds), lambda part: _render_range(bounds[part]), procs,
                          setup=_worker_init).run(front)  # fmt: skip
        for done, messages in helped.values():
            results.extend(done)
            for message in messages:
                logger.error("%s", message)
        if beside is not None:
            beside.help()
        return results
    finally:
        _jobs = []


def _render_here(jobs: list) -> list[tuple]:
    """render_all in this process alone, a WriterProcess writing the files meanwhile."""
    writer = WriterProcess()
    try:
        shape = []  # per job: None for a page, else the number of its files
        for job in jobs:
            if isinstance(job, tuple):
                made = deferred_files(job)
                for path, raw in made:
                    writer.write(path, raw)
                shape.append(len(made))
            else:
                writer.write(job.path, render(job).encode("utf-8"))
                shape.append(None)
        written = iter(writer.results())
    finally:
        writer.close()
    results = []
    for index, files in enumerate(shape):
        if files is None:
            results.append((index, *next(written)))
        else:
            stats = [next(written) for _ in range(files)]
            results.append((index, sum(new for new, _, _ in stats), files, 0))
    return results


def _background_main(jobs: list, counter, handover: Handover) -> None:
    """In the forked background process: render and write the chunks of `jobs` it
    claims, hand over the results."""
    global _jobs
    _worker_init()
    _jobs = jobs
    try:
        results = []
        while chunk := claim(counter, len(jobs), CHUNK):
            results += [_render_write(i) for i in chunk]
        handover.put((results, _collector.messages, None))
    except BaseException as exc:  # handed to the build process, which raises it
        handover.put(([], _collector.messages, f"{type(exc).__name__}: {exc}"))


class Background:
    """Pages rendered in one forked process while the build goes on (the entry pages,
    while the other plugins compute their output on the other core); the build process
    `help`s with them once it is free."""

    def __init__(self, jobs: list[Job]):
        self.jobs = jobs
        self.helped: list[tuple] = []  # results of the chunks the build process took
        context = multiprocessing.get_context("fork")
        self._handover = Handover()
        self._next = context.Value("q", 0)  # the first job no process has taken yet
        self._process = None
        cores.in_background(self)  # before the fork: helpers on lent cores end first
        gc.freeze()  # the child's garbage collector leaves the inherited objects alone
        try:
            self._process = context.Process(
                target=_background_main, args=(jobs, self._next, self._handover), daemon=True
            )
            self._process.start()
        finally:
            gc.unfreeze()

    def running(self) -> bool:
        """Still rendering (it ends once it has handed over its results)."""
        return self._process is not None and self._process.is_alive()

    def help(self) -> None:
        """Render the chunks no process has taken yet here, alongside the renderer."""
        global _jobs
        own, _jobs = _jobs, self.jobs
        try:
            while chunk := claim(self._next, len(self.jobs), CHUNK):
                self.helped += [_render_write(i) for i in chunk]
        finally:
            _jobs = own

    def wait(self) -> list[tuple[int, bool, int, int]]:
        """The results of all jobs, once the renderer has handed over its own."""
        results, messages, error = self._handover.take(self._process) or (
            [], [], f"the background renderer died (exit code {self._process.exitcode})")
        for message in messages:
            logger.error("%s", message)
        if error:
            raise RuntimeError(f"incremental_writer: rendering failed: {error}")
        return results + self.helped


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
