"""Text -> Markdown that renders as exactly that text.

The site renders bodies as Markdown, so source text such as `<Fortsetzung folgt>`,
`Bürger*innen` or a paragraph starting `20. Januar` would otherwise turn into a tag,
emphasis or a list. Only what Markdown would change is escaped, so ordinary prose
(and the hand-written seed entries) stays byte for byte the same.
`<`, `>` become `&lt;`/`&gt;` because Python-Markdown does not honour `\\<`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

_INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u200c\u200d\u2060\ufeff")
_ENTITY_LIKE = re.compile(r"&(?=#\d+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_INLINE = re.compile(r"([\\`*_\[\]{}])")
_BLOCK_START = re.compile(r"^(#|-|\+(?=\s|$)|~(?=~~)|:|\d+(?=\.(?:\s|$)))")
_AS_ENTITY = {"~": "&#126;", ":": "&#58;"}  # no Markdown escape exists for these
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(p|br|a|b|i|em|strong|span|div|ul|ol|li|blockquote|h[1-6]|script|style|"
    r"iframe|img|figure|section|article|time)\b[^>]*>",
    re.I,
)


def normalize(text: str) -> str:
    """Whitespace runs -> one space; soft hyphens and zero-width characters removed."""
    return " ".join(text.translate(_INVISIBLE).split())


def escape_inline(text: str) -> str:
    """Escape characters Markdown or HTML would interpret anywhere in a line."""
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def escape_block_start(paragraph: str) -> str:
    """Escape a paragraph start that would make a heading, list, rule, code fence or
    definition (`#`, `- `, `---`, `20. `, `~~~`, `: `)."""
    match = _BLOCK_START.match(paragraph)
    if not match:
        return paragraph
    if match[1][0].isdigit():
        end = match.end()
        return paragraph[:end] + "\\" + paragraph[end:]
    if match[1] in _AS_ENTITY:
        return _AS_ENTITY[match[1]] + paragraph[1:]
    return "\\" + paragraph


def paragraph(text: str) -> str:
    """One paragraph of source text -> Markdown that shows it literally."""
    return escape_block_start(escape_inline(normalize(text)))


def link(markdown_text: str, url: str) -> str:
    """`[text](url)` for http(s) URLs; characters that end a Markdown URL are quoted."""
    safe = quote(url.strip(), safe="/:?#[]@!$&'*+,;=%~-._")
    return f"[{markdown_text}]({safe.replace('(', '%28').replace(')', '%29')})"


def split_paragraphs(text: str, lines_are_paragraphs: bool = False) -> list[str]:
    """Blank lines separate paragraphs (lines inside one are joined, as Markdown does);
    with `lines_are_paragraphs`, every non-empty line is one."""
    pattern = r"\n" if lines_are_paragraphs else r"\n[ \t\u00a0]*\n"
    return [p for p in (normalize(b) for b in re.split(pattern, text)) if p]


def body_from_text(text: str, lines_are_paragraphs: bool = False) -> str:
    """Source text (entities already decoded) -> Markdown body, paragraphs kept."""
    return "\n\n".join(paragraph(p) for p in split_paragraphs(text, lines_are_paragraphs))


def decode_text(text: str) -> str:
    """Source text as a reader means it: `<script>`/`<style>` elements (pasted along
    with text from a page) removed, then HTML entities decoded (`&amp;` -> `&`)."""
    return html.unescape(_SCRIPT.sub("", text))


def looks_like_html(text: str) -> bool:
    """True if the text carries real HTML tags (not just `<Fortsetzung folgt>`)."""
    return bool(_HTML_TAG.search(text))
