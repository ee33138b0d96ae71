"""Markdown pieces built from untrusted knowledge text: inert whatever the text contains.

Knowledge text is plain text with code spans (`` `like this` ``), nothing more: a title that
happens to hold ``[x](javascript:..)``, ``<script>``, ``# heading`` or ``&lt;`` must show those
characters, not act on them. So outside code spans every character Markdown could interpret is
backslash-escaped and line breaks become spaces; code spans stay, since their content is literal.
Links are written only by the builders, to http(s) addresses or to anchors of their own.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_ESCAPE = re.compile(r"([\\`*_\[\]<>&#])")
"""Inline syntax anywhere in a line: escapes, code, emphasis, links, HTML, entities, headings."""
_LEADING_MARK = re.compile(r"^([-+=~|>])")
"""What starts a block when it begins a line: list, rule, setext line, fence, table, quote."""
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")
"""An ordered list item: `1.` or `1)`."""
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f]+")
_ANCHOR = re.compile(r"^[a-z][a-z0-9-]*$")
_URL_SAFE = ":/?#[]@!$&'*+,;=%-._~"
"""Characters kept as they are in a link destination; parentheses, blanks and <> are encoded."""


def flat(text: str) -> str:
    """One line: control characters and line breaks become single spaces."""
    return _BLANKS.sub(" ", text).strip()


def _escape_plain(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def code_span(text: str) -> str:
    """`text` as a code span, with a fence of backticks longer than any run inside it."""
    text = flat(text)
    runs = [len(m) for m in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def inline(text: str) -> str:
    """Knowledge text as inline Markdown: its code spans kept, everything else literal."""
    text = flat(text)
    out: list[str] = []
    i = 0
    plain_start = 0
    while i < len(text):
        if text[i] != "`":
            i += 1
            continue
        run = len(re.match(r"`+", text[i:]).group(0))  # type: ignore[union-attr]
        close = _closing(text, i + run, run)
        if close is None:
            i += run
            continue
        out.append(_escape_plain(text[plain_start:i]))
        out.append(code_span(text[i + run : close]))
        i = plain_start = close + run
    out.append(_escape_plain(text[plain_start:]))
    result = _LEADING_MARK.sub(r"\\\1", "".join(out))
    return _LEADING_NUMBER.sub(r"\1\\\2", result)


def _closing(text: str, start: int, run: int) -> int | None:
    """Index of the backtick string of exactly `run` backticks that closes a code span."""
    for m in re.finditer(r"`+", text[start:]):
        if len(m.group(0)) == run:
            return start + m.start()
    return None


def fence(code: str, info: str = "") -> str:
    """A fenced code block longer than any backtick run in `code`, so nothing breaks out."""
    runs = [len(m) for m in re.findall(r"`+", code)]
    marks = "`" * max(3, max(runs, default=0) + 1)
    body = code.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    return f"{marks}{info}\n{body}\n{marks}"


def indent(block: str, spaces: int) -> str:
    """Indent a block to sit inside a list item (blank lines stay empty)."""
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in block.split("\n"))


def safe_url(url: str) -> str | None:
    """An http(s) address as a link destination, or None for anything else (javascript: ...)."""
    url = flat(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def web_link(label: str, url: str) -> str:
    """A link to a web page; an address that is not http(s) is shown as code, not linked."""
    target = safe_url(url)
    if target is None:
        return f"{inline(label)} ({code_span(url)})" if label else code_span(url)
    return f"[{inline(label) or _escape_plain(target)}]({target})"


def anchor_link(label_md: str, anchor: str, page: str = "") -> str:
    """A link to one of the builders' own anchors (`label_md` is already Markdown)."""
    if not _ANCHOR.match(anchor):
        raise ValueError(f"not an anchor id: {anchor!r}")
    return f"[{label_md}]({page}#{anchor})"


def heading(level: int, text_md: str, anchor: str | None = None) -> str:
    """A heading; `{#anchor}` gives it a stable id (pandoc, kramdown, Hugo and our renderer)."""
    if anchor is not None and not _ANCHOR.match(anchor):
        raise ValueError(f"not an anchor id: {anchor!r}")
    suffix = f" {{#{anchor}}}" if anchor else ""
    return f"{'#' * level} {text_md}{suffix}"
