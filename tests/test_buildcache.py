"""The build cache's fingerprints: a changed file must change them, also within one
process that builds again and again (livereload), where they are remembered."""

from __future__ import annotations

import os

from liveticker.buildcache import tree_fingerprint


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
