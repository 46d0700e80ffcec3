"""Documentation that newcomers rely on stays complete."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_every_plugin_has_a_section_in_docs_plugins():
    docs = (ROOT / "docs/plugins.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## (\w+)$", docs, flags=re.M))
    plugins = {p.name for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists()}
    assert plugins - sections == set(), "plugins without a section in docs/plugins.md"
    configured = re.search(r"PLUGINS = \[(.*?)\]", (ROOT / "pelicanconf.py").read_text(), re.S)
    assert set(re.findall(r'"(\w+)"', configured[1])) == plugins, "PLUGINS and plugins/ differ"


def test_every_invoke_task_has_one_line_help():
    listing = subprocess.run([sys.executable, "-m", "invoke", "--list"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    rows = [line for line in listing.splitlines()[1:] if line.strip()]
    assert len(rows) >= 6
    for row in rows:
        match = re.fullmatch(r"  (\S+)\s+(\S.*)", row)
        assert match, f"task help missing or longer than one line: {row!r}"


def test_readme_quick_start_has_exactly_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:sh|bash)?\n(.*?)```", quick, flags=re.S)
    lines = [line for block in commands for line in block.strip().splitlines()]
    assert len(lines) == 2, lines
    assert lines[1] in (ROOT / ".ci/run").read_text(encoding="utf-8")
