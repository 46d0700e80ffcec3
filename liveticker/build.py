"""Running Pelican with the chronicle's settings (the only module here that imports it).

A build fails - returns problems, never "0 articles, exit 0" - when an entry is invalid,
when the content folder holds no entries, or when Pelican logs any error.

Incremental state (read entries, page keys, the output manifest) lives in one folder,
`cache` (`invoke build` passes `.cache/`; never inside the output). Without a cache
folder every entry is read and every page rendered, as in a cold build.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import traceback
from pathlib import Path

from liveticker import cores, files

ROOT = Path(__file__).resolve().parent.parent
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
DEFAULT_CACHE = ROOT / ".cache"
GC_THRESHOLD = 50_000  # allocations between young collections (Python: 700)


class BuildFailed(RuntimeError):
    pass


class ErrorCollector(logging.Handler):
    """Collects the messages of ERROR log records (the build fails on any)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def cache_overrides(cache: Path | str | None, output: Path) -> dict:
    """Settings for the build cache folder (or for building without one)."""
    if cache is None:
        return {"ENTRY_READER": {"cache": False}, "INCREMENTAL_WRITER": {"cache": False},
                "SEARCH_INDEX": {"cache": False}}
    cache = Path(cache).resolve()
    if cache == output or output in cache.parents:
        raise BuildFailed(f"the build cache {cache} must not be inside the output {output}")
    return {"CACHE_PATH": str(cache)}


def build_site(
    content: Path | str = ROOT / "content",
    output: Path | str = ROOT / "output",
    settings_file: Path | str = DEV_SETTINGS,
    overrides: dict | None = None,
    cache: Path | str | None = None,
) -> Path:
    """Build the site from `content` into `output`; raise BuildFailed on any error.
    `cache`: folder for incremental state (`invoke build` uses DEFAULT_CACHE); None
    builds without reading or writing any cache."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content, output = Path(content).resolve(), Path(output).resolve()
    if not content.is_dir():
        raise BuildFailed(f"content folder {content} does not exist")
    settings = read_settings(
        str(settings_file),
        override={"PATH": str(content), "OUTPUT_PATH": str(output),
                  **cache_overrides(cache, output), **(overrides or {})},
    )  # fmt: skip
    budget = settings.get("BUILD_MEMORY_MB")
    if budget is not None and (not isinstance(budget, int) or isinstance(budget, bool)
                               or budget < 0):  # fmt: skip
        raise BuildFailed(f"BUILD_MEMORY_MB must be a whole number of megabytes (0: no "
                          f"limit), not {budget!r}")  # fmt: skip
    cores.set_memory_budget(budget or None)
    collector = ErrorCollector()
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    # A build keeps hundreds of thousands of objects alive (every entry); with Python's
    # default thresholds the cycle collector walks them again and again (~5% of the CPU)
    gc.set_threshold(GC_THRESHOLD, *thresholds[1:])
    try:
        Pelican(settings).run()
    except Exception as exc:  # Pelican and plugins raise plain exceptions
        raise BuildFailed(str(exc)) from exc
    finally:  # the collector as it was, whatever a plugin did to it in a failed build
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if enabled:
            gc.enable()
        root_logger.removeHandler(collector)
        files.end_build()
        cores.end_build()
    if collector.messages:
        raise BuildFailed("\n".join(collector.messages))
    return output


def build_in_child(*args, **kwargs) -> Path:
    """`build_site` in a forked process that ends with os._exit, so that nobody frees
    the build's millions of objects one by one on the way out (about 0.6 s at 10,000
    entries). Returns or raises BuildFailed as build_site does; without fork (not
    POSIX) it builds in this process."""
    if not hasattr(os, "fork"):
        return build_site(*args, **kwargs)
    sys.stdout.flush()
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's lines run where coverage cannot see
        os.close(read_end)
        _child_build(write_end, args, kwargs)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
    finally:
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return Path(message)
    if code == 1:
        raise BuildFailed(message)
    raise BuildFailed(f"the build process ended with exit code {code}\n{message}".rstrip())


def _child_build(write_end: int, args: tuple, kwargs: dict) -> None:
    from pelican import signals

    # Pelican drops its generators (and every article with them) when the run returns;
    # holding on to them here spares freeing them just before os._exit
    kept: list = []
    signals.all_generators_finalized.connect(kept.append, weak=False)
    code, message = 0, ""
    try:
        message = str(build_site(*args, **kwargs))
    except BuildFailed as exc:
        code, message = 1, str(exc)
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # reported by the parent, which raises BuildFailed
        code, message = 2, traceback.format_exc()
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(message.encode("utf-8"))
        logging.shutdown()  # flush every handler: os._exit skips it
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)
