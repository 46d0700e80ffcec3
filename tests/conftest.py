"""Fixtures that build real sites from real entry files (no mocks of the build)."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import textwrap
import threading
from pathlib import Path

import pytest

from liveticker.build import build_site as _build_site

ROOT = Path(__file__).resolve().parent.parent
SEED_CONTENT = ROOT / "content"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def write_entry(content: Path, rel: str, text: str) -> Path:
    """Write an entry file (dedented) below `content`, e.g. rel='2025/02/09/0930-x.md'."""
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def build_site(tmp_path):
    """Build a site from a content folder with the real settings; returns the output dir."""

    def build(content: Path, **overrides) -> Path:
        output = tmp_path / f"output-{len(list(tmp_path.glob('output-*')))}"
        return _build_site(content, output, overrides=overrides or None)

    return build


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The repository's real content (the seed day), built once per test session."""
    return _build_site(SEED_CONTENT, tmp_path_factory.mktemp("seed") / "output")


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    """serve(folder) -> base URL of a local HTTP server on 127.0.0.1 (random port)."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright. Missing in CI is a failure."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing in CI: install the Debian package 'chromium'")
        pytest.skip("Chromium not installed (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and failed requests in `page.problems`."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    # ERR_ABORTED: the page went on to another page while this request (e.g. the icon)
    # was still loading - nothing a reader sees; blocked loads show as console errors
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
            and page.problems.append(f"failed: {r.url} {r.failure}"))  # fmt: skip
    page.on("response", lambda r: r.status >= 400 and page.problems.append(f"{r.status}: {r.url}"))
    yield page
    context.close()


def axe_violations(browser, base: str, paths: list[str], scheme: str) -> dict:
    """axe-core (WCAG 2 A/AA + best practice) on each page in one colour scheme:
    {page: [(rule, first target, summary)]} for every page with violations."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = {}
    for path in paths:
        page.goto(f"{base}/{path}")
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
        violations = results.response["violations"]
        if violations:
            found[path or "home"] = [
                (v["id"], v["nodes"][0]["target"], v["nodes"][0]["failureSummary"][:200])
                for v in violations
            ]
    context.close()
    return found
