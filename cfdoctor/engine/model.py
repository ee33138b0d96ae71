"""The knowledge model: immutable, language-complete, free of any YAML or engine detail.

Every other layer reads these objects; nothing writes them after the loader has built them, so a
compiled knowledge base can be cached (pickled) and shared between threads without locks. No
__slots__: a frozen slotted dataclass unpickles through a Python-level __setstate__, and the
cached knowledge base loads in 10 ms instead of 17 without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LANGS: tuple[str, ...] = ("en", "ja", "zh")
"""Languages every text field carries; English is canonical."""

Value = bool | int | str
"""A fact value, always of the fact's own type (durable_rules compares mixed types as strings)."""

FactType = Literal["bool", "int", "str", "enum"]
Effect = Literal["confirms", "strong", "moderate", "weak", "against", "strong_against", "rules_out"]
Op = Literal["eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte"]
Grade = Literal["D", "C", "I"]


@dataclass(frozen=True)
class Text:
    """One piece of text in every supported language."""

    en: str
    ja: str
    zh: str

    def get(self, lang: str) -> str:
        return str(getattr(self, lang, self.en))


@dataclass(frozen=True)
class Origin:
    """Where a unit came from, so every later error can name the file and line."""

    path: str
    line: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Fact:
    """A name in the fact vocabulary, its type and, for enums, its values."""

    name: str
    type: FactType
    label: Text
    values: tuple[tuple[str, Text], ...] = ()
    derived: bool = False
    settled_by: tuple[str, ...] = ()
    origin: Origin = Origin("<builtin>")
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Coarse enum values and the precise values each stands for (`s3` -> `s3-rest`,
    `s3-website`): a person answers as precisely as they can, and a coarse answer satisfies a
    condition only when every value it stands for would."""
    coarse: str | None = None
    """An enum fact that takes the answers too coarse for this one (`5xx` for a status)."""

    @property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.values)

    @property
    def precise_ids(self) -> tuple[str, ...]:
        """The values that are not coarse groups: what a definite answer can be."""
        coarse = {g for g, _ in self.groups}
        return tuple(v for v, _ in self.values if v not in coarse)

    def members(self, value: Value) -> tuple[Value, ...]:
        """The precise values `value` stands for: itself, unless it is a coarse group."""
        for group, members in self.groups:
            if group == value:
                return members
        return (value,)

    def value_label(self, value: Value, lang: str) -> str:
        for v, text in self.values:
            if v == value:
                return text.get(lang)
        if self.type == "bool":
            return str(value).lower()
        return str(value)


_NEGATED: dict[Op, Op] = {
    "eq": "ne",
    "ne": "eq",
    "in": "not_in",
    "not_in": "in",
    "gt": "lte",
    "gte": "lt",
    "lt": "gte",
    "lte": "gt",
}


@dataclass(frozen=True)
class Condition:
    """One test of a fact's value in a rule's or a symptom's `when`."""

    fact: str
    op: Op
    value: Value | tuple[Value, ...]

    def negated(self) -> Condition:
        return Condition(self.fact, _NEGATED[self.op], self.value)

    def holds(self, actual: Value) -> bool:
        """Evaluate on a known value: for validation (reachability), never for the reasoning."""
        v = self.value
        if self.op == "eq":
            return actual == v
        if self.op == "ne":
            return actual != v
        if self.op == "in":
            return isinstance(v, tuple) and actual in v
        if self.op == "not_in":
            return isinstance(v, tuple) and actual not in v
        if not isinstance(actual, int) or isinstance(actual, bool) or not isinstance(v, int):
            return False
        return {
            "gt": actual > v,
            "gte": actual >= v,
            "lt": actual < v,
            "lte": actual <= v,
        }[self.op]


@dataclass(frozen=True)
class When:
    """all: every condition; any: at least one; not: none of them (their facts must be known)."""

    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    not_: tuple[Condition, ...] = ()

    def conditions(self) -> tuple[Condition, ...]:
        return self.all + self.any + self.not_

    def branches(self) -> tuple[tuple[Condition, ...], ...]:
        """Disjunctive normal form: one conjunction per `any` alternative, `not` as negated tests.

        `not` is "known and different", never "absent": facts arrive one by one, and a conclusion
        drawn from a fact's absence would flip when the fact arrives.
        """
        base = self.all + tuple(c.negated() for c in self.not_)
        if not self.any:
            return (base,)
        return tuple((*base, alternative) for alternative in self.any)


@dataclass(frozen=True)
class Command:
    """A shell command that settles a check, for one platform (or any)."""

    run: str
    platform: str = "any"


@dataclass(frozen=True)
class Check:
    """What to look at to settle one fact: the question asked and how to read the answer."""

    id: str
    fact: str
    question: Text
    how_to_read: Text
    commands: tuple[Command, ...]
    cost: float
    origin: Origin
    applies_when: When | None = None
    """The premise of the question: it is asked only once the premise is known to hold (or
    its facts are known to be unknowable), never while the known facts exclude it."""


@dataclass(frozen=True)
class Symptom:
    """What the user sees (an HTTP status, a page); the causes that compete belong to it."""

    id: str
    title: Text
    description: Text
    when: When
    origin: Origin
    prior: float = 1.0
    """How common this symptom is among CloudFront error reports (relative weight)."""
    requires: tuple[Condition, ...] = ()
    """Conditions a report must not contradict for the symptom to be possible (a 502 is not
    possible once the status is known to be a 4xx), before its own `when` is known."""


@dataclass(frozen=True)
class Assertion:
    """A fact a rule derives when it fires."""

    fact: str
    value: Value


@dataclass(frozen=True)
class CauseEffect:
    """How much a firing rule moves one cause's odds."""

    cause: str
    effect: Effect


@dataclass(frozen=True)
class Rule:
    """Evidence: when its conditions hold, it derives facts and moves causes' odds."""

    id: str
    because: Text
    when: When
    asserts: tuple[Assertion, ...]
    effects: tuple[CauseEffect, ...]
    origin: Origin


@dataclass(frozen=True)
class Fix:
    """A way to remove a cause, with how often it works and where that rate comes from."""

    title: Text
    steps: tuple[Text, ...]
    commands: tuple[str, ...]
    success_rate: float
    rate_origin: Text


@dataclass(frozen=True)
class DeadEnd:
    """A fix people try that does not help for this cause, and why."""

    title: Text
    why: Text
    fail_rate: float | None = None
    rate_origin: Text | None = None


@dataclass(frozen=True)
class Source:
    """Documentation or a report that backs a cause."""

    url: str
    lang: str
    title: str = ""


@dataclass(frozen=True)
class Case:
    """A fact set that must (or must not) rank its cause first: knowledge's own test."""

    name: str
    facts: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Cause:
    """A reason for a symptom, with its prior, fixes, dead ends, sources and cases."""

    id: str
    title: Text
    summary: Text
    status: tuple[int, ...]
    symptoms: tuple[str, ...]
    grade: Grade
    prior: float
    fixes: tuple[Fix, ...]
    dead_ends: tuple[DeadEnd, ...]
    sources: tuple[Source, ...]
    positive: tuple[Case, ...]
    negative: tuple[Case, ...]
    origin: Origin


@dataclass(frozen=True)
class KnowledgeBase:
    """A loaded, validated knowledge base: the bundled one plus any user directories."""

    facts: dict[str, Fact]
    checks: dict[str, Check]
    symptoms: dict[str, Symptom]
    causes: dict[str, Cause]
    rules: dict[str, Rule]
    version: str
    roots: tuple[str, ...] = ()
    checks_by_fact: dict[str, tuple[str, ...]] = field(default_factory=dict)
