"""IncrementalWriter: Pelican's Writer, made to write only what changed.

- Pages are queued by write_file and rendered together when the build is finalized,
  in forked workers across all cores (render_pool.py).
- A bulk page (entry, day, topic page) whose page key (page_keys.py) and output file
  are those of the last build is not rendered at all.
- A file is only written when its bytes differ, so unchanged files keep their
  modification time (liveticker.files.write_if_changed, used by the other plugins too).
- Two writes to the same path are an error, as in Pelican (FileOverwriteFailedError),
  also where Pelican's `override_output` would allow it.
- Stale files: every file the build produces is listed in a manifest in the build
  cache. A file that the previous build produced and this one did not (an entry was
  deleted or renamed) is deleted, with folders left empty; files the build never
  produced (put into the output by hand) are left alone.
"""

from __future__ import annotations

import io
import json
import logging
import os
from pathlib import Path

import jinja2
import pelican
from pelican.writers import FileOverwriteFailedError, Writer

from liveticker import buildcache, cores, files
from liveticker.vocab import vocabulary_dir

from .page_keys import PageKeys
from .render_pool import PARALLEL_MIN, Background, Job, can_fork, render_all

logger = logging.getLogger(__name__)
DEFAULTS = {"cache": True, "workers": 0, "skip_unchanged": True, "delete_stale": True}
REPORT_FILE = "last-build.json"
PLUGINS_DIR = Path(__file__).resolve().parent.parent


def writer_settings(settings: dict) -> dict:
    options = {**DEFAULTS, **settings.get("INCREMENTAL_WRITER", {})}
    if not isinstance(options["workers"], int) or options["workers"] < 0:
        raise ValueError(f"incremental_writer: INCREMENTAL_WRITER['workers'] must be 0 (one "
                         f"per core) or more, not {options['workers']!r}")  # fmt: skip
    return options


def build_fingerprint(settings: dict) -> str:
    """Everything besides the page's own data that a page depends on."""
    theme = Path(settings["THEME"])
    vocab = vocabulary_dir(Path(settings["PATH"]))
    return buildcache.digest(
        buildcache.code_fingerprint(),
        buildcache.tree_fingerprint(theme / "templates"),
        buildcache.settings_fingerprint(settings),
        pelican.__version__, jinja2.__version__,
        (vocab / "topics.toml").read_bytes(), (vocab / "sources.toml").read_bytes(),
    )  # fmt: skip


class _ChangedOnlyFile(io.StringIO):
    """What _open_w returns (feeds, Pelican's paginated pages): written on close, and
    only if the bytes changed."""

    def __init__(self, path: str, writer: IncrementalWriter):
        super().__init__()
        self._path, self._writer = path, writer

    def close(self):
        if not self.closed:
            self._writer.count(files.write_if_changed(Path(self._path), self.getvalue()))
        super().close()


class IncrementalWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        global _current
        _current = self
        self.options = writer_settings(self.settings)
        # both started at `initialized`: other plugins queue files while making their context
        self.recorded = files.recorded_outputs()
        self.deferred = files.deferred_writes()  # written in parallel with the pages
        self.jobs: list[Job] = []
        self.background: Background | None = None
        self.background_pages = 0  # its jobs are these pages, then deferred files
        self.claimed: set[str] = set()
        self._root = os.path.abspath(self.output_path)
        self.stats = {"pages_rendered": 0, "pages_unchanged": 0, "files_written": 0,
                      "files_kept": 0, "stale_removed": 0}  # fmt: skip
        cache_dir = self.settings.get("CACHE_PATH") if self.options["cache"] else None
        fingerprint = build_fingerprint(self.settings)
        self.state = OutputState(cache_dir, Path(output_path), fingerprint)
        self.keys = PageKeys(fingerprint, self.state.template_names) \
            if self.options["skip_unchanged"] else None  # fmt: skip

    # Pelican's Writer API -----------------------------------------------------------

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):  # fmt: skip
        if not name:
            return
        pages = paginated if paginated is not None else {
            k: v for k, v in kwargs.items() if k in {"articles", "dates"}}  # fmt: skip
        if pages and template_name in self.settings["PAGINATED_TEMPLATES"]:
            # Pelican's own pagination: rendered now, files written through _open_w
            super().write_file(name, template, context, relative_urls, paginated,
                               template_name, override_output, url, **kwargs)  # fmt: skip
            return
        path = self._output_file(name)
        self._claim(path, normalised=True)
        # Pelican's writer does not hand template_name to the template; the site header
        # needs it (aria-current on the navigation link of the page's own section)
        kwargs["template_name"] = template_name
        key = None
        if self.keys is not None:
            key = self.keys.key(template, template_name, name, context, relative_urls, kwargs)
        if key is not None and self.state.unchanged(name, key, path):
            self.stats["pages_unchanged"] += 1
            return
        self.jobs.append(Job(name, path, template, context, relative_urls, kwargs, key))

    def _open_w(self, filename, encoding, override=False):
        self._claim(filename)
        return _ChangedOnlyFile(filename, self)

    # the rest ------------------------------------------------------------------------

    def _output_file(self, name: str) -> str:
        """Pelican's sanitised_join, with the output folder's own path made once (it
        normalises both for each of the build's ~12,000 pages at 10,000 entries)."""
        path = os.path.abspath(os.path.join(self._root, name))
        if not path.startswith(self._root):
            raise RuntimeError(f"Attempted to break out of output directory to {path}")
        return path

    def _claim(self, path: str, normalised: bool = False) -> None:
        if not normalised:
            path = os.path.abspath(path)
        if path in self.claimed:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{path}": two pages of the build have this address')
        self.claimed.add(path)

    def start_background(self) -> None:
        """Render the pages queued so far (the entry pages) in a forked process while
        the other generators run, and then write the files deferred so far (a cold
        build's citation files); with one core or few pages, nothing happens here."""
        workers = self.options["workers"] or cores.free()
        enough = len(self.jobs) >= PARALLEL_MIN or self.options["workers"] > 1
        if self.background is None and workers > 1 and enough and self.jobs and can_fork():
            self.background_pages = len(self.jobs)
            self.background = Background(self.jobs + self.deferred)
            self.jobs = []
            self.deferred.clear()

    def count(self, written: bool) -> None:
        self.stats["files_written" if written else "files_kept"] += 1

    def flush(self, theme_static: list[tuple[Path, Path]]) -> None:
        """Render the queued pages, copy theme files, remove stale files, save state."""
        files.stop_deferring()
        # while the entry pages still render in the background, the rest are rendered
        # here; once it is done, in one process per core (liveticker.cores)
        force = self.options["workers"] > 1
        pages = len(self.jobs)
        self.jobs.sort(key=_shown_from)
        done = render_all(self.jobs + self.deferred, self.options["workers"], force,
                          self.background)  # fmt: skip
        self._record(self.jobs, done, pages)
        if self.background is not None:
            self._record(self.background.jobs, self.background.wait(), self.background_pages)
            self.background = None
        files.deferred_written()
        for source, target in theme_static:
            self.count(files.write_if_changed(target, source.read_bytes()))
        self.stats["files_kept"] += self.stats["pages_unchanged"]
        produced = self._produced()
        if self.options["delete_stale"]:
            self.stats["stale_removed"] = self.state.remove_stale(produced)
        self.state.manifest = produced
        self.state.save()
        self.jobs = []
        logger.info("incremental_writer: %(pages_rendered)d pages rendered, "
                    "%(pages_unchanged)d unchanged; %(files_written)d files written, "
                    "%(files_kept)d kept; %(stale_removed)d stale files removed", self.stats)
        self.state.write_report(self.stats)
        self.deferred.clear()

    def _record(self, jobs: list, results: list[tuple], pages: int) -> None:
        """Count render_all's results; jobs[:pages] are pages, the rest deferred files."""
        for index, written, size, mtime_ns in results:
            if index >= pages:  # (index, files written, files, 0)
                self.stats["files_written"] += written
                self.stats["files_kept"] += size - written
                continue
            job = jobs[index]
            self.count(written)
            self.stats["pages_rendered"] += 1
            if job.key is not None:
                self.state.pages[job.name] = (job.key, size, mtime_ns)

    def _produced(self) -> set[str]:
        """Output files of this build, relative to the output folder: those written or
        kept through the writer or write_if_changed/write_later. (Every plugin writes
        through these; a file put there otherwise counts as placed by hand, and is
        never deleted. Not scanning the output saves a stat() per file per build.)"""
        root = os.path.abspath(self.output_path) + os.sep
        cut = len(root)
        return {p[cut:] for p in self.claimed | self.recorded if p.startswith(root)}


def _shown_from(job: Job) -> tuple:
    """Day, topic and source pages in the order of the oldest entry they show, the
    others first: the pages that show an entry are rendered close together, so its
    fragment (theme_helpers.shared_fragment, a bounded cache per process) is rendered
    once, not again for its day and each topic and source (at 100,000 entries the
    topics alone pass the cache's limit)."""
    shown = job.kwargs.get("listing") or job.kwargs.get("day")
    entries = getattr(shown, "entries", None)
    return (1, min(entry.date for entry in entries)) if entries else (0,)


class OutputState:
    """What the last build into one output folder produced (in the build cache)."""

    def __init__(self, cache_dir: str | None, output: Path, fingerprint: str):
        self.output = Path(output).resolve()
        self.fingerprint = fingerprint
        self.pages: dict[str, tuple[str, int, int]] = {}
        self.template_names: dict = {}  # see PageKeys.names
        self.manifest: set[str] = set()
        self.previous_manifest: set[str] = set()
        self.folder = None
        if cache_dir:
            self.folder = buildcache.output_state_dir(cache_dir, self.output)
            self.pages, self.template_names = buildcache.load(
                self.folder / "pages.pickle", fingerprint) or ({}, {})  # fmt: skip
            self.previous_manifest = buildcache.load(self.folder / "manifest.pickle",
                                                     "manifest") or set()  # fmt: skip

    def unchanged(self, name: str, key: str, path: str) -> bool:
        known = self.pages.get(name)
        if known is None or known[0] != key:
            return False
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == known[1:]

    def remove_stale(self, produced: set[str]) -> int:
        removed = 0
        for rel in sorted(self.previous_manifest - produced):
            path = self.output / rel
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            removed += 1
            self.pages.pop(rel, None)
            for folder in path.parents:
                if folder == self.output or any(folder.iterdir()):
                    break
                folder.rmdir()
        return removed

    def save(self) -> None:
        if self.folder is None:
            return
        buildcache.save(self.folder / "pages.pickle", self.fingerprint,
                        (self.pages, self.template_names))  # fmt: skip
        buildcache.save(self.folder / "manifest.pickle", "manifest", self.manifest)

    def write_report(self, stats: dict) -> None:
        if self.folder is not None:
            (self.folder / REPORT_FILE).write_text(json.dumps(stats, indent=1) + "\n")


_current: IncrementalWriter | None = None


def current_writer() -> IncrementalWriter | None:
    return _current
