"""Running Pelican with the chronicle's settings (the only module here that imports it).

A build fails - returns problems, never "0 articles, exit 0" - when an entry is invalid,
when the content folder holds no entries, or when Pelican logs any error.
"""

from __future__ import annotations

import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


class BuildFailed(RuntimeError):
    pass


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def build_site(
    content: Path | str = ROOT / "content",
    output: Path | str = ROOT / "output",
    settings_file: Path | str = DEV_SETTINGS,
    overrides: dict | None = None,
) -> Path:
    """Build the site from `content` into `output`; raise BuildFailed on any error."""
    from pelican import Pelican
    from pelican.settings import read_settings

    content, output = Path(content).resolve(), Path(output).resolve()
    if not content.is_dir():
        raise BuildFailed(f"content folder {content} does not exist")
    settings = read_settings(
        str(settings_file),
        override={"PATH": str(content), "OUTPUT_PATH": str(output), **(overrides or {})},
    )
    collector = _ErrorCollector()
    root_logger = logging.getLogger()
    root_logger.addHandler(collector)
    try:
        Pelican(settings).run()
    except Exception as exc:  # Pelican and plugins raise plain exceptions
        raise BuildFailed(str(exc)) from exc
    finally:
        root_logger.removeHandler(collector)
    if collector.messages:
        raise BuildFailed("\n".join(collector.messages))
    return output
