"""Importers: ticker text, pages and JSON-LD -> `Entry` -> validated entry files.

One module per format (`ntv`, `mdr`, `plain`, `html`, `jsonld`), each with a pure
`parse(text, day=None)` that yields `Entry` objects in source order and touches no
files. `detect` picks the format for `--format auto`; `prepare` applies the rules every
format shares (credits -> source codes, `--source`, topic suggestions); `write` is the
only module that writes, after `validate` has checked every file. `cli.run_import`
joins them for `invoke import`.

Parsers leave `Entry.sources` as the credit names printed in the source (`Reuters`,
an HTML `.credit` element, a JSON-LD author), and trailing credits such as `(dpa)` in
the body; `prepare` maps both to vocabulary codes (`rtr`), so one rule serves all.
"""

from liveticker.importers.base import FORMATS, ImportFailed
from liveticker.importers.cli import run_import

__all__ = ["FORMATS", "ImportFailed", "run_import"]
