"""The knowledge base as JSON-ready dictionaries in one language, for `kb show`, `kb stats`,
`kb validate` and `facts`.

The same dictionary is printed by `--json` and rendered by the console, so a person and a
program always see the same thing. These functions only read and rearrange the knowledge base.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from cfdoctor.engine.diagnosis import answer_values, cause_dict
from cfdoctor.engine.errors import Problem
from cfdoctor.engine.model import (
    LANGS,
    Cause,
    Check,
    Condition,
    Fact,
    KnowledgeBase,
    Rule,
    Symptom,
    Text,
    When,
)

Json = dict[str, Any]

KINDS: tuple[str, ...] = ("cause", "check", "symptom", "rule", "fact")


# -- pieces --------------------------------------------------------------------------------
def condition_dict(condition: Condition) -> Json:
    value = condition.value
    return {
        "fact": condition.fact,
        "op": condition.op,
        "value": list(value) if isinstance(value, tuple) else value,
    }


def when_dict(when: When) -> Json:
    return {
        "all": [condition_dict(c) for c in when.all],
        "any": [condition_dict(c) for c in when.any],
        "not": [condition_dict(c) for c in when.not_],
    }


# -- kb show -------------------------------------------------------------------------------
def cause_view(kb: KnowledgeBase, cause: Cause, lang: str) -> Json:
    return {
        "kind": "cause",
        **cause_dict(cause, lang),
        "symptoms": list(cause.symptoms),
        "prior": cause.prior,
        "rules": [
            {"id": r.id, "effect": e.effect, "because": r.because.get(lang)}
            for r in kb.rules.values()
            for e in r.effects
            if e.cause == cause.id
        ],
        "cases": {
            polarity: [{"name": c.name, "facts": dict(c.facts)} for c in cases]
            for polarity, cases in (("positive", cause.positive), ("negative", cause.negative))
        },
        "origin": str(cause.origin),
    }


def check_view(kb: KnowledgeBase, check: Check, lang: str) -> Json:
    fact = kb.facts[check.fact]
    return {
        "kind": "check",
        "id": check.id,
        "fact": check.fact,
        "fact_label": fact.label.get(lang),
        "question": check.question.get(lang),
        "how_to_read": check.how_to_read.get(lang),
        "answers": answer_values(fact, lang),
        "commands": [{"run": c.run, "platform": c.platform} for c in check.commands],
        "cost_minutes": check.cost,
        "origin": str(check.origin),
    }


def symptom_view(kb: KnowledgeBase, symptom: Symptom, lang: str) -> Json:
    return {
        "kind": "symptom",
        "id": symptom.id,
        "title": symptom.title.get(lang),
        "description": symptom.description.get(lang),
        "when": when_dict(symptom.when),
        "causes": [
            {"id": c.id, "title": c.title.get(lang)}
            for c in kb.causes.values()
            if symptom.id in c.symptoms
        ],
        "origin": str(symptom.origin),
    }


def rule_view(kb: KnowledgeBase, rule: Rule, lang: str) -> Json:
    return {
        "kind": "rule",
        "id": rule.id,
        "because": rule.because.get(lang),
        "when": when_dict(rule.when),
        "asserts": [{"fact": a.fact, "value": a.value} for a in rule.asserts],
        "effects": [{"cause": e.cause, "effect": e.effect} for e in rule.effects],
        "origin": str(rule.origin),
    }


def fact_view(kb: KnowledgeBase, fact: Fact, lang: str) -> Json:
    return {
        "kind": "fact",
        "id": fact.name,
        "name": fact.name,
        "type": fact.type,
        "label": fact.label.get(lang),
        "values": answer_values(fact, lang) if fact.type in ("enum", "bool") else [],
        "derived": fact.derived,
        "checks": [c.id for c in kb.checks.values() if c.fact == fact.name],
        "providers": list(fact.settled_by),
        "rules": sorted(
            r.id
            for r in kb.rules.values()
            if any(c.fact == fact.name for c in r.when.conditions())
            or any(a.fact == fact.name for a in r.asserts)
        ),
        "origin": str(fact.origin),
    }


def find_units(kb: KnowledgeBase, uid: str, lang: str) -> list[Json]:
    """Every unit whose id (or fact name) is `uid`; ids of different kinds may coincide."""
    found: list[Json] = []
    if uid in kb.causes:
        found.append(cause_view(kb, kb.causes[uid], lang))
    if uid in kb.checks:
        found.append(check_view(kb, kb.checks[uid], lang))
    if uid in kb.symptoms:
        found.append(symptom_view(kb, kb.symptoms[uid], lang))
    if uid in kb.rules:
        found.append(rule_view(kb, kb.rules[uid], lang))
    if uid in kb.facts:
        found.append(fact_view(kb, kb.facts[uid], lang))
    return found


def all_ids(kb: KnowledgeBase) -> list[str]:
    return sorted({*kb.causes, *kb.checks, *kb.symptoms, *kb.rules, *kb.facts})


def close_ids(kb: KnowledgeBase, uid: str, limit: int = 6) -> list[str]:
    """Ids a person probably meant: spelling neighbours first, then ids containing the text."""
    ids = all_ids(kb)
    close = difflib.get_close_matches(uid, ids, n=limit, cutoff=0.6)
    close += [i for i in ids if uid and uid in i and i not in close]
    return close[:limit]


# -- facts ---------------------------------------------------------------------------------
def facts_list(kb: KnowledgeBase, lang: str) -> list[Json]:
    return [
        {k: v for k, v in fact_view(kb, fact, lang).items() if k not in ("kind", "id")}
        for fact in sorted(kb.facts.values(), key=lambda f: f.name)
    ]


# -- kb validate ---------------------------------------------------------------------------
def counts(kb: KnowledgeBase) -> dict[str, int]:
    return {
        "facts": len(kb.facts),
        "checks": len(kb.checks),
        "symptoms": len(kb.symptoms),
        "causes": len(kb.causes),
        "rules": len(kb.rules),
    }


def validation(kb: KnowledgeBase | None, problems: Sequence[Problem]) -> Json:
    return {
        "valid": not problems,
        "kb_version": kb.version if kb else None,
        "counts": counts(kb) if kb else None,
        "problems": [dataclasses.asdict(p) for p in problems],
    }


# -- kb stats ------------------------------------------------------------------------------
_NOT_WORDS = re.compile(
    r"`[^`]*`"  # code spans
    r'|"[^"]*"'  # quoted literals (error texts, JSON bodies)
    r"|\{[A-Z0-9_]+\}"  # placeholders
    r"|https?://\S+"  # addresses
    r'|[^\s"]*[._/:<>=@$\\\d][^\s"]*'  # identifiers, paths, headers, numbers
    r"|\b[A-Z][A-Za-z]*[A-Z]\w*"  # CamelCase and UPPERCASE names (NoSuchKey, NXDOMAIN)
)


def needs_translation(english: str) -> bool:
    """True when English text has words left once code, identifiers and names are removed."""
    return re.search(r"[A-Za-z]{2,}", _NOT_WORDS.sub(" ", english)) is not None


def iter_texts(value: Any, path: str = "") -> Iterator[tuple[str, Text]]:
    """Every Text inside a unit, with a dotted field path (``fixes.0.title``)."""
    if isinstance(value, Text):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from iter_texts(getattr(value, f.name), f"{path}.{f.name}".lstrip("."))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from iter_texts(item, f"{path}.{i}")


def units(kb: KnowledgeBase) -> Iterator[tuple[str, Any]]:
    for kind, table in (
        ("fact", kb.facts),
        ("check", kb.checks),
        ("symptom", kb.symptoms),
        ("cause", kb.causes),
        ("rule", kb.rules),
    ):
        for uid, unit in table.items():
            yield f"{kind}:{uid}", unit


def translations(kb: KnowledgeBase) -> Json:
    """Per language: text fields, the share translated, and texts identical to English."""
    texts = [(uid, path, text) for uid, unit in units(kb) for path, text in iter_texts(unit)]
    out: Json = {}
    for lang in LANGS:
        present = [t for t in texts if t[2].get(lang).strip()]
        same = (
            []
            if lang == "en"
            else [
                {"unit": uid, "field": path, "text": text.en}
                for uid, path, text in present
                if text.get(lang) == text.en and needs_translation(text.en)
            ]
        )
        done = len(present) - len(same)
        out[lang] = {
            "fields": len(texts),
            "translated": done,
            "missing": len(texts) - len(present),
            "complete": done / len(texts) if texts else 1.0,
            "same_as_en": same,
        }
    return out


def stats(kb: KnowledgeBase) -> Json:
    by_status: Counter[int] = Counter(s for c in kb.causes.values() for s in c.status)
    return {
        "kb_version": kb.version,
        "counts": counts(kb),
        "causes_by_status": {str(s): n for s, n in sorted(by_status.items())},
        "translations": translations(kb),
        "causes": [
            {
                "id": c.id,
                "status": list(c.status),
                "grade": c.grade,
                "positive": len(c.positive),
                "negative": len(c.negative),
            }
            for c in sorted(kb.causes.values(), key=lambda c: (c.status, c.id))
        ],
        "grades": dict(sorted(Counter(c.grade for c in kb.causes.values()).items())),
    }
