"""`invoke serve` answers like a web host: files, directory indexes, the site's 404 page."""

from __future__ import annotations

import functools
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest

from liveticker.serve import SiteHandler


@pytest.fixture
def served(seed_site):
    handler = functools.partial(SiteHandler, directory=str(seed_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_unknown_paths_get_the_sites_german_404_page(served):
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(f"{served}/2031/01/01/gibt-es-nicht/")
    assert failure.value.code == 404
    assert "<h1>Seite nicht gefunden</h1>" in failure.value.read().decode("utf-8")


def test_day_pages_are_served_as_directory_indexes(served):
    with urllib.request.urlopen(f"{served}/2025/02/09/") as response:
        assert response.status == 200
        assert "<h1>Sonntag, 9. Februar 2025</h1>" in response.read().decode("utf-8")


def test_a_taken_port_is_a_one_line_error_naming_it(seed_site):
    """A second `invoke serve` on the same port: exit 1 with the port and what to do,
    not a Python traceback."""
    import subprocess
    import sys

    from conftest import ROOT

    busy = ThreadingHTTPServer(("127.0.0.1", 0), SiteHandler)
    port = busy.server_address[1]
    try:
        done = subprocess.run([sys.executable, "-m", "invoke", "serve", "--port", str(port),
                               "--output", str(seed_site)], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)  # fmt: skip
    finally:
        busy.server_close()
    assert done.returncode == 1
    assert f"127.0.0.1:{port}" in done.stderr and "--port" in done.stderr
    assert "Traceback" not in done.stderr
