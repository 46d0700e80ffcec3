"""A reader in real Chromium: home -> day -> entry -> topic, with no errors on the way."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_reader_walks_home_day_entry_topic(seed_site, serve, page):
    base = serve(seed_site)
    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_role("link", name="Sonntag, 9. Februar 2025").first.click()
    page.wait_for_url(f"{base}/2025/02/09/")
    assert page.locator("h1").inner_text() == "Sonntag, 9. Februar 2025"
    assert page.locator("article.entry").count() == 8
    page.get_by_role("link", name="Nordkoreaner kämpfen wieder im Gebiet Kursk", exact=True).click()
    page.wait_for_url(f"{base}/2025/02/09/05-nordkoreaner-kaempfen-wieder-im-gebiet-kursk/")
    assert page.locator("h1").inner_text() == "Nordkoreaner kämpfen wieder im Gebiet Kursk"
    page.locator(".entry-topics").get_by_role("link", name="Nordkorea").click()
    page.wait_for_url(f"{base}/thema/nordkorea/")
    titles = page.locator("article.entry .entry-title").all_inner_texts()
    assert titles == ["Nordkoreaner kämpfen wieder im Gebiet Kursk",
                      "Nordkorea: werden Russland „stets unterstützen“"]  # fmt: skip
    page.get_by_role("link", name="Sonntag, 9. Februar 2025").click()
    page.locator("#inhalt").wait_for()
    page.get_by_role("link", name="Februar 2025").first.click()
    page.wait_for_url(f"{base}/2025/02/")
    page.get_by_role("link", name="8 Einträge am 9. Februar 2025").click()
    page.wait_for_url(f"{base}/2025/02/09/")
    assert page.problems == []


def test_skip_link_is_first_and_focus_is_visible(seed_site, serve, page):
    base = serve(seed_site)
    page.goto(f"{base}/2025/02/09/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Zum Inhalt springen"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhalt"


def test_layout_fits_a_360px_phone_and_dark_mode_applies(seed_site, serve, browser):
    base = serve(seed_site)
    context = browser.new_context(viewport={"width": 360, "height": 740},
                                  color_scheme="dark")  # fmt: skip
    page = context.new_page()
    for path in ["", "2025/02/09/", "2025/02/", "2025/", "themen/", "thema/kursk/"]:
        page.goto(f"{base}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path or 'home'} scrolls sideways ({width}px)"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 23, 26)"
    context.close()


def test_print_layout_drops_navigation_and_shows_link_targets(seed_site, serve, page):
    base = serve(seed_site)
    page.goto(f"{base}/2025/02/09/")
    page.emulate_media(media="print")
    for selector in [".site-search", ".site-header nav", ".site-footer"]:
        assert page.locator(selector).first.is_hidden(), selector
    assert page.locator("article.entry").first.is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".site-search").is_visible()
