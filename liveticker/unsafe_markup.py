"""Finding markup in an entry body that could run script, parsed the way a browser parses it.

The body is rendered with the build's Markdown configuration; the HTML is then parsed by
html5ever through nh3 - the parser the sanitiser uses, which follows the HTML standard
like browsers do. So parser tricks (`<![CDATA[`, `<noscript>` break-outs, `<svg/onload>`,
entity-encoded or whitespace-split `javascript:`) are seen as a browser would see them,
not as a regular expression guesses. Nothing here makes HTML safe: `render.sanitize` does
that for every body, even when this check found nothing (defence in depth).
`describe` words a finding as the check's message (`validate` reports it).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import nh3

from liveticker.render import markdown_to_html
from liveticker.validate_values import quote

# Elements that run script, load other documents or change how the page is parsed.
DANGEROUS_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "base", "meta", "link", "svg", "math", "noscript", "template", "xmp", "noembed",
    "noframes", "plaintext", "portal", "isindex", "html", "head", "body",
})  # fmt: skip
# Attributes holding a URL (or, in SVG animations, a value that becomes one).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "cite", "longdesc", "lowsrc", "dynsrc", "codebase", "ping", "manifest",
    "icon", "profile", "usemap", "srcdoc", "values", "to", "from", "by",
})  # fmt: skip
SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript", "mocha", "data")
_STYLE_SCRIPT = ("expression", "javascript", "vbscript", "binding", "behavior", "\\")

# Anything a browser may read as a start tag: "<" + letter, up to whitespace, "/" or ">".
_TAG_NAME = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore these inside a URL scheme
# Fast path: without these characters Markdown cannot produce a tag, an attribute or a
# link (raw HTML needs "<", attr_list "{", entities "&", links and images "]").
_MAY_MAKE_HTML = re.compile(r"[<{&\]]")
# The markup most bodies have renders only to safe HTML, so it is taken out before the
# fast-path test (whatever else the body holds is still rendered and scanned): inline
# links with plain text to a plain http(s) URL (<a href="http...">text</a>), footnote
# references `[^1]` and the labels `[^1]:` that start footnote definitions (<sup>, <a
# href="#fn:1">, <li id="fn:1">; the definition's own text stays in the test).
# tests/test_validate_hostile.py checks this shortcut against the full scan.
_SAFE_MARKUP = re.compile(
    r"\[[^\[\]<>{}&\\]*\]\(https?://[^\s()<>{}&\\\"'\[\]]*\)"  # [text](https://...)
    r"|^\[\^[A-Za-z0-9_-]+\]:"  # a footnote definition's label, at the start of a line
    r"|\[\^[A-Za-z0-9_-]+\](?!\()",  # a footnote reference (not `[^1](...)`: a link)
    re.M,
)


@dataclass(frozen=True)
class Finding:
    kind: str  # "element", "handler", "url" or "style"
    tag: str
    attribute: str = ""
    value: str = ""


def find_unsafe_markup(body: str) -> list[Finding]:
    """What in this Markdown body could run script in a browser, in document order."""
    if not _MAY_MAKE_HTML.search(body):
        return []
    if not _MAY_MAKE_HTML.search(_SAFE_MARKUP.sub("", body)):
        return []
    return scan_html(markdown_to_html(body))


def scan_html(html: str) -> list[Finding]:
    findings: list[Finding] = []

    def inspect(tag: str, attribute: str, value: str) -> str:
        name = attribute.lower()
        if name.startswith("on"):
            findings.append(Finding("handler", tag, attribute, value))
        elif name in URL_ATTRIBUTES and script_scheme(value):
            findings.append(Finding("url", tag, attribute, value))
        elif name == "style" and any(s in value.lower() for s in _STYLE_SCRIPT):
            findings.append(Finding("style", tag, attribute, value))
        return value

    # Every name a browser could read as a tag; html5ever keeps all of them, so that
    # the callback sees every attribute as parsed. Elements are judged on the raw names:
    # a fragment parse drops `<body onload=...>`, but inside a page it would add the
    # handler to the page's own <body>.
    names = list(dict.fromkeys(name.lower() for name in _TAG_NAME.findall(html)))
    nh3.clean(
        html,
        tags=set(names),
        clean_content_tags=set(),
        generic_attribute_prefixes=set(string.ascii_letters),
        url_schemes={*SCRIPT_SCHEMES, "http", "https", "mailto"},
        attribute_filter=inspect,
        link_rel=None,
    )
    elements = [Finding("element", name) for name in names if name in DANGEROUS_ELEMENTS]
    return elements + list(dict.fromkeys(findings))


def script_scheme(value: str) -> str | None:
    """The script-capable scheme a URL (or a list of URLs) uses, e.g. 'javascript'."""
    for part in re.split(r"[,;]", value):
        cleaned = _INVISIBLE.sub("", part).lower()
        for scheme in SCRIPT_SCHEMES:
            if cleaned.startswith(scheme + ":"):
                return scheme
    return None


def describe(finding: Finding) -> str:
    """The check's message for a finding: field (the body), value, and how to fix it."""
    tag, attribute, value = f"<{finding.tag}>", finding.attribute, quote(finding.value)
    if finding.kind == "element":
        return (f"the body contains the HTML element {tag}, which can run script or alter "
                "the page - remove it; entries are plain Markdown")  # fmt: skip
    if finding.kind == "handler":
        return (f"the body contains the event attribute {attribute}={value} on {tag}, which "
                "runs script - remove it")  # fmt: skip
    if finding.kind == "url":
        scheme = script_scheme(finding.value)
        return (f"the body links to {value} ({attribute}= on {tag}): a '{scheme}:' URL can run "
                "script - link only to http://, https:// or mailto: addresses")  # fmt: skip
    return (f"the body contains style={value} on {tag}, which can run script - remove the "
            "style attribute")  # fmt: skip


def line_of(body: str, finding: Finding) -> int:
    """Lines from the body's first line to where the finding was probably written."""
    lower = body.lower()
    needles = [f"<{finding.tag}", finding.value.lower()[:12], f"{finding.attribute.lower()}="]
    if finding.kind == "url":
        needles.insert(0, script_scheme(finding.value) or "")
    for needle in filter(None, needles):
        offset = lower.find(needle)
        if offset >= 0:
            return body.count("\n", 0, offset)
    return 0
