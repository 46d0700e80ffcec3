"""axe-core on the pages of issue 8 (charts, data, sources, corrections, citations),
built from the three-year timeline content, in light and dark mode."""

from __future__ import annotations

import pytest
from timeline_content import build_timeline

pytestmark = pytest.mark.browser

PAGES = ["", "2025/", "themen/", "thema/luftkrieg/", "daten/", "quellen/", "quelle/dpa/",
         "korrekturen/", "2025/02/09/", "2025/02/09/2105-eintrag-10/"]  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_timeline(tmp_path_factory)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_views_have_no_accessibility_violations(site, serve, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    base = serve(site)
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = {}
    for path in PAGES:
        page.goto(f"{base}/{path}")
        results = axe.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
        violations = results.response["violations"]
        if violations:
            found[path or "home"] = [
                (v["id"], v["nodes"][0]["target"], v["nodes"][0]["failureSummary"][:200])
                for v in violations
            ]
    context.close()
    for path, problems in found.items():
        print(path, problems)
    assert found == {}
