"""`invoke check`: run the checks of `validate` and report them.

For people: one line per problem, `PATH:LINE: error: MESSAGE` (or `warning:`), then a
one-line summary. On GitHub Actions (`GITHUB_ACTIONS=true`) also a workflow-command
annotation per problem, so that it shows up on the pull request's changed line.

Paths are printed the way a contributor clicks them: a `--path` as given, every other
file relative to the current folder (`content/2025/02/09/0930-x.md` from the project
root, which is also what GitHub annotations need), or absolute when outside it.

Contributor text (field values, file names) can never start a line of its own: messages
quote values with control characters escaped, and annotations escape `%`, CR and LF -
plus `:` and `,` in properties - as GitHub's toolkit does, so a title or file name
containing `%0A::error::...` or a newline cannot inject a workflow command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from liveticker.validate import Problem, check_tree
from liveticker.vocab import VocabularyError


def escape_data(text: str) -> str:
    """A workflow command's message, as `escapeData` in @actions/core."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file=, title=), as `escapeProperty`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def printable(text: str) -> str:
    """Text with every non-printable character written as an escape (one output line)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def plain_line(problem: Problem) -> str:
    line = (f"{printable(problem.path)}:{problem.line}: {problem.severity}: "
            f"{printable(problem.message)}")  # fmt: skip
    return " " + line if line.startswith("::") else line  # never a workflow command


def annotation(problem: Problem) -> str:
    return (f"::{problem.severity} file={escape_property(problem.path)},line={problem.line},"
            f"title=invoke check::{escape_data(problem.message)}")  # fmt: skip


def summary(files: int, problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    noun = _count(files, "entry file")
    if not problems:
        return f"Checked {noun}: no problems"
    counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    fix = " - fix the errors above (CONTRIBUTING.md explains every rule)" if errors else ""
    return f"Checked {noun}: {counts}{fix}"


def shown_path(file: Path | str, rel: str = "") -> str:
    """A relative path as given; an absolute one relative to the current folder if below
    it, else absolute."""
    file = str(file)
    if not os.path.isabs(file):
        return Path(file).as_posix()
    cwd = os.getcwd().rstrip(os.sep) + os.sep
    return file[len(cwd) :] if file.startswith(cwd) else file


def run_check(
    content: Path | str,
    paths: Iterable[str] = (),
    *,
    environ: Mapping[str, str] = os.environ,
    write: Callable[[str], None] = print,
    now: dt.datetime | None = None,
) -> int:
    """Check and report; returns the exit code: 0 without errors (warnings allowed), else 1."""
    github = environ.get("GITHUB_ACTIONS") == "true"
    paths = list(paths)
    try:
        entries, problems = check_tree(content, paths or None, now=now, label=shown_path)
    except VocabularyError as exc:  # "/path/topics.toml: what is wrong"
        file, _, message = str(exc).partition(": ")
        problems, entries = [Problem(shown_path(file), 1, "error", message)], []
    files = len({c.path for c in entries} | {p.path for p in problems})
    if not paths and not entries and not problems:
        problems = [Problem(shown_path(Path(content).resolve()), 1, "error",
                            "no entry files found - entries live in YYYY/MM/DD/*.md below "
                            "the content folder")]  # fmt: skip
    for problem in problems:
        write(plain_line(problem))
    if github:
        for problem in problems:
            write(annotation(problem))
    write(summary(files if entries or paths else 0, problems))
    return 1 if any(p.is_error for p in problems) else 0


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def main(argv: list[str] | None = None) -> int:
    """`python -m liveticker.check_report [--content DIR] [FILE ...]`: the pre-commit hook.
    Entry files are checked as with `invoke check --path`; a staged vocabulary file (or no
    file at all) checks every entry, since a changed topic can invalidate any of them."""
    parser = argparse.ArgumentParser(prog="python -m liveticker.check_report",
                                     description=main.__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--content", default="content", help="the content root")
    parser.add_argument("files", nargs="*", help="entry files to check (default: all)")
    args = parser.parse_args(argv)
    entries = [f for f in args.files if f.endswith(".md")]
    return run_check(args.content, entries if len(entries) == len(args.files) else [])


if __name__ == "__main__":
    sys.exit(main())
