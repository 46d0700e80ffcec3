"""Accessibility of every page type, checked with axe-core in real Chromium,
in light and in dark mode (contrast, landmarks, headings, names, language)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGES = ["", "2025/02/09/", "2025/02/09/05-nordkoreaner-kaempfen-wieder-im-gebiet-kursk/",
         "2025/02/", "2025/", "kalender/", "themen/", "thema/nordkorea/", "404.html"]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_have_no_accessibility_violations(seed_site, serve, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    base = serve(seed_site)
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = {}
    for path in PAGES:
        page.goto(f"{base}/{path}")
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
        violations = results.response["violations"]
        if violations:
            found[path or "home"] = [(v["id"], v["nodes"][0]["target"]) for v in violations]
    context.close()
    assert found == {}
