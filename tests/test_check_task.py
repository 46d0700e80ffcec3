"""`invoke check` end to end, as a contributor and as CI run it: a real process, real
files, its exact output and exit code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, write_entry

CHECK_DATA = Path(__file__).parent / "data" / "check" / "content"
SHOWN = "tests/data/check/content"


def invoke_check(*args: str, cwd: Path = ROOT, github: bool = False):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    if github:
        env["GITHUB_ACTIONS"] = "true"
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "check", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def test_every_problem_is_one_line_then_a_summary_and_the_exit_code_is_1():
    done = invoke_check("--content", SHOWN)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"{SHOWN}/2025/02/09/1000-gefangenenaustausch.md:3: error: unknown topic 'Gefangne' in "
        "field 'Tags' - did you mean 'Gefangene'?",
        f"{SHOWN}/2025/02/09/1000-gefangenenaustausch.md:4: error: unknown source 'Reuters' in "
        "field 'Source' - did you mean 'rtr'?",
        f"{SHOWN}/2025/02/09/1100-gruesse.md:1: error: the file is not valid UTF-8: byte 0xfc "
        "('ü' in Windows-1252) at line 1, column 10; the file looks like ISO-8859-1 (Latin-1) "
        "or Windows-1252 - save it as UTF-8 in your editor",
        f"{SHOWN}/2025/02/09/1200-skript.md:7: error: the body contains the HTML element "
        "<script>, which can run script or alter the page - remove it; entries are plain "
        "Markdown",
        f"{SHOWN}/2025/02/09/1200-skript.md:9: error: the body links to 'javascript:alert(1)' "
        "(href= on <a>): a 'javascript:' URL can run script - link only to http://, https:// "
        "or mailto: addresses",
        f"{SHOWN}/2025/02/09/1400-noch-einmal-luftalarm.md:5: error: the text of this entry is "
        f"the same as in {SHOWN}/2025/02/09/0930-luftalarm-in-kiew.md (line 6) - remove one of "
        "the two entries",
        f"{SHOWN}/2025/02/09/Notiz.md:1: warning: file name 'Notiz.md' does not follow the "
        "convention HHMM-slug.md for an entry at 13:00 (field 'Date') - rename it to "
        "'1300-notiz-ohne-thema.md'",
        f"{SHOWN}/2025/02/09/Notiz.md:1: warning: no topics: add `Tags: ...` with one or more "
        "topics from content/topics.toml",
        f"{SHOWN}/2025/04/31/0800-kein-tag.md:1: error: the folder '2025/04/31' is not a day on "
        "the calendar - move the file to the folder YYYY/MM/DD/ of its date in the content "
        "folder",
        f"{SHOWN}/2025/04/31/0800-kein-tag.md:2: error: field 'Date' has the value '2025-04-31 "
        "08:00': April 2025 has no day 31 (it has 30 days) - correct the day or the month",
        f"{SHOWN}/2999/01/01/0800-zukunft.md:2: error: field 'Date' '2999-01-01 08:00' is in "
        "the future - entries record what has happened; correct the date (local time "
        "Europe/Berlin)",
        f"{SHOWN}/lose-datei.md:1: error: the file is not in a date folder YYYY/MM/DD/ but in "
        "the top of the content folder - move it to the folder 2025/02/09/ in the content "
        "folder",
        f"{SHOWN}/lose-datei.md:1: warning: file name 'lose-datei.md' does not follow the "
        "convention HHMM-slug.md for an entry at 15:00 (field 'Date') - rename it to "
        "'1500-lose.md'",
        "Checked 10 entry files: 10 errors, 3 warnings - fix the errors above (CONTRIBUTING.md "
        "explains every rule)",
    ]  # fmt: skip
    assert "::" not in done.stdout


def test_warnings_alone_exit_0_and_bom_crlf_umlauts_pass():
    done = invoke_check("--content", SHOWN, "--path", f"{SHOWN}/2025/02/09/Notiz.md",
                        "--path", f"{SHOWN}/2025/02/09/01-gruesse-aus-koeln.md")  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1] == "Checked 2 entry files: 0 errors, 2 warnings"


def test_the_repository_content_passes():
    done = invoke_check()
    assert done.returncode == 0, done.stdout
    summary = done.stdout.splitlines()[-1]
    assert re.fullmatch(
        r"Checked \d+ entry files: (no problems|0 errors, [\d,]+ warnings?)", summary
    )


def test_path_is_repeatable_printed_as_given_and_finds_a_copy_among_the_other_files(tmp_path):
    content = tmp_path / "inhalt"
    text = "Title: {}\nDate: 2025-02-09 {}\nTags: Luftkrieg\n\nSirenen in Kiew.\n"
    write_entry(content, "2025/02/09/0900-erst.md", text.format("Erst", "09:00"))
    write_entry(content, "2025/02/09/0800-davor.md", text.format("Davor", "08:00"))
    write_entry(content, "2025/02/09/1000-kaputt.md", "Title: Kaputt\n\nText.\n")
    done = invoke_check("--content", "inhalt", "--path", "inhalt/2025/02/09/0800-davor.md",
                        "--path", "inhalt/2025/02/09/1000-kaputt.md", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "inhalt/2025/02/09/0800-davor.md:5: error: the text of this entry is the same as in "
        "inhalt/2025/02/09/0900-erst.md (line 5) - remove one of the two entries",
        "inhalt/2025/02/09/1000-kaputt.md:1: error: missing field 'Date' - add a line `Date: "
        "...` to the metadata at the top of the file",
        "inhalt/2025/02/09/1000-kaputt.md:1: warning: no topics: add `Tags: ...` with one or "
        "more topics from content/topics.toml",
        "Checked 2 entry files: 2 errors, 1 warning - fix the errors above (CONTRIBUTING.md "
        "explains every rule)",
    ]  # fmt: skip


def test_a_missing_file_and_a_file_outside_the_content_folder_are_errors(tmp_path):
    write_entry(tmp_path, "elsewhere/2025/02/09/0900-x.md", "Title: X\n\nText.\n")
    done = invoke_check("--content", "content", "--path", "fehlt.md", "--path",
                        "elsewhere/2025/02/09/0900-x.md", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1
    outside = tmp_path.resolve() / "content"
    assert done.stdout.splitlines()[:2] == [
        "elsewhere/2025/02/09/0900-x.md:1: error: the file is not in the content folder "
        f"{outside} - move it to {outside}/YYYY/MM/DD/ or name its content folder with "
        "--content",
        "fehlt.md:1: error: no such file - check the path",
    ]


def test_github_annotations_follow_the_plain_lines():
    done = invoke_check("--content", SHOWN, "--path", f"{SHOWN}/2025/02/09/Notiz.md",
                        "--path", f"{SHOWN}/2025/02/09/1000-gefangenenaustausch.md",
                        github=True)  # fmt: skip
    lines = done.stdout.splitlines()
    notiz, gefangene = (
        f"{SHOWN}/2025/02/09/{n}" for n in ("Notiz.md", "1000-gefangenenaustausch.md")
    )
    assert lines[4:8] == [
        f"::error file={gefangene},line=3,title=invoke check::unknown topic 'Gefangne' in field "
        "'Tags' - did you mean 'Gefangene'?",
        f"::error file={gefangene},line=4,title=invoke check::unknown source 'Reuters' in field "
        "'Source' - did you mean 'rtr'?",
        f"::warning file={notiz},line=1,title=invoke check::file name 'Notiz.md' does not follow "
        "the convention HHMM-slug.md for an entry at 13:00 (field 'Date') - rename it to "
        "'1300-notiz-ohne-thema.md'",
        f"::warning file={notiz},line=1,title=invoke check::no topics: add `Tags: ...` with one "
        "or more topics from content/topics.toml",
    ]  # fmt: skip
    assert lines[-1].startswith("Checked 2 entry files: 2 errors, 2 warnings")
    assert done.returncode == 1


def test_contributor_text_cannot_inject_workflow_commands(tmp_path):
    content = tmp_path / "content"
    write_entry(content, "2025/02/09/0900-a.md",
                "Title: %0A::error::pwned\nDate: 2025-02-09 09:00\n"
                "Tags: x%0A::error file=a.md::pwned, y%0D%0A::add-mask::z\n"
                "::stop-commands::token\n\nText.\n")  # fmt: skip
    evil = content / "2025/02/09/0930-b\n::error::pwned,line=1.md"
    evil.write_text("Title: B\nDate: 2025-02-09 09:30\nTags: Luftkrieg\n\nAnderer Text.\n")
    done = invoke_check("--content", "content", cwd=tmp_path, github=True)
    lines = done.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 4, lines
    assert all(line.startswith(("::error file=", "::warning file=")) for line in commands)
    assert not any("::error::pwned" in line.split("title=invoke check::")[0] for line in commands)
    assert lines[0] == (
        "content/2025/02/09/0900-a.md:3: error: unknown topic 'x%0A::error file=a.md::pwned' in "
        "field 'Tags' - use one of the topics in content/topics.toml (or propose a new one there)"
    )
    assert commands[0] == (
        "::error file=content/2025/02/09/0900-a.md,line=3,title=invoke check::unknown topic "
        "'x%250A::error file=a.md::pwned' in field 'Tags' - use one of the topics in "
        "content/topics.toml (or propose a new one there)"
    )
    assert commands[2] == (
        "::error file=content/2025/02/09/0900-a.md,line=4,title=invoke check::line "
        "'::stop-commands::token' is not `Key: value` metadata - put one blank line between "
        "the metadata and the body"
    )
    assert commands[3] == (
        "::warning file=content/2025/02/09/0930-b%0A%3A%3Aerror%3A%3Apwned%2Cline=1.md,line=1,"
        "title=invoke check::file name '0930-b\\n::error::pwned,line=1.md' does not follow the "
        "convention HHMM-slug.md for an entry at 09:30 (field 'Date') - rename it to "
        "'0930-b.md'"
    )
    plain = [line for line in lines if "0930-b" in line and not line.startswith("::")]
    assert plain[0].startswith("content/2025/02/09/0930-b\\n::error::pwned,line=1.md:1: warning:")


def test_a_broken_vocabulary_is_reported_not_a_traceback(tmp_path):
    content = tmp_path / "content"
    write_entry(content, "2025/02/09/0900-a.md", "Title: A\nDate: 2025-02-09 09:00\n\nText.\n")
    (content / "topics.toml").write_text("[[topic]]\nname = 'X'\n", encoding="utf-8")
    (content / "sources.toml").write_text("[[source]]\ncode = 'dpa'\nname = 'D'\n")
    done = invoke_check("--content", "content", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "content/topics.toml:1: error: block 1 needs a non-empty `slug`",
        "Checked 0 entry files: 1 error, 0 warnings - fix the errors above (CONTRIBUTING.md "
        "explains every rule)",
    ]
    assert "Traceback" not in done.stderr


def test_the_pre_commit_hook_runs_the_same_check_on_staged_entry_files():
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^\s+entry: (.+)$", config, re.M)[1]
    files = re.compile(re.search(r"^\s+files: (.+)$", config, re.M)[1])
    paths = ("content/2025/02/09/0930-a.md", "content/topics.toml", f"{SHOWN}/lose-datei.md")
    assert [bool(files.search(p)) for p in paths] == [True, True, False]
    assert entry == ".venv/bin/python -m liveticker.check_report"
    command = [sys.executable, *entry.split()[1:], "--content", SHOWN,
               f"{SHOWN}/2025/02/09/1200-skript.md"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        f"{SHOWN}/2025/02/09/1200-skript.md:7: error: the body contains the HTML element "
        "<script>, which can run script or alter the page - remove it; entries are plain "
        "Markdown"
    )


def test_the_workflow_runs_check_and_build_on_pull_requests():
    workflow = (ROOT / ".github/workflows/check.yml").read_text(encoding="utf-8")
    assert re.search(r"^on:\n  pull_request:", workflow, re.M)
    assert 'python-version: "3.11"' in workflow and "pip install -e ." in workflow
    steps = re.findall(r"^\s+run: (invoke \w+)", workflow, re.M)
    assert steps == ["invoke check", "invoke build"]
