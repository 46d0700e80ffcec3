"""Reading built pages the way a reader's browser would."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup


def soup(output: Path, url_path: str) -> BeautifulSoup:
    """Parse the page at a site path such as '2025/02/09/'."""
    file = output / url_path
    if url_path == "" or url_path.endswith("/"):
        file = file / "index.html"
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def entry_titles(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in page.select("article.entry .entry-title")]


def resolve_link(output: Path, page_file: Path, href: str, site_url: str = "") -> Path | None:
    """The file a link on `page_file` points to, or None for external links."""
    target = href.split("#")[0]
    if site_url and target.startswith(site_url):
        target = "/" + target[len(site_url):].lstrip("/")
        base = output
        path = unquote(urlsplit(target).path).lstrip("/")
        resolved = base / path
    else:
        if urlsplit(target).scheme or target.startswith("//"):
            return None
        if target == "":
            return page_file
        page_url = "file://" + str(page_file)
        resolved = Path(unquote(urlsplit(urljoin(page_url, target)).path))
    if str(target).endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved
