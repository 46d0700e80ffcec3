"""Source text becomes Markdown that the site renders as exactly that text."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from liveticker.entry import Entry
from liveticker.entry_file import format_entry
from liveticker.importers import mdtext
from liveticker.importers.html import inline_markdown
from liveticker.render import render_body
from liveticker.validate import check_entry_text
from liveticker.vocab import load_vocabulary

VOCAB = load_vocabulary()
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ0123456789")
    + list(" .,;:!?-–„“\"'()[]{}<>&*_#`\\~|+=/%€§$@^")
    + [
        "&amp;",
        "&lt;",
        "&#39;",
        "<script>",
        "</p>",
        "[a](http://x.org)",
        "1. ",
        "- ",
        "\t",
        "\n",
        "---",
        "~~~",
        "```",
        "    ",
        "*[x]: y",
        "[^1]",
        "{: #id}",
        "| a |",
    ]
)


def shown(markdown: str) -> str:
    """The text a reader sees of a rendered body."""
    return BeautifulSoup(render_body(markdown, "e"), "html.parser").get_text()


@pytest.mark.parametrize(
    "text",
    ["<Fortsetzung folgt>", "Bürger*innen und Politiker*innen", "20. Januar: Beginn",
     "# keine Überschrift", "- kein Listenpunkt", "AT&T &amp; Co", "[Anm. d. Red.](x)",
     "<script>alert(1)</script>", "a_b_c", "`kein Code`", "\\ Backslash", "---",
     "~~~ kein Code", "+ kein Punkt", "-5 Grad"],
)  # fmt: skip
def test_special_text_renders_literally(text):
    assert shown(mdtext.paragraph(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(ALPHABET, min_size=1, max_size=30).map("".join), min_size=1, max_size=3))
def test_any_paragraphs_render_as_their_text_and_pass_the_check(texts):
    texts = [re.sub(r"\n\s*\n", "\n", t) for t in texts]  # blank lines split paragraphs
    expected = [mdtext.normalize(t) for t in texts if mdtext.normalize(t)]
    if not expected:
        return
    body = mdtext.body_from_text("\n\n".join(texts))
    rendered = BeautifulSoup(render_body(body, "e"), "html.parser")
    assert [p.get_text() for p in rendered.find_all("p")] == expected
    assert [t.name for t in rendered.find_all(True)] == ["p"] * len(expected)
    entry = Entry(day=dt.date(2025, 1, 2), time=None, title="T", body=body)
    checked, problems = check_entry_text(format_entry(entry), "2025/01/02/01-t.md", VOCAB)
    assert checked is not None, problems
    assert checked.entry.body == body


def test_links_quote_what_would_end_the_url():
    markdown = mdtext.link("Text", "https://example.org/a b(c)")
    assert markdown == "[Text](https://example.org/a%20b%28c%29)"
    rendered = render_body(markdown, "e")
    assert 'href="https://example.org/a%20b%28c%29"' in html.unescape(rendered)


def test_link_text_brackets_are_escaped_and_only_web_links_stay_links():
    fragment = BeautifulSoup(
        '<p>Siehe <a href="https://x.org/a">Bericht [1]</a>, <a href="mailto:a@b.c">Mail</a> '
        'und <a href="/relativ">relativ</a>.</p>',
        "html.parser",
    ).p
    assert inline_markdown(fragment, "https://zeitung.example/liveblog") == (
        "Siehe [Bericht \\[1\\]](https://x.org/a), Mail und "
        "[relativ](https://zeitung.example/relativ)."
    )
    assert (
        inline_markdown(fragment) == "Siehe [Bericht \\[1\\]](https://x.org/a), Mail und relativ."
    )
