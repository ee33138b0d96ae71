"""Reading runbook Markdown back through markdown-it-py's token stream, for assertions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from cfdoctor.engine.model import KnowledgeBase, Text
from cfdoctor.runbook.mdtext import inline
from cfdoctor.runbook.render import markdown


@dataclass(frozen=True)
class Heading:
    level: int
    id: str | None
    text: str
    index: int
    """Position in the token stream."""


def tokens(text: str) -> list[Token]:
    return markdown().parse(text)


def inline_text(token: Token) -> str:
    """Plain text of an inline token, code spans included (as their content)."""
    return "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))


def headings(toks: list[Token]) -> list[Heading]:
    return [
        Heading(int(tok.tag[1]), tok.attrGet("id"), inline_text(toks[i + 1]), i)  # type: ignore[arg-type]
        for i, tok in enumerate(toks)
        if tok.type == "heading_open"
    ]


def section(toks: list[Token], start: Heading) -> list[Token]:
    """The tokens after a heading, up to the next heading of the same or a higher level."""
    out = []
    for tok in toks[start.index + 3 :]:
        if tok.type == "heading_open" and int(tok.tag[1]) <= start.level:
            break
        out.append(tok)
    return out


def fences(toks: list[Token]) -> list[tuple[str, str]]:
    return [(t.info, t.content.rstrip("\n")) for t in toks if t.type == "fence"]


def links(toks: list[Token]) -> list[str]:
    return [
        str(child.attrGet("href"))
        for tok in toks
        if tok.type == "inline"
        for child in tok.children or []
        if child.type == "link_open"
    ]


def list_items(toks: list[Token], kind: str) -> list[list[str]]:
    """For each top-level list of `kind` (bullet_list / ordered_list): its items' first lines."""
    out: list[list[str]] = []
    depth = 0
    for i, tok in enumerate(toks):
        if tok.type.endswith("_list_open"):
            depth += 1
            if depth == 1 and tok.type == f"{kind}_open":
                out.append([])
        elif tok.type.endswith("_list_close"):
            depth -= 1
        elif tok.type == "list_item_open" and depth == 1 and out and _list_kind(toks, i) == kind:
            out[-1].append(inline_text(toks[i + 2]) if toks[i + 2].type == "inline" else "")
    return out


def _list_kind(toks: list[Token], item: int) -> str:
    depth = 0
    for tok in reversed(toks[:item]):
        if tok.type.endswith("_list_close"):
            depth += 1
        elif tok.type.endswith("_list_open"):
            if depth == 0:
                return tok.type.removesuffix("_open")
            depth -= 1
    return ""


# -- "no English left" --------------------------------------------------------------------

PROPER = (
    "Amazon", "API Gateway", "API", "AWS", "CloudFront", "CNAME", "DNS", "Edge",
    "Elastic Beanstalk", "Elastic Load Balancing", "HTTP", "HTTPS", "Lambda@Edge", "Lambda",
    "Linux", "macOS",
    "NOERROR", "NXDOMAIN", "PowerShell", "re:Post", "S3", "SERVFAIL", "Shell", "TCP", "TLS",
    "Windows", "cfdoctor", "openssl", "Bad Gateway", "Gateway Timeout", "Not Found", "Forbidden",
)  # fmt: skip
"""Names that stay in English in every language (products, protocols, status phrases)."""
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"|『[^』]*』")
_RUN = re.compile(r"[A-Za-z][\w'’.:/@-]*(?:[ ,]+[A-Za-z][\w'’.:/@-]*){%d,}")


def prose(text: str) -> list[str]:
    """The human-readable text of a document: no code, no quoted literal messages, and no
    citations (the text of links to web pages is the cited page's own title)."""
    out = []
    for tok in tokens(text):
        if tok.type != "inline":
            continue
        words, external = [], False
        for child in tok.children or []:
            if child.type == "link_open":
                external = str(child.attrGet("href")).startswith(("http:", "https:"))
            elif child.type == "link_close":
                external = False
            elif child.type == "text" and not external:
                words.append(child.content)
        out.append(_QUOTED.sub(" ", " ".join(words)))
    return out


def english_runs(text: str, words: int = 4) -> list[str]:
    """Runs of `words` or more English words that are not product or protocol names."""
    pattern = re.compile(_RUN.pattern % (words - 1))
    found = []
    for line in prose(text):
        for name in sorted(PROPER, key=len, reverse=True):
            line = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", "·", line)
        found += pattern.findall(line)
    return found


def knowledge_texts(kb: KnowledgeBase, lang: str) -> list[str]:
    """Every text of the knowledge base in one language, as the builders quote it."""
    texts: list[Text] = []
    for fact in kb.facts.values():
        texts += [fact.label, *(label for _, label in fact.values)]
    for check in kb.checks.values():
        texts += [check.question, check.how_to_read]
    for symptom in kb.symptoms.values():
        texts += [symptom.title, symptom.description]
    for rule in kb.rules.values():
        texts.append(rule.because)
    for cause in kb.causes.values():
        texts += [cause.title, cause.summary]
        for fix in cause.fixes:
            texts += [fix.title, *fix.steps, fix.rate_origin]
        for dead in cause.dead_ends:
            texts += [dead.title, dead.why, *([dead.rate_origin] if dead.rate_origin else [])]
    return [inline(text.get(lang)) for text in texts]
