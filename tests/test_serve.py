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
