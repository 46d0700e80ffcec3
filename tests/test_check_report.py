"""How `invoke check` writes problems: plain lines, GitHub annotations, the summary."""

from __future__ import annotations

import pytest

from liveticker.check_report import (
    annotation,
    escape_data,
    escape_property,
    plain_line,
    run_check,
    summary,
)
from liveticker.validate import Problem


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [("plain", "plain", "plain"),
     ("100%", "100%25", "100%25"),
     ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
     ("%0A::error::x", "%250A::error::x", "%250A%3A%3Aerror%3A%3Ax"),
     ("a.md,line=1", "a.md,line=1", "a.md%2Cline=1"),
     ("Grüße: „Kiew“", "Grüße: „Kiew“", "Grüße%3A „Kiew“")],
)  # fmt: skip
def test_escaping_follows_githubs_toolkit(text, data, prop):
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_an_annotation_escapes_file_and_message():
    problem = Problem("content/a,b:c.md", 3, "error", "unknown topic 'x\n::error::y' - 50%")
    assert annotation(problem) == (
        "::error file=content/a%2Cb%3Ac.md,line=3,title=invoke check::unknown topic "
        "'x%0A::error::y' - 50%25"
    )


def test_a_plain_line_is_always_one_line_and_never_a_workflow_command():
    problem = Problem("::warning::x.md", 1, "error", "bad\nvalue\u202e")
    assert plain_line(problem) == " ::warning::x.md:1: error: bad\\nvalue\\u202e"


def test_summary_counts_files_errors_and_warnings():
    error, warning = Problem("a.md", 1, "error", "e"), Problem("b.md", 1, "warning", "w")
    assert summary(1, []) == "Checked 1 entry file: no problems"
    assert summary(3, [warning]) == "Checked 3 entry files: 0 errors, 1 warning"
    assert summary(10_000, [error, warning, warning]) == (
        "Checked 10,000 entry files: 1 error, 2 warnings - fix the errors above (CONTRIBUTING.md "
        "explains every rule)"
    )


def test_an_empty_content_folder_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    lines = []
    assert run_check("content", [], environ={}, write=lines.append) == 1
    assert lines == [
        "content:1: error: no entry files found - entries live in YYYY/MM/DD/*.md below the "
        "content folder",
        "Checked 0 entry files: 1 error, 0 warnings - fix the errors above (CONTRIBUTING.md "
        "explains every rule)",
    ]
