"""Runbook Markdown to a self-contained HTML page, with raw HTML disabled.

markdown-it-py parses CommonMark with ``html`` off, so any tag in the text is shown, never
interpreted; links are allowed only to http(s), mailto and relative addresses (no
``javascript:``/``data:``, however encoded). Two additions to plain CommonMark: a trailing
``{#id}`` gives a heading its id (the builders' stable anchors), and a section can be replaced by
HTML the caller generated and escaped itself (the decision-flow diagram). The page carries a
Content-Security-Policy that forbids scripts outright, as a second line of defence.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_ID = re.compile(r"\s*\{#([a-z][a-z0-9-]*)\}\s*$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
HTML_LANG = {"en": "en", "ja": "ja", "zh": "zh-Hans"}
CSP = "default-src 'none'; style-src 'self'; img-src 'self'"
"""Site pages: no scripts, no fetches, styles only from the site's own stylesheet."""
CSP_INLINE = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"
"""Single-file reports: the same, with the stylesheet inlined."""


def _validate_link(url: str) -> bool:
    """Relative links and http(s)/mailto only; markdown-it has already decoded entities."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in _ALLOWED_SCHEMES


def _heading_ids(state: StateCore) -> None:
    """`## Title {#id}` -> <h2 id="id">Title</h2>."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open" or i + 1 >= len(tokens):
            continue
        inline = tokens[i + 1]
        children = inline.children or []
        if not children or children[-1].type != "text":
            continue
        match = _ID.search(children[-1].content)
        if match is None:
            continue
        children[-1].content = children[-1].content[: match.start()]
        inline.content = _ID.sub("", inline.content)
        token.attrSet("id", match.group(1))


@cache
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.core.ruler.push("heading_ids", _heading_ids)
    return md


def _replace_sections(tokens: list[Token], replace: Mapping[str, str]) -> list[Token]:
    """Swap the body of each section whose heading id is in `replace` for the given HTML."""
    out: list[Token] = []
    skipping_level = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        level = int(token.tag[1]) if token.type == "heading_open" else 0
        if skipping_level and level and level <= skipping_level:
            skipping_level = 0
        if skipping_level:
            i += 1
            continue
        out.append(token)
        section = token.attrGet("id") if level else None
        if section is not None and section in replace:
            out.extend(tokens[i + 1 : i + 3])  # inline, heading_close
            block = Token("html_block", "", 0)
            block.content = replace[str(section)] + "\n"
            out.append(block)
            skipping_level = level
            i += 3
            continue
        i += 1
    return out


def _render(text: str, replace: Mapping[str, str] | None) -> tuple[str, str]:
    """(body HTML, title) from one parse of the document."""
    md = markdown()
    env: dict[str, object] = {}
    tokens = md.parse(text, env)
    title = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            children = tokens[i + 1].children or []
            title = "".join(c.content for c in children if c.type in ("text", "code_inline"))
            break
    if replace:
        tokens = _replace_sections(tokens, replace)
    return str(md.renderer.render(tokens, md.options, env)), title


def render_body(text: str, replace: Mapping[str, str] | None = None) -> str:
    """The HTML of a Markdown document (no page around it)."""
    return _render(text, replace)[0]


def title_of(text: str) -> str:
    """The plain text of the first level-1 heading (the page title)."""
    return _render(text, None)[1]


@cache
def stylesheet() -> str:
    return (resources.files("cfdoctor.runbook") / "style.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    lang: str | None = None
    current: bool = False


def _nav(links: Sequence[Link], label: str, css: str) -> str:
    items = []
    for link in links:
        lang = f' lang="{HTML_LANG.get(link.lang, link.lang)}"' if link.lang else ""
        text = html.escape(link.label)
        if link.current:
            items.append(f'<li><span aria-current="page"{lang}>{text}</span></li>')
        else:
            href = html.escape(link.href, quote=True)
            hreflang = f' hreflang="{HTML_LANG.get(link.lang, link.lang)}"' if link.lang else ""
            items.append(f'<li><a href="{href}"{hreflang}{lang}>{text}</a></li>')
    aria = html.escape(label, quote=True)
    return f'<nav class="{css}" aria-label="{aria}"><ul>{"".join(items)}</ul></nav>'


def render_page(
    text: str,
    lang: str,
    *,
    stylesheet_href: str | None = None,
    home: Link | None = None,
    languages: Sequence[Link] = (),
    languages_label: str = "Language",
    replace: Mapping[str, str] | None = None,
) -> str:
    """A complete HTML page from Markdown: viewport for phones, no scripts, its own stylesheet.

    `stylesheet_href` links the site's stylesheet (relative); without it the CSS is inlined, so
    a single report file stays readable when attached to a ticket.
    """
    body, title = _render(text, replace)
    return page(
        body,
        title,
        lang,
        stylesheet_href=stylesheet_href,
        home=home,
        languages=languages,
        languages_label=languages_label,
    )


def page(
    body: str,
    title: str,
    lang: str,
    *,
    stylesheet_href: str | None = None,
    home: Link | None = None,
    languages: Sequence[Link] = (),
    languages_label: str = "Language",
) -> str:
    """The page around an already rendered (and escaped) body."""
    if stylesheet_href is not None:
        style = f'<link rel="stylesheet" href="{html.escape(stylesheet_href, quote=True)}">'
        csp = CSP
    else:
        style = f"<style>\n{stylesheet()}</style>"
        csp = CSP_INLINE
    bar = ""
    if home is not None or languages:
        home_html = ""
        if home is not None:
            href = html.escape(home.href, quote=True)
            home_html = f'<a class="home" href="{href}">{html.escape(home.label)}</a>'
        langs = _nav(languages, languages_label, "langs") if languages else ""
        bar = f'<header class="bar">{home_html}{langs}</header>\n'
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{HTML_LANG.get(lang, "en")}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="generator" content="cfdoctor">\n'
        f"<title>{html.escape(title or 'cfdoctor')}</title>\n{style}\n</head>\n<body>\n{bar}"
        f"<main>\n{body}</main>\n</body>\n</html>\n"
    )
