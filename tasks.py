"""The menu of everything you can do with the chronicle: `invoke --list`.

Each task is a thin wrapper around library code in liveticker/ and plugins/.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"
CACHE = ROOT / ".cache"


def _build(content, output, settings_file=None, overrides=None, cache=None):
    from liveticker.build import DEV_SETTINGS, BuildFailed, build_in_child

    try:
        out = build_in_child(content, output, settings_file or DEV_SETTINGS, overrides, cache)
    except BuildFailed as exc:
        raise Exit(f"Build failed:\n{exc}", code=1) from None
    print(f"Built {content} -> {out}")
    return out


@task(help={"content": "folder of entries (default: content/)",
            "output": "folder for the site (default: output/)",
            "cache": "folder for incremental build state (default: .cache/)",
            "max_memory": "MB all build processes may take together (default "
                          "2000); more builds big archives faster; 0: no limit"})  # fmt: skip
def build(c, content=str(CONTENT), output=str(OUTPUT), cache=str(CACHE), max_memory=None):
    """Build the site from the entries into the output folder."""
    budget = _megabytes(max_memory)
    overrides = None if budget is None else {"BUILD_MEMORY_MB": budget}
    _build(content, output, overrides=overrides, cache=cache)


def _megabytes(max_memory) -> int | None:
    """The value of a --max-memory option (None if not given)."""
    if max_memory is None:
        return None
    if not str(max_memory).isdigit():
        raise Exit(f"--max-memory must be a whole number of megabytes (0: no limit), "
                   f"not {max_memory!r}", code=1)  # fmt: skip
    return int(max_memory)


@task(positional=["query"], help={"query": "search words, e.g. 'Angriff -Drohnen datum:2025-02'",
                                  "json": "print a JSON list", "limit": "at most N results",
                                  "content": "folder of entries (default: content/)"})  # fmt: skip
def search(c, query, json=False, limit=20, content=str(CONTENT)):
    """Search the archive, German-aware; the index lives in .cache/."""
    from liveticker.search_cli import run_search

    if not run_search(Path(content), query, as_json=json, limit=limit):
        raise Exit(code=1)


@task(help={"content": "folder of entries (default: content/)"})
def index(c, content=str(CONTENT)):
    """Create or update the command-line search index."""
    from liveticker.search_cli import run_index

    run_index(Path(content))


@task(help={"port": "port on 127.0.0.1 (default 8000)", "output": "folder to serve"})
def serve(c, port=8000, output=str(OUTPUT)):
    """Serve the built site at http://127.0.0.1:8000/ (build first)."""
    from liveticker.serve import serve as serve_site

    if not Path(output).is_dir():
        raise Exit(f"{output} does not exist: run `invoke build` first", code=1)
    try:
        serve_site(Path(output), int(port))
    except OSError as error:  # e.g. the port is taken (another `invoke serve`)
        raise Exit(f"cannot serve on 127.0.0.1:{port}: {error.strerror} - stop the other "
                   f"server or choose another port, e.g. `invoke serve --port "
                   f"{int(port) + 1}`", code=1) from None  # fmt: skip


@task(help={"port": "port on 127.0.0.1 (default 8000)", "content": "folder of entries"})
def livereload(c, port=8000, content=str(CONTENT)):
    """Build, serve and rebuild whenever an entry or the theme changes."""
    c.run(f"{sys.executable} -m pelican --autoreload --listen --port {port} "
          f"-s {ROOT / 'pelicanconf.py'} {content} -o {OUTPUT}")  # fmt: skip


@task
def clean(c):
    """Delete the output folder and the build cache."""
    for folder in (OUTPUT, ROOT / ".cache"):
        shutil.rmtree(folder, ignore_errors=True)
        print(f"Removed {folder}")


@task(help={"content": "folder of entries", "output": "folder for the site"})
def publish(c, content=str(CONTENT), output=str(OUTPUT)):
    """Build with publishconf.py; address from CHRONIK_SITEURL."""
    from liveticker.build import PUBLISH_SETTINGS

    _build(content, output, PUBLISH_SETTINGS)


@task(help={"k": "only tests matching this expression (pytest -k)"})
def test(c, k=""):
    """Run the whole test suite: Python, JavaScript and browser tests."""
    selection = f"-k {k!r}" if k else ""
    c.run(f"{sys.executable} -m pytest {selection}", pty=False)


@task(
    name="import",
    positional=["path"],
    help={"path": "SOURCE: the ticker file, or - for standard input",
          "date": "day YYYY-MM-DD, where the source states none",
          "format": "auto (default), ntv, mdr, plain, html or jsonld",
          "selectors": "for html, e.g. 'entry=article.update,title=h2,time=time,body=p'",
          "content": "folder of entries (default: content/)",
          "tags": "topics added to every item, comma-separated",
          "source": "source code for items without a credit, e.g. dpa",
          "dry_run": "print what would be written, write nothing"},
)  # fmt: skip
def import_(c, path, date=None, format="auto", selectors=None, content=str(CONTENT),
            tags=None, source=None, dry_run=False):  # fmt: skip
    """Import a ticker (text, HTML or JSON-LD) as checked entry files."""
    from liveticker.importers import ImportFailed, run_import

    try:
        lines = run_import(path, date=date, fmt=format, selectors=selectors, content=content,
                           tags=tags, source_code=source, dry_run=dry_run)  # fmt: skip
    except ImportFailed as exc:
        raise Exit(f"Import failed, nothing written:\n{exc}", code=1) from None
    print("\n".join(lines))


@task(help={"content": "folder of entries (default: content/)",
            "output": "zip file to write (default: dist/ukraine-chronik.zip)"})  # fmt: skip
def bundle(c, content=str(CONTENT), output=None):
    """Zip the site, built for reading from disk (file://)."""
    from liveticker.build import BuildFailed
    from liveticker.bundle import DEFAULT_OUTPUT, make_bundle

    try:
        path = make_bundle(content, output or DEFAULT_OUTPUT)
    except BuildFailed as exc:
        raise Exit(f"Build failed:\n{exc}", code=1) from None
    print(f"Wrote {path}")


@task(
    iterable=["path"],
    help={"content": "the content root, so a file's date folder is known (default: content/)",
          "path": "an entry file (or folder) to check; repeat for more (default: all entries)"},
)  # fmt: skip
def check(c, content=str(CONTENT), path=None):
    """Check entry files: format, vocabularies, safe Markdown."""
    from liveticker.check_report import run_check

    if run_check(content, path or []):
        raise Exit(code=1)


@task(
    help={"title": "the headline (required)",
          "date": "'YYYY-MM-DD HH:MM', or 'YYYY-MM-DD' if the time is unknown (default: now)",
          "tags": "topics from content/topics.toml, comma-separated",
          "source": "source codes from content/sources.toml, comma-separated, e.g. dpa",
          "body": "the text (default: a placeholder line that `invoke check` flags)",
          "body_file": "read the text from this UTF-8 file",
          "content": "folder of entries (default: content/)"},
)  # fmt: skip
def new(c, title="", date=None, tags="", source="", body=None, body_file=None,
        content=str(CONTENT)):  # fmt: skip
    """Write a new entry file at the right place; print its path."""
    from liveticker.check_report import shown_path
    from liveticker.new_entry import NewEntryError, create_entry

    if body_file:
        body = Path(body_file).read_text(encoding="utf-8")
    try:
        made = create_entry(content, title, date, tags, source, body)
    except NewEntryError as exc:
        raise Exit(f"{exc}\nNothing written.", code=1) from None
    shown = shown_path(made.path, "")
    print(shown)
    for warning in made.warnings:
        print(warning, file=sys.stderr)
    if made.placeholder:
        print(f"Next: replace the placeholder line in {shown} with the text, then run "
              f"`invoke check --path {shown}`.", file=sys.stderr)  # fmt: skip


@task(help={"entries": "entries in the synthetic archive (default 10000)",
            "repeat": "runs of every scenario; medians are reported (default 1)",
            "out": "folder for the JSON and Markdown report (default: bench-results/)",
            "baseline": "also time plain Pelican (default on; --no-baseline for big N)",
            "search": "also run the search hooks: index alone, query bytes, Pagefind",
            "keep": "keep the temporary folder with archive and outputs",
            "max_memory": "the builds' --max-memory in MB (default: the build's own)"})  # fmt: skip
def bench(c, entries=10_000, repeat=1, out=str(ROOT / "bench-results"), baseline=True,
          search=False, keep=False, max_memory=None):  # fmt: skip
    """Time plain Pelican and invoke build on a synthetic archive."""
    from liveticker.bench import report
    from liveticker.bench.runner import Bench

    runner = Bench(int(entries), with_baseline=baseline, with_search=search,
                   max_memory=_megabytes(max_memory))
    try:
        result = runner.run(int(repeat))
    finally:
        if not keep:
            runner.cleanup()
    print(report.text_table(result))
    for path in report.write(result, Path(out)):
        print(f"Wrote {path}")
