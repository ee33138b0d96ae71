"""What a diagnosis says, as data: ranked causes with the reasoning behind each (HOW), and the
next question with the causes it separates (WHY). `to_dict` gives the JSON form in one language;
renderers format it, they never reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cfdoctor.engine.model import Cause, Fact, KnowledgeBase, Value
from cfdoctor.engine.questions import Question
from cfdoctor.engine.reasoner import Evaluation
from cfdoctor.engine.scoring import Score

Json = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FactUse:
    """A fact a rule used, and the rule that derived it if it was not an input."""

    fact: str
    value: Value
    derived_by: str | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that moved a cause, and the facts it looked at."""

    rule: str
    effect: str
    ratio: float
    facts: tuple[FactUse, ...]


@dataclass(frozen=True)
class Finding:
    """One candidate cause with its score and the reasoning behind it."""

    cause: Cause
    score: Score
    how: tuple[Reason, ...]


@dataclass(frozen=True)
class InputRecord:
    """One input of the session as the report lists it."""

    fact: str
    value: Value | None
    """None: answered "unknown"."""
    source: str


@dataclass(frozen=True)
class Diagnosis:
    """The ranked causes for a fact set, and what to ask next: the engine's answer."""

    kb: KnowledgeBase
    findings: tuple[Finding, ...]
    """Candidate causes still possible, best first."""
    ruled_out: tuple[Finding, ...]
    unexplained: float
    symptoms: tuple[str, ...]
    inputs: tuple[InputRecord, ...]
    evaluation: Evaluation
    question: Question | None

    @property
    def confident(self) -> Finding | None:
        lead = self.evaluation.ranking.confident
        return self.findings[0] if lead is not None else None

    @property
    def state(self) -> str:
        if self.confident is not None:
            return "confident"
        if not self.findings:
            return "no-known-cause"
        return "uncertain" if self.question is None else "asking"

    def to_dict(self, lang: str) -> Json:
        kb = self.kb
        return {
            "kb_version": kb.version,
            "lang": lang,
            "state": self.state,
            "confident_cause": self.confident.cause.id if self.confident else None,
            "symptoms": [{"id": s, "title": kb.symptoms[s].title.get(lang)} for s in self.symptoms],
            "causes": [finding_dict(kb, f, lang) for f in self.findings],
            "ruled_out": [
                {
                    "id": f.cause.id,
                    "title": f.cause.title.get(lang),
                    "how": [reason_dict(kb, r, lang) for r in f.how if r.effect == "rules_out"],
                }
                for f in self.ruled_out
            ],
            "unexplained": round(self.unexplained, 4),
            "facts": [{"fact": i.fact, "value": i.value, "source": i.source} for i in self.inputs],
            "derived": [
                {"fact": d.fact, "value": d.value, "rule": d.rule} for d in self.evaluation.derived
            ],
            "next_question": question_dict(kb, self.question, lang) if self.question else None,
        }


def answer_values(fact: Fact, lang: str, likely: Sequence[Value] = ()) -> list[Json]:
    """The answers a fact allows: the likely ones first, then the rest in the knowledge's order
    (coarse answers, such as "S3" for "which kind of S3 endpoint", last)."""
    if fact.type == "bool":
        values: list[tuple[Value, str]] = [(True, "yes"), (False, "no")]
    else:
        values = [(v, t.get(lang)) for v, t in fact.values]
    first = {v: i for i, v in enumerate(likely)}
    coarse = {g for g, _ in fact.groups}
    values.sort(key=lambda vt: (first.get(vt[0], len(first)), vt[0] in coarse))
    return [{"value": v, "label": label} for v, label in values]


def reason_dict(kb: KnowledgeBase, reason: Reason, lang: str) -> Json:
    return {
        "rule": reason.rule,
        "effect": reason.effect,
        "ratio": reason.ratio,
        "because": kb.rules[reason.rule].because.get(lang),
        "facts": [
            {
                "fact": u.fact,
                "value": u.value,
                **({"derived_by": u.derived_by} if u.derived_by else {}),
            }
            for u in reason.facts
        ],
    }


def cause_dict(cause: Cause, lang: str) -> Json:
    """A cause's own knowledge (what it is, fixes, dead ends, sources), independent of a session."""
    return {
        "id": cause.id,
        "title": cause.title.get(lang),
        "grade": cause.grade,
        "status": list(cause.status),
        "summary": cause.summary.get(lang),
        "fixes": [
            {
                "title": fix.title.get(lang),
                "steps": [s.get(lang) for s in fix.steps],
                "commands": list(fix.commands),
                "success_rate": fix.success_rate,
                "rate_origin": fix.rate_origin.get(lang),
            }
            for fix in cause.fixes
        ],
        "dead_ends": [
            {
                "title": d.title.get(lang),
                "why": d.why.get(lang),
                "fail_rate": d.fail_rate,
                "rate_origin": d.rate_origin.get(lang) if d.rate_origin else None,
            }
            for d in cause.dead_ends
        ],
        "sources": [{"url": s.url, "lang": s.lang, "title": s.title} for s in cause.sources],
    }


def finding_dict(kb: KnowledgeBase, finding: Finding, lang: str) -> Json:
    return {
        **cause_dict(finding.cause, lang),
        "confidence": round(finding.score.posterior, 4),
        "prior": round(finding.score.prior, 4),
        "how": [reason_dict(kb, r, lang) for r in finding.how],
    }


def question_dict(kb: KnowledgeBase, question: Question, lang: str) -> Json:
    check = question.check
    fact = kb.facts[check.fact]
    return {
        "check": check.id,
        "fact": fact.name,
        "type": fact.type,
        "question": check.question.get(lang),
        "answers": answer_values(fact, lang, question.likely),
        "coarse_answers": (
            list(kb.facts[fact.coarse].value_ids) if fact.coarse is not None else []
        ),
        "how_to_read": check.how_to_read.get(lang),
        "commands": [{"run": c.run, "platform": c.platform} for c in check.commands],
        "cost_minutes": check.cost,
        "expected_gain_bits": round(question.gain, 4),
        "why": [
            {"id": c, "title": kb.causes[c].title.get(lang)}
            for c in question.separates
            if c in kb.causes
        ],
    }
