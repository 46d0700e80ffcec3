"""incremental_writer: a Writer (via the `get_writer` signal) that renders pages across
all cores and writes only files whose bytes changed, so that a rebuild touches only
what changed and unchanged output files keep their modification time.

Signals: get_writer (the writer), initialized (starts recording the build's output
files and deferring small ones; takes over copying the theme's static files, which
Pelican would rewrite on every build; keeps compiled templates in the build cache),
article_writer_finalized (starts rendering the entry pages, then the files deferred so
far, in a forked process while the other generators run), finalized (renders the other
queued pages, writes deferred files, removes stale files; see writer.py).
Setting INCREMENTAL_WRITER = {"cache": True, "workers": 0, "skip_unchanged": True,
"delete_stale": True}: keep page keys and the output manifest in the build cache
(CACHE_PATH); worker processes for rendering (0: one per core, 1: render in this
process); skip bulk pages whose inputs did not change; delete files of earlier builds
that this build no longer produces.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from pelican import signals

from liveticker import files

from . import writer as _writer
from .writer import IncrementalWriter, current_writer, writer_settings

_theme_static: list[tuple[Path, Path]] = []


def get_writer(pelican_object):
    return IncrementalWriter


def start_recording(pelican_object):
    """Note the build's output files and defer small ones from its start: plugins queue
    files while making their context (the citations of a cold build), before the
    writer exists."""
    files.record_outputs()
    files.defer_writes()


def take_over_theme_static(pelican_object):
    """List the theme's static files (as Pelican's StaticGenerator would copy them)
    and stop Pelican from copying them itself."""
    settings = pelican_object.settings
    writer_settings(settings)
    _writer._current = None
    _theme_static.clear()
    ignores = settings["IGNORE_FILES"]
    output = Path(pelican_object.output_path) / settings["THEME_STATIC_DIR"]
    for entry in settings["THEME_STATIC_PATHS"]:
        source = Path(pelican_object.theme) / entry
        if source.is_file():
            _theme_static.append((source, output / source.name))
            continue
        for folder, dirs, names in os.walk(source, followlinks=True):
            dirs[:] = [d for d in dirs if not any(fnmatch.fnmatch(d, i) for i in ignores)]
            for name in names:
                if not any(fnmatch.fnmatch(name, i) for i in ignores):
                    path = Path(folder) / name
                    _theme_static.append((path, output / path.relative_to(source)))
    settings["THEME_STATIC_PATHS"] = []


def cache_compiled_templates(pelican_object):
    """Keep the templates' compiled code in the build cache: Pelican gives each of the
    ~15 generators its own Jinja environment, which would compile the templates again
    on every build (0.2-0.3 s)."""
    settings = pelican_object.settings
    if not writer_settings(settings)["cache"] or not settings.get("CACHE_PATH"):
        return
    folder = Path(settings["CACHE_PATH"]) / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    compiled = FileSystemBytecodeCache(str(folder))
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": compiled}


def render_entry_pages_early(generator, writer):
    """The entry pages are all queued once Pelican's ArticlesGenerator is done: render
    them on another core while the other plugins work."""
    if isinstance(writer, IncrementalWriter):
        writer.start_background()


def write_pages(pelican_object):
    writer = current_writer()
    if writer is not None:
        writer.flush(_theme_static)


def register():
    signals.get_writer.connect(get_writer)
    signals.initialized.connect(start_recording)
    signals.initialized.connect(take_over_theme_static)
    signals.initialized.connect(cache_compiled_templates)
    signals.article_writer_finalized.connect(render_entry_pages_early)
    signals.finalized.connect(write_pages)
