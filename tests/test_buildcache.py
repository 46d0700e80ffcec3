"""The build cache's fingerprints: a changed file must change them, also within one
process that builds again and again (livereload), where they are remembered."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

from liveticker.buildcache import NOT_BUILD_CODE, tree_fingerprint


def test_a_tree_fingerprint_follows_every_change_of_its_files(tmp_path):
    def write(name: str, text: str, tick: int) -> None:
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        os.utime(path, ns=(tick, tick))  # a tick of the file system's clock apart

    write("pkg/a.py", "A = 1\n", 1)
    write("b.py", "B = 1\n", 1)
    write("notes.txt", "not code\n", 1)
    seen = {tree_fingerprint(tmp_path, suffixes=(".py",))}
    assert tree_fingerprint(tmp_path, suffixes=(".py",)) in seen, "stable"
    write("notes.txt", "other\n", 2)
    assert tree_fingerprint(tmp_path, suffixes=(".py",)) in seen, "other suffixes ignored"
    for step in (lambda: write("pkg/a.py", "A = 2\n", 3),  # same size, later
                 lambda: write("c.py", "", 4),
                 lambda: (tmp_path / "pkg/a.py").rename(tmp_path / "pkg/z.py"),
                 lambda: (tmp_path / "c.py").unlink()):  # fmt: skip
        step()
        fingerprint = tree_fingerprint(tmp_path, suffixes=(".py",))
        assert fingerprint not in seen
        seen.add(fingerprint)


def test_a_skipped_folder_does_not_count(tmp_path):
    (tmp_path / "bench").mkdir()
    (tmp_path / "a.py").write_text("A = 1\n")
    before = tree_fingerprint(tmp_path, skip=(tmp_path / "bench",))
    (tmp_path / "bench" / "b.py").write_text("B = 1\n")
    assert tree_fingerprint(tmp_path, skip=(tmp_path / "bench",)) == before
    assert tree_fingerprint(tmp_path) != before


def test_the_build_imports_none_of_the_code_left_out_of_its_fingerprint(tmp_path):
    """Else editing that code would not drop caches whose outputs depend on it."""
    script = f"""
import sys
from liveticker.build import build_site
build_site({str(ROOT / "content")!r}, {str(tmp_path / "site")!r}, cache={str(tmp_path / "c")!r})
print("\\n".join(getattr(m, "__file__", None) or "" for m in list(sys.modules.values())))
"""
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split("\n")  # fmt: skip
    assert any(path.startswith(str(ROOT / "plugins")) for path in loaded)  # it did build
    for folder in NOT_BUILD_CODE:
        assert not [path for path in loaded if path.startswith(str(folder))], folder
