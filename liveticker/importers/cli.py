"""`invoke import`: read the source, pick the format, parse, prepare, plan, write.

The task in tasks.py only passes its options here and turns ImportFailed into a
non-zero exit; everything a contributor sees is worded here.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from liveticker.entry_file import EncodingProblem, decode
from liveticker.importers import detect as detection
from liveticker.importers import write as writer
from liveticker.importers.base import FORMATS, ImportFailed, NoItems, formats_help
from liveticker.importers.dates import parse_option
from liveticker.importers.prepare import option_source, option_topics, prepare
from liveticker.vocab import VocabularyError, load_vocabulary


def read_source(source: str) -> str:
    """A file path, or `-` for standard input, as text (UTF-8, BOM and CRLF handled)."""
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise ImportFailed(f"{source}: no such file")
        data = path.read_bytes()
    try:
        return decode(data)
    except EncodingProblem as exc:
        raise ImportFailed(f"{source}: {exc}") from None


def run_import(
    source: str, *, date: str | None = None, fmt: str = "auto", selectors: str | None = None,
    content: str | Path = "content", tags: str | None = None, source_code: str | None = None,
    dry_run: bool = False, now: dt.datetime | None = None,
) -> list[str]:  # fmt: skip
    """Import one source; returns the report lines. Raises ImportFailed (nothing written)."""
    content = Path(content)
    try:
        vocab = load_vocabulary(content)
    except VocabularyError as exc:
        raise ImportFailed(str(exc)) from None
    day = parse_option(date)
    topics, default_source = option_topics(tags, vocab), option_source(source_code, vocab)
    if selectors and fmt not in ("auto", "html"):
        raise ImportFailed(f"--selectors only applies to --format html, not {fmt}")
    text = read_source(source)
    chosen = detection.detect(text, selectors) if fmt == "auto" else fmt
    parse = detection.parser(chosen)
    try:
        parsed = list(parse(text, day, selectors) if chosen == "html" else parse(text, day))
    except NoItems as exc:
        if fmt != "auto":
            raise
        raise ImportFailed(f"{exc} Other formats: {', '.join(FORMATS)}: {formats_help()}") from None
    prepared = prepare(parsed, vocab, topics, default_source)
    outcome = writer.plan(prepared.entries, content, vocab, now)
    if not dry_run:
        writer.write(outcome, content)
    return _report(outcome, prepared.warnings, content, chosen, len(parsed), dry_run)


def _report(outcome, warnings, content: Path, fmt: str, total: int, dry_run: bool) -> list[str]:
    verb = "would write" if dry_run else "wrote"
    lines = [f"{verb} {content / p.path}" for p in outcome.written]
    lines += outcome.present
    lines += [f"warning: {w}" for w in warnings + outcome.warnings]
    new, old = len(outcome.written), len(outcome.present)
    if not new:
        lines.append(f"Nothing new: all {total} items ({fmt}) are already in {content}; "
                     "nothing written.")  # fmt: skip
    elif dry_run:
        lines.append(f"Dry run: {total} items ({fmt}), {new} would be written, {old} already "
                     "present; nothing written.")  # fmt: skip
    else:
        lines.append(f"Imported {total} items ({fmt}): {new} written, {old} already present.")
    return lines
