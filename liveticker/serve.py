"""A local web server for the built site that answers unknown paths with the site's 404.html,
as a web host would (Python's http.server would show its own English error page)."""

from __future__ import annotations

import contextlib
import functools
import http.server
from pathlib import Path


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


def serve(folder: Path, port: int = 8000, host: str = "127.0.0.1") -> None:
    """Serve `folder` until interrupted (Ctrl+C)."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"Serving {folder} at http://{host}:{port}/ - stop with Ctrl+C")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
