"""Knowledge text is data: scripts, HTML and link tricks in it come out inert and visible."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.runbook.report import diagnosis_html
from cfdoctor.runbook.site import write_runbooks
from tests.toykb import write_kb

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[click](javascript:alert(3))",
    "[upper](JAVASCRIPT:alert(4))",
    "<javascript:alert(5)>",
    "![img](javascript:alert(6))",
    "[entity](java&#115;cript:alert(7))",
    "[spaced](  javascript:alert(8) )",
    "[ref]\n\n[ref]: javascript:alert(9)\n",
    "`code` </code><script>alert(10)</script>",
    "\n# heading\n- list\n```\nfence\n```\n",
    "&lt;b&gt;entity&lt;/b&gt; **strong** <!-- comment --> {#evil}",
    '<a href="javascript:alert(11)">a</a>',
    '<style>body{display:none}</style><iframe src="https://evil.example"></iframe>',
    '" onmouseover="alert(12)',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMyk8L3NjcmlwdD4=)",
    "<svg onload=alert(14)>",
]
EVIL = " ".join(ATTACKS)
SHOWN = "<script>alert(1)</script>"
"""Must appear as visible text in the page."""


def text(extra: str = "") -> dict[str, str]:
    return {lang: f"{extra}{lang} {EVIL}" for lang in ("en", "ja", "zh")}


def hostile_units() -> dict[str, dict[str, Any]]:
    return {
        "facts/h.yaml": {
            "facts": {
                "h.status": {"type": "int", "label": text("status ")},
                "h.kind": {
                    "type": "enum",
                    "label": text("kind "),
                    "values": {"a": text("a "), "b": text("b ")},
                },
                "h.ok": {"type": "bool", "label": text("ok ")},
            }
        },
        "checks/h-kind.yaml": {
            "fact": "h.kind",
            "question": text("question "),
            "how_to_read": text("read "),
            "commands": [
                {"run": "echo '</code></pre><script>alert(20)</script>' ```` {ORIGIN_DOMAIN}"},
                {"run": 'Write-Output "<script>alert(21)</script>" {X}', "platform": "windows"},
            ],
            "cost": 1,
        },
        "checks/h-status.yaml": {
            "fact": "h.status",
            "question": text("status? "),
            "how_to_read": text("read "),
            "cost": 1,
        },
        "checks/h-ok.yaml": {
            "fact": "h.ok",
            "question": text("ok? "),
            "how_to_read": text("read "),
            "cost": 2,
        },
        "symptoms/h-500.yaml": {
            "title": text("title "),
            "description": text("description "),
            "when": {"all": [{"fact": "h.status", "eq": 500}]},
        },
        "causes/500/h-cause.yaml": {
            "title": text("cause "),
            "summary": text("summary "),
            "status": [500],
            "symptoms": ["h-500"],
            "grade": "I",
            "prior": 0.5,
            "fixes": [
                {
                    "title": text("fix "),
                    "steps": [text("step "), text("step two ")],
                    "commands": ["printf '%s' '<script>alert(22)</script>' {PATH}"],
                    "success_rate": 0.5,
                    "rate_origin": text("origin "),
                }
            ],
            "dead_ends": [{"title": text("dead "), "why": text("why ")}],
            "sources": [
                {
                    "url": 'https://example.com/a)b"><script>alert(23)</script>',
                    "lang": "en",
                    "title": "[x](javascript:alert(24)) <script>alert(25)</script>",
                },
                {"url": "https://example.com/<svg onload=alert(26)>", "lang": "ja"},
            ],
            "cases": {
                "positive": [{"name": "p", "facts": {"h.status": 500, "h.kind": "a"}}],
                "negative": [{"name": "n", "facts": {"h.status": 500, "h.kind": "b"}}],
            },
        },
        "causes/500/h-other.yaml": {
            "title": text("other "),
            "summary": text("summary "),
            "status": [500],
            "symptoms": ["h-500"],
            "grade": "C",
            "prior": 0.5,
            "fixes": [
                {
                    "title": text("fix "),
                    "steps": [text("step ")],
                    "success_rate": 0.5,
                    "rate_origin": text("origin "),
                }
            ],
            "sources": [{"url": "https://example.com/x", "lang": "zh"}],
            "cases": {
                "positive": [{"name": "p", "facts": {"h.status": 500, "h.ok": False}}],
                "negative": [{"name": "n", "facts": {"h.status": 500, "h.ok": True}}],
            },
        },
        "rules/h-a.yaml": {
            "because": text("because "),
            "when": {"all": [{"fact": "h.kind", "eq": "a"}]},
            "then": [{"cause": "h-cause", "effect": "strong"}],
        },
        "rules/h-b.yaml": {
            "because": text("because "),
            "when": {"all": [{"fact": "h.kind", "eq": "b"}]},
            "then": [{"cause": "h-cause", "effect": "rules_out"}],
        },
        "rules/h-not-ok.yaml": {
            "because": text("because "),
            "when": {"all": [{"fact": "h.ok", "eq": False}]},
            "then": [{"cause": "h-other", "effect": "strong"}],
        },
    }


ALLOWED_TAGS = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "link",
        "style",
        "body",
        "header",
        "nav",
        "ul",
        "ol",
        "li",
        "a",
        "span",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "p",
        "code",
        "pre",
        "em",
        "strong",
        "figure",
        "section",
        "br",
        "hr",
        "blockquote",
    ]
)
_BAD_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)


class Audit(HTMLParser):
    """Every element, attribute and text node of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        if tag == "head":
            self.in_head = True
        if tag == "body":
            self.in_head = False
        if tag == "style":
            assert self.in_head, "a <style> element outside <head>"

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def audit(page: str) -> Audit:
    parser = Audit()
    parser.feed(page)
    parser.close()
    assert set(parser.tags) <= ALLOWED_TAGS, set(parser.tags) - ALLOWED_TAGS
    assert "script" not in parser.tags
    for name, value in parser.attrs:
        assert not name.startswith("on"), (name, value)
        if name in ("href", "src", "action", "formaction", "xlink:href"):
            assert not _BAD_URL.match(value), (name, value)
    return parser


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Reasoner:
    root = write_kb(tmp_path_factory.mktemp("hostile"), hostile_units())
    return Reasoner(load_knowledge([root], include_bundled=False))


def test_site_pages_are_inert_and_show_the_text(hostile: Reasoner, tmp_path: Path) -> None:
    pages = [
        p for p in write_runbooks(hostile, [], ["all"], "html", tmp_path) if p.suffix == ".html"
    ]
    assert len(pages) == 1 + 3 * 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = audit(html)
        if page.name == "h-500.html":
            shown = "".join(found.text)
            assert SHOWN in shown and "[click](javascript:alert(3))" in shown
            assert "<script>alert(20)</script>" in shown  # in the command, as text
            assert 'id="evil"' not in html
        assert "javascript:alert" not in " ".join(v for _, v in found.attrs)


def test_diagnosis_report_is_inert(hostile: Reasoner) -> None:
    session = Session(hostile)
    session.observe("h.status", 500)
    session.answer("h-kind", "a")
    found = audit(diagnosis_html(session.diagnosis(), "ja"))
    assert SHOWN in "".join(found.text)


def test_markdown_keeps_the_text_literal(hostile: Reasoner, tmp_path: Path) -> None:
    pages = write_runbooks(hostile, ["h-500"], ["en"], "md", tmp_path)
    md = next(p for p in pages if p.name == "h-500.md").read_text(encoding="utf-8")
    # no link, image or autolink to a script URL can be formed from the text
    assert "](javascript:" not in md.replace("\\](javascript:", "")
    assert "<javascript:" not in md.replace("\\<javascript:", "")
