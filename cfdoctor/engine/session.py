"""A diagnosis conversation. Its truth is the list of its inputs; everything else is recomputed.

So a session serializes to small JSON, restores by replay into an identical session, and any
number of sessions share one Reasoner without seeing each other's facts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cfdoctor.engine.diagnosis import Diagnosis, FactUse, Finding, InputRecord, Reason
from cfdoctor.engine.errors import FactError, SessionError, similar
from cfdoctor.engine.model import Fact, Value
from cfdoctor.engine.questions import Question, next_question
from cfdoctor.engine.reasoner import Evaluation, Reasoner
from cfdoctor.engine.values import MAX_TEXT_CHARS, type_problem

FORMAT = "cfdoctor-session"
FORMAT_VERSION = 1
UNKNOWN_WORDS = frozenset({"unknown", "?", "idk", "わからない", "不明", "不知道", "未知"})
_YES = frozenset({"yes", "y", "true", "1", "はい", "是", "是的", "对"})
MAX_SOURCE_CHARS = 1024
_NO = frozenset({"no", "n", "false", "0", "いいえ", "否", "不是", "不"})


@dataclass(frozen=True, slots=True)
class Input:
    fact: str
    value: Value | None
    """None: the user answered "unknown"; the fact is settled as not knowable, never asked again."""
    source: str


def parse_value(fact: Fact, text: str) -> Value:
    """A user's text as a value of the fact's type; FactError says what is allowed."""
    raw = text.strip()
    if fact.type == "bool":
        low = raw.lower()
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise FactError.coded("fact-not-yes-no", fact=fact.name, text=text)
    if fact.type == "int":
        try:
            return int(raw)
        except ValueError:
            raise FactError.coded("fact-not-whole-number", fact=fact.name, text=text) from None
    if fact.type == "enum":
        ids = fact.value_ids
        word = "-".join(raw.lower().replace("_", " ").split())  # "API Gateway" -> api-gateway
        if word in ids:
            return word
        if raw.isdigit() and 1 <= int(raw) <= len(ids):
            return ids[int(raw) - 1]
        raise FactError.coded("fact-not-a-value", fact=fact.name, values=", ".join(ids), text=text)
    return raw


class Session:
    def __init__(self, reasoner: Reasoner) -> None:
        self.reasoner = reasoner
        self._inputs: dict[str, Input] = {}

    # -- facts in -------------------------------------------------------------------------
    def _fact(self, name: str) -> Fact:
        fact = self.reasoner.kb.facts.get(name)
        if fact is None:
            askable = (f.name for f in self.reasoner.kb.facts.values() if not f.derived)
            close = similar(name, askable)
            if close:
                raise FactError.coded("fact-unknown-similar", name=name, similar=", ".join(close))
            raise FactError.coded("fact-unknown", name=name)
        if fact.derived:
            raise FactError.coded("fact-derived", name=name)
        return fact

    def observe(self, name: str, value: Value | str | None, source: str = "api") -> None:
        """Record a fact; text is parsed to the fact's type, typed values are checked strictly."""
        if not isinstance(name, str):
            raise FactError(f"a fact name is text, not {type(name).__name__}")
        if not isinstance(source, str) or len(source) > MAX_SOURCE_CHARS:
            raise FactError(
                f"{name}: the source must be text of at most {MAX_SOURCE_CHARS} characters"
            )
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise FactError(f"{name}: text longer than {MAX_TEXT_CHARS} characters ({len(value)})")
        fact = self._fact(name)
        if isinstance(value, str) and fact.type != "str":
            if value.strip().lower() in UNKNOWN_WORDS:
                value = None
            else:
                coarse = self._coarse(fact, value)
                if coarse is not None:
                    # "5xx" for a status: the coarse fact takes it, the precise one is unknowable
                    self._inputs.pop(coarse.fact, None)
                    self._inputs[coarse.fact] = Input(coarse.fact, coarse.value, source)
                    value = None
                else:
                    value = parse_value(fact, value)
        if value is not None:
            problem = type_problem(fact, value)
            if problem:
                raise FactError(f"{name}: {value!r} is not valid ({problem})")
        self._inputs.pop(name, None)
        self._inputs[name] = Input(name, value, source)

    def _coarse(self, fact: Fact, text: str) -> Input | None:
        """The answer as a value of the fact's coarse fact, when it is not one of its own."""
        if fact.coarse is None:
            return None
        try:
            parse_value(fact, text)
            return None
        except FactError:
            pass
        coarse = self.reasoner.kb.facts[fact.coarse]
        try:
            return Input(coarse.name, parse_value(coarse, text), "")
        except FactError:
            raise FactError.coded(
                "fact-not-a-rough-value",
                fact=fact.name,
                text=text,
                kind=FactError.coded("kind-whole-number" if fact.type == "int" else "kind-value"),
                values=", ".join(coarse.value_ids),
            ) from None

    def answer(self, check_id: str, text: str | Value | None) -> None:
        """Answer a check: yes / no / a value / unknown (a word, or None)."""
        check = self.reasoner.kb.checks.get(check_id)
        if check is None:
            close = similar(check_id, self.reasoner.kb.checks)
            if close:
                similar_ids = ", ".join(close)
                raise FactError.coded("check-unknown-similar", check=check_id, similar=similar_ids)
            raise FactError.coded("check-unknown", check=check_id)
        if isinstance(text, str) and text.strip().lower() in UNKNOWN_WORDS:
            text = None  # a person's "unknown", even for a free-text fact
        self.observe(check.fact, text, source=f"answer:{check_id}")

    def observe_many(self, items: Iterable[tuple[str, Value | str | None]], source: str) -> None:
        """All or nothing: a bad item leaves the session as it was."""
        self._apply((name, value, source) for name, value in items)

    def _apply(self, staged: Iterable[tuple[str, Value | str | None, str]]) -> None:
        copy = Session(self.reasoner)
        copy._inputs = dict(self._inputs)
        for name, value, source in staged:
            copy.observe(name, value, source)
        self._inputs = copy._inputs

    # -- state ----------------------------------------------------------------------------
    @property
    def inputs(self) -> tuple[Input, ...]:
        return tuple(self._inputs.values())

    @property
    def facts(self) -> dict[str, Value]:
        return {i.fact: i.value for i in self._inputs.values() if i.value is not None}

    @property
    def settled(self) -> frozenset[str]:
        return frozenset(self._inputs)

    # -- conclusions ----------------------------------------------------------------------
    def evaluation(self) -> Evaluation:
        return self.reasoner.evaluate(self.facts)

    def next_question(self) -> Question | None:
        return next_question(self.reasoner, self.facts, self.settled)

    def diagnosis(self, *, with_question: bool = True) -> Diagnosis:
        ev = self.evaluation()
        kb = self.reasoner.kb
        known: dict[str, Value] = dict(ev.facts)
        derived_by: dict[str, tuple[Value, str]] = {d.fact: (d.value, d.rule) for d in ev.derived}

        def uses(rule_id: str) -> tuple[FactUse, ...]:
            out: dict[str, FactUse] = {}
            for cond in kb.rules[rule_id].when.conditions():
                if cond.fact in known:
                    out[cond.fact] = FactUse(cond.fact, known[cond.fact])
                elif cond.fact in derived_by:
                    value, by = derived_by[cond.fact]
                    out[cond.fact] = FactUse(cond.fact, value, by)
            return tuple(out.values())

        findings = [
            Finding(
                kb.causes[s.cause],
                s,
                tuple(Reason(m.rule, m.effect, m.ratio, uses(m.rule)) for m in s.moves),
            )
            for s in ev.ranking.scores
        ]
        return Diagnosis(
            kb=kb,
            findings=tuple(f for f in findings if f.score.posterior > 0),
            ruled_out=tuple(f for f in findings if f.score.ruled_out),
            unexplained=ev.ranking.unexplained,
            symptoms=ev.symptoms,
            inputs=tuple(InputRecord(i.fact, i.value, i.source) for i in self._inputs.values()),
            evaluation=ev,
            question=self.next_question() if with_question else None,
        )

    # -- persistence ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kb_version": self.reasoner.kb.version,
            "inputs": [
                {"fact": i.fact, "value": i.value, "source": i.source}
                for i in self._inputs.values()
            ],
        }
        body["digest"] = _digest(body)
        return body

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, reasoner: Reasoner, text: str) -> Session:
        if not isinstance(text, str):
            raise SessionError(f"a session is JSON text, not {type(text).__name__}")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SessionError.coded(
                "session-not-json", line=exc.lineno, column=exc.colno
            ) from None
        except (RecursionError, ValueError) as exc:  # nesting, or an integer of 5,000 digits
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise SessionError(f"session is not usable JSON ({reason})") from None
        return cls.from_dict(reasoner, data)

    @classmethod
    def from_dict(cls, reasoner: Reasoner, data: Any) -> Session:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise SessionError.coded("session-not-a-session")
        if data.get("format_version") != FORMAT_VERSION:
            raise SessionError.coded(
                "session-format-version",
                found=repr(data.get("format_version")),
                supported=FORMAT_VERSION,
            )
        if data.get("kb_version") != reasoner.kb.version:
            raise SessionError.coded(
                "session-other-knowledge",
                found=repr(data.get("kb_version")),
                loaded=repr(reasoner.kb.version),
            )
        body = {k: v for k, v in data.items() if k != "digest"}
        try:
            digest = _digest(body)
        except (RecursionError, ValueError, TypeError):
            raise SessionError("session content is nested too deeply or not JSON data") from None
        if data.get("digest") != digest:
            raise SessionError.coded("session-digest")
        inputs = data.get("inputs")
        if not isinstance(inputs, list):
            raise SessionError.coded("session-inputs-not-a-list")
        session = cls(reasoner)
        for n, item in enumerate(inputs):
            if not isinstance(item, dict) or not {"fact", "value", "source"} <= item.keys():
                raise SessionError.coded("session-input-shape", n=n + 1)
            if not isinstance(item["fact"], str) or not isinstance(item["source"], str):
                raise SessionError(f"session input #{n + 1}: fact and source must be text")
            if item["value"] is not None and not isinstance(item["value"], (str, int)):
                raise SessionError(f"session input #{n + 1}: the value must be text or a number")
            try:
                session.observe(item["fact"], item["value"], item["source"])
            except FactError as exc:
                raise SessionError.coded("session-input-invalid", n=n + 1, error=exc) from None
        return session


def _digest(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
