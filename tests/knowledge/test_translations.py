"""Translations keep step with English (tldr-pages style): same placeholders, same code spans,
and Chinese puts a space between CJK and Latin text. Failing checks, not comments."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from cfdoctor.engine.layout import bundled_root
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Text

_KB = load_knowledge()
PLACEHOLDER = re.compile(r"\{[A-Z][A-Z0-9_]*\}")
CODE_SPAN = re.compile(r"`([^`]+)`")
CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
LATIN = r"[A-Za-z0-9]"
# CJK glued to a Latin letter or digit, either way round (full-width punctuation is fine).
GLUED = re.compile(rf"{CJK}{LATIN}|{LATIN}{CJK}")


def _texts(value: Any, where: str) -> Iterator[tuple[str, Text]]:
    if isinstance(value, Text):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _texts(item, f"{where}[{i}]")


def _all_texts() -> list[tuple[str, Text]]:
    out: list[tuple[str, Text]] = []
    for kind in ("facts", "checks", "symptoms", "causes", "rules"):
        for uid, unit in sorted(getattr(_KB, kind).items()):
            out.extend(_texts(unit, f"{kind}/{uid}"))
    return out


TEXTS = _all_texts()


def test_every_unit_has_text() -> None:
    assert len(TEXTS) > 100


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_placeholders_and_code_spans_survive_translation(lang: str) -> None:
    problems = []
    for where, text in TEXTS:
        english, other = text.en, text.get(lang)
        if Counter(PLACEHOLDER.findall(english)) != Counter(PLACEHOLDER.findall(other)):
            problems.append(f"{where} [{lang}] placeholders differ: {text.en!r} / {other!r}")
        if Counter(CODE_SPAN.findall(english)) != Counter(CODE_SPAN.findall(other)):
            spans = (CODE_SPAN.findall(english), CODE_SPAN.findall(other))
            problems.append(f"{where} [{lang}] code spans differ: {spans[0]} / {spans[1]}")
    assert not problems, "\n".join(problems[:20])


def test_chinese_spaces_between_cjk_and_latin() -> None:
    problems = []
    for where, text in TEXTS:
        prose = CODE_SPAN.sub(" ", text.zh)
        for match in GLUED.finditer(prose):
            start = max(0, match.start() - 12)
            problems.append(f"{where}: ...{prose[start : match.end() + 12]}...")
    assert not problems, "\n".join(problems[:20])


def test_translations_are_not_english_copies() -> None:
    """A ja/zh text identical to English must be a literal (a header value, a phrase, code)."""
    problems = []
    for where, text in TEXTS:
        for lang in ("ja", "zh"):
            other = text.get(lang)
            # words of prose: not code spans, not all-caps identifiers such as GET or HTTP
            words = [
                w
                for w in re.findall(r"[A-Za-z]{3,}", CODE_SPAN.sub("", text.en))
                if not w.isupper()
            ]
            if other == text.en and len(words) > 6:
                problems.append(f"{where} [{lang}]: {other!r}")
    assert not problems, "\n".join(problems[:20])


GLOSSARY = yaml.safe_load((bundled_root() / "glossary.yaml").read_text(encoding="utf-8"))["terms"]


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_translations_use_the_glossary_terms(lang: str) -> None:
    avoid = {bad: term[lang] for term in GLOSSARY for bad in term.get(f"avoid_{lang}", ())}
    problems = [
        f"{where} [{lang}]: '{bad}' -> write '{good}'"
        for where, text in TEXTS
        for bad, good in avoid.items()
        if bad in text.get(lang)
    ]
    assert not problems, "\n".join(problems[:20])
