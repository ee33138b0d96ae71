"""The knowledge units written for the probes keep their translations in step (tldr-pages'
habit): the same placeholders and code spans in every language, and a space between CJK and
Latin text. Also: every fact a probe can produce can be asked when no probe ran."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cfdoctor.engine.model import KnowledgeBase

KNOWLEDGE = Path(__file__).resolve().parents[2] / "cfdoctor" / "knowledge"
UNITS = sorted(
    [
        KNOWLEDGE / "facts" / "origin-probe.yaml",
        KNOWLEDGE / "symptoms" / "http-504.yaml",
        *(KNOWLEDGE / "causes" / "504").glob("*.yaml"),
        *(KNOWLEDGE / "rules").glob("probe-*.yaml"),
        *(
            KNOWLEDGE / "checks" / f"{name}.yaml"
            for name in (
                "origin-dns-private-address",
                "origin-http-status",
                "origin-http-ttfb-exceeds-read-timeout",
                "origin-http-keep-alive",
            )
        ),
    ]
)
PLACEHOLDER = re.compile(r"\{[A-Z][A-Z0-9_]*\}")
CODE = re.compile(r"`[^`]+`")
CJK = r"[\u3040-\u30ff\u3400-\u9fff]"
LATIN = r"[A-Za-z0-9`]"
TIGHT = re.compile(f"{CJK}{LATIN}|{LATIN}{CJK}")


def _texts(node: object, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    if isinstance(node, dict):
        if set(node) == {"en", "ja", "zh"}:
            yield path, node
            return
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{path}[{i}]")


def _all() -> list[tuple[str, dict[str, str]]]:
    out = []
    for unit in UNITS:
        for path, text in _texts(yaml.safe_load(unit.read_text(encoding="utf-8"))):
            out.append((f"{unit.relative_to(KNOWLEDGE)}{path}", text))
    return out


TEXTS = _all()


def test_the_units_exist() -> None:
    assert len(UNITS) >= 20 and all(u.is_file() for u in UNITS)


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_translations_keep_placeholders_and_code(where: str, text: dict[str, str]) -> None:
    for lang in ("ja", "zh"):
        assert sorted(PLACEHOLDER.findall(text[lang])) == sorted(PLACEHOLDER.findall(text["en"]))
        assert sorted(CODE.findall(text[lang])) == sorted(CODE.findall(text["en"])), lang
        tight = [m.group(0) for m in TIGHT.finditer(text[lang])]
        assert not tight, f"{lang}: no space between CJK and Latin text at {tight}"


PROBE_FACTS = [
    "origin.dns.private_address",
    "origin.http.status",
    "origin.http.ttfb_exceeds_read_timeout",
    "origin.http.keep_alive",
]


@pytest.mark.parametrize("name", PROBE_FACTS)
def test_new_facts_can_be_asked(kb: KnowledgeBase, name: str) -> None:
    assert name in kb.facts and not kb.facts[name].derived
    assert kb.checks_by_fact.get(name), f"{name}: no check asks it"
