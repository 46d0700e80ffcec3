"""The archive as one file: a zip of the built site that works when opened from disk.

The site is built into a temporary folder with `THEME_HELPERS["index_suffix"] =
"index.html"`, so every link names its file (a browser opening `file://…/2025/02/09/`
would show a folder listing, not the page), and with the publication settings, so
permalinks and citations carry the public address. The zip holds one folder; its
entries are sorted and dated by the newest day of the archive, so the same content
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from pathlib import Path

from liveticker.build import PUBLISH_SETTINGS, ROOT, build_site

FOLDER = "ukraine-chronik"
DEFAULT_OUTPUT = ROOT / "dist" / f"{FOLDER}.zip"
README_NAME = "LIESMICH.txt"
README = """Ukraine-Krieg: die Chronik – Kopie zum Lesen ohne Internet

Öffnen Sie die Datei index.html in diesem Ordner mit einem Browser (Doppelklick).
Alle Seiten, Diagramme und Daten liegen in diesem Ordner; keine Seite lädt etwas
aus dem Internet. Die Daten für die Forschung liegen in daten/ (JSON Lines und CSV).
Die Links „Permalink“ und die Zitierangaben nennen die öffentliche Adresse des Archivs.
"""
LEFT_OUT = {"404.html"}  # served by web servers only; its links are absolute public URLs
_DAY_PATH = re.compile(r"(\d{4})/(\d{2})/(\d{2})/index\.html")


def newest_day(site: Path) -> dt.date | None:
    days = [
        dt.date(int(m[1]), int(m[2]), int(m[3]))
        for p in site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/index.html")
        if (m := _DAY_PATH.fullmatch(p.relative_to(site).as_posix()))
    ]  # fmt: skip
    return max(days, default=None)


def zip_folder(site: Path, target: Path, folder: str = FOLDER) -> Path:
    """Write every file below `site` into `target` under `folder/`, reproducibly."""
    day = newest_day(site) or dt.date(1980, 1, 1)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            if path.relative_to(site).as_posix() in LEFT_OUT:
                continue
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    partial.replace(target)
    return target


def make_bundle(content: Path | str, output: Path | str = DEFAULT_OUTPUT,
                settings_file: Path | str = PUBLISH_SETTINGS) -> Path:  # fmt: skip
    """Build `content` for reading from disk and zip it to `output`; returns its path.
    Raises liveticker.build.BuildFailed like `invoke build`."""
    output = Path(output).resolve()
    with tempfile.TemporaryDirectory(prefix="chronik-bundle-") as tmp:
        site = build_site(content, Path(tmp) / "site", settings_file,
                          overrides={"THEME_HELPERS": {"index_suffix": "index.html"}})  # fmt: skip
        (site / README_NAME).write_text(README, encoding="utf-8")
        return zip_folder(site, output)
