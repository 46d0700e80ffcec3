"""axe-core on the pages of issue 8 (charts, data, sources, corrections, citations),
built from the three-year timeline content, in light and dark mode."""

from __future__ import annotations

import pytest
from conftest import axe_violations
from timeline_content import build_timeline

pytestmark = pytest.mark.browser

PAGES = ["", "2025/", "themen/", "thema/luftkrieg/", "daten/", "quellen/", "quelle/dpa/",
         "korrekturen/", "2025/02/09/", "2025/02/09/2105-eintrag-10/"]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_views_have_no_accessibility_violations(site, serve, browser, scheme):
    assert axe_violations(browser, serve(site), PAGES, scheme) == {}
