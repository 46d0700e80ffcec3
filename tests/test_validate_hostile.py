"""The hostile corpus without a browser: the check rejects every case that could run
script, and the sanitiser neutralises every case - including those the check rejects,
so that the published HTML is safe even if a check were skipped (defence in depth).

tests/data/hostile/rejected.md: bodies that must be rejected (and neutralised).
tests/data/hostile/content/: a content folder that passes the check but tries sneaky
things; tests/test_browser_hostile.py builds it and opens every page in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given, settings
from hypothesis import strategies as st

from liveticker.entry_file import decode, split
from liveticker.render import markdown_to_html, render_body
from liveticker.unsafe_markup import find_unsafe_markup, scan_html
from liveticker.validate import check_entry_text, check_tree
from liveticker.vocab import load_vocabulary

HOSTILE = Path(__file__).parent / "data" / "hostile"
ALLOWED_TAGS = {
    "p", "br", "a", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small",
    "sub", "sup", "q", "cite", "abbr", "code", "pre", "kbd", "blockquote", "hr",
    "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "div", "span",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
}  # fmt: skip

C0_AND_SPACE = "".join(map(chr, range(0x21)))  # browsers strip these around a URL


def rejected_cases() -> dict[str, str]:
    text = (HOSTILE / "rejected.md").read_text(encoding="utf-8")
    parts = re.split(r"^%%% (\S+)\n", text, flags=re.M)[1:]
    return dict(zip(parts[::2], parts[1::2], strict=True))


def accepted_bodies() -> dict[str, str]:
    files = sorted((HOSTILE / "content").rglob("*.md"))
    return {f.stem: split(decode(f.read_bytes())).body for f in files}


REJECTED = rejected_cases()
ACCEPTED = accepted_bodies()


def assert_inert(fragment: str) -> None:
    """Only allowed tags; no event, style or loading attributes; links only to http(s),
    mailto or relative; ids only the prefixed footnote ids; classes only footnote ones."""
    for tag in BeautifulSoup(fragment, "html.parser").find_all(True):
        assert tag.name in ALLOWED_TAGS, tag
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            assert name not in {"style", "src", "srcset", "action", "formaction", "srcdoc"}, tag
            if name == "href":
                # as a browser reads it (bs4 has decoded the entities already)
                url = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE))
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
                assert scheme is None or scheme[1].lower() in {"http", "https", "mailto"}, tag
            if name == "id":
                assert re.fullmatch(r"e-1-fn(ref)?:\w+", value), tag
            if name == "class":
                assert set(value) <= {"footnote", "footnote-ref", "footnote-backref"}, tag


def test_the_corpus_is_broad():
    names = " ".join(REJECTED)
    for kind in ("script", "onerror", "svg", "math", "javascript", "entity", "reference",
                 "image", "attr-list", "iframe", "object", "embed", "form", "meta", "base",
                 "style", "vbscript", "data"):  # fmt: skip
        assert kind in names, kind
    assert len(REJECTED) >= 60


@pytest.mark.parametrize("name", REJECTED)
def test_the_check_rejects_every_hostile_body(name):
    text = f"Title: Test\nDate: 2025-02-09 09:30\nTags: Luftkrieg\n\n{REJECTED[name]}"
    checked, problems = check_entry_text(text, "2025/02/09/0930-test.md", load_vocabulary())
    assert checked is None
    assert problems and all(p.is_error and p.message.startswith("the body") for p in problems)


@pytest.mark.parametrize("name", REJECTED)
def test_the_sanitiser_neutralises_every_rejected_body(name):
    assert_inert(render_body(REJECTED[name], "e-1"))


@pytest.mark.parametrize("name", ACCEPTED)
def test_the_sanitiser_neutralises_every_accepted_hostile_body(name):
    assert_inert(render_body(ACCEPTED[name], "e-1"))


def test_the_accepted_corpus_passes_the_check_so_the_browser_test_builds_it_honestly():
    entries, problems = check_tree(HOSTILE / "content")
    assert [p for p in problems if p.is_error] == []
    assert len(entries) == len(ACCEPTED)


def test_without_the_sanitiser_the_corpus_would_be_dangerous():
    """The corpus really is hostile: raw Markdown output carries the payloads."""
    raw = markdown_to_html(REJECTED["img-onerror"]) + markdown_to_html(REJECTED["link-reference"])
    assert "onerror" in raw and 'href="javascript:' in raw
    with pytest.raises(AssertionError):
        assert_inert(raw)


def test_script_and_style_content_is_removed_not_shown_as_text():
    out = render_body("Vorher <script>top.__pwned=1</script><style>p{}</style> nachher", "e-1")
    assert out == "<p>Vorher  nachher</p>"


def test_links_keep_http_https_mailto_and_gain_rel():
    out = render_body("[a](https://example.org/x?a=1&b=2) [b](http://e.org) [c](mailto:r@e.org)"
                      " [d](ftp://e.org/x) [e](tel:+49)", "e-1")  # fmt: skip
    assert out == (
        '<p><a href="https://example.org/x?a=1&amp;b=2" rel="noopener noreferrer nofollow">a</a> '
        '<a href="http://e.org" rel="noopener noreferrer nofollow">b</a> '
        '<a href="mailto:r@e.org" rel="noopener noreferrer nofollow">c</a> '
        '<a rel="noopener noreferrer nofollow">d</a> '
        '<a rel="noopener noreferrer nofollow">e</a></p>'
    )


def test_footnotes_keep_working_with_ids_prefixed_per_entry():
    body = "Satz[^1] und Satz[^quelle].\n\n[^1]: Erste.\n[^quelle]: Zweite."
    soup = BeautifulSoup(render_body(body, "0930-a") + render_body(body, "1000-b"), "html.parser")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)) == 8
    for link in soup.select("a[href^='#']"):
        assert soup.find(id=link["href"][1:]) is not None, link
    assert soup.find(id="0930-a-fn:1").get_text(strip=True).startswith("Erste.")
    assert soup.select_one("a.footnote-backref")["title"] == "Zurück zu Fußnote 1 im Text"


def test_contributor_ids_and_classes_are_dropped():
    out = render_body('Absatz\n{: #inhalt .skip-link }\n\n<span class="visually-hidden">x</span>',
                      "e-1")  # fmt: skip
    assert out == "<p>Absatz</p>\n<p><span>x</span></p>"


# Pieces of link, footnote, image and HTML syntax, so that random bodies combine them.
FRAGMENTS = ["Text ", "[x]", "[^1]", "[^1]:", "[x]:", "!", "(javascript:alert(1))",
             "(https://example.org)", " javascript:alert(1)", "[x](https://example.org)",
             "\n", "\n\n", " ", "[", "]", "(", ")", "<img src=x onerror=alert(1)>",
             "{: onclick=x }", "&#106;avascript:x", "^1"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@example("[^1](javascript:alert(1))")
@example("![^1](javascript:alert(1))")
@example("[^1]\n[x]\n\n[x]: javascript:alert(1)")
@example("Text[^1].\n\n[^1]: [x](javascript:alert(1))")
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
def test_the_fast_path_never_hides_what_the_full_scan_finds(body):
    if scan_html(markdown_to_html(body)):
        assert find_unsafe_markup(body), body
