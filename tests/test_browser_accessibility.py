"""Accessibility of every page type, checked with axe-core in real Chromium,
in light and in dark mode (contrast, landmarks, headings, names, language)."""

from __future__ import annotations

import pytest
from conftest import axe_violations

pytestmark = pytest.mark.browser

PAGES = ["", "2025/02/09/", "2025/02/09/05-nordkoreaner-kaempfen-wieder-im-gebiet-kursk/",
         "2025/02/", "2025/", "kalender/", "themen/", "thema/nordkorea/", "404.html"]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations(seed_site, serve, browser, scheme):
    assert axe_violations(browser, serve(seed_site), PAGES, scheme) == {}
