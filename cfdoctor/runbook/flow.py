"""The decision flow of one symptom, read off the engine's own question selection.

Nothing here decides which check comes next or what an answer means: `next_question` picks every
check and `Reasoner.evaluate` says what each answer does. This module only walks those choices,
so a printed runbook and an interactive session can never disagree:

* the main path is the order the engine asks its checks in when every answer is "don't know"
  (the fact settled without a value), which is also the order a reader works through;
* for every answer of a check, the engine's verdict: the cause it concludes, the causes it makes
  more or less likely or rules out, and the check the engine would ask next on that branch;
* checks reached only on a branch are added after the main path, each expanded once, in the
  context where it is first reached (breadth first), so the walk is bounded and deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from cfdoctor.engine.model import Check, KnowledgeBase, Symptom, Value
from cfdoctor.engine.questions import Question, next_question
from cfdoctor.engine.reasoner import Evaluation, Reasoner
from cfdoctor.runbook.parallel import default_jobs, engine_map

End = Literal["confident", "no-known-cause", "undecided"]
"""How a branch ends when the engine has no next check (None while there is one)."""

MAX_STEPS = 80
"""At most this many checks are expanded per symptom; later ones are listed without answers."""

LEADING = 3
"""Causes named when a branch ends undecided."""


@dataclass(frozen=True)
class Lead:
    """Where one answer (or a group of answers with the same verdict) takes the diagnosis."""

    answers: tuple[Value, ...]
    """The answer values in this group, in the order the engine lists them."""
    other: bool
    """The group also covers every value not listed anywhere (free text and numbers)."""
    unknown: bool
    """The "don't know / cannot check" answer: the fact is settled without a value."""
    concludes: str | None
    """The cause the engine is confident of after this answer."""
    confidence: float
    """The concluded cause's confidence (0 when nothing is concluded)."""
    raises: tuple[str, ...]
    lowers: tuple[str, ...]
    rules_out: tuple[str, ...]
    next_check: str | None
    end: End | None
    leading: tuple[tuple[str, float], ...] = ()
    """When the branch ends undecided: the remaining causes and their confidence, best first."""


@dataclass(frozen=True)
class Step:
    check: Check
    number: int
    """1-based position in the runbook."""
    main: bool
    """On the main path (reached by answering "don't know" to every earlier check)."""
    gain: float
    separates: tuple[str, ...]
    """Causes this check separates, most first (the engine's WHY)."""
    via: tuple[str, int] | None
    """(check id, lead index) of the answer that first reaches an off-path check."""
    domain: tuple[Value, ...]
    """The answers the engine considers for the check's fact (its answer domain)."""
    leads: tuple[Lead, ...]
    """Empty when the bounds stopped the walk before this check was expanded."""


@dataclass(frozen=True)
class Flow:
    symptom: Symptom
    start: tuple[tuple[str, Value], ...]
    """The facts that put a session into this symptom."""
    causes: tuple[str, ...]
    """The symptom's candidate causes at the start, in the engine's ranking order."""
    steps: tuple[Step, ...]
    opening: Lead
    """The verdict before any check: its next_check is the first step (None: nothing to ask)."""
    truncated: bool

    def step(self, check_id: str) -> Step:
        for step in self.steps:
            if step.check.id == check_id:
                return step
        raise KeyError(check_id)


def start_facts(reasoner: Reasoner, symptom: Symptom) -> dict[str, Value]:
    """The `eq` facts of the symptom's first branch; for other operators a value of the engine's
    answer domain that satisfies the condition (a symptom `status in [..]` still gets a flow)."""
    branches = symptom.when.branches()
    facts: dict[str, Value] = {}
    for cond in branches[0] if branches else ():
        if cond.op == "eq" and not isinstance(cond.value, tuple):
            facts[cond.fact] = cond.value
    for cond in branches[0] if branches else ():
        if cond.fact not in facts:
            fits = [v for v in reasoner.answer_domain.get(cond.fact, ()) if cond.holds(v)]
            if fits:
                facts[cond.fact] = fits[0]
    return facts


def _live(ev: Evaluation) -> dict[str, float]:
    return {s.cause: s.posterior for s in ev.ranking.scores if s.posterior > 0}


def _verdict(
    before: Evaluation,
    after: Evaluation,
    question: Question | None,
    answers: tuple[Value, ...] = (),
    *,
    other: bool = False,
    unknown: bool = False,
) -> Lead:
    """Describe, from two engine evaluations, what an answer did (no judgement of our own)."""
    live_before, live_after = _live(before), _live(after)
    ratio_before = {s.cause: s.ratio for s in before.ranking.scores}
    ratio_after = {s.cause: s.ratio for s in after.ranking.scores}
    confident = after.ranking.confident
    concludes = confident.cause if confident is not None else None
    moved = [c for c in live_after if c != concludes and c in ratio_before]
    end: End | None
    leading: tuple[tuple[str, float], ...] = ()
    if concludes is not None:
        end = "confident"
    elif question is not None:
        end = None
    elif not live_after:
        end = "no-known-cause"
    else:
        end = "undecided"
        leading = tuple(list(live_after.items())[:LEADING])
    return Lead(
        answers=answers,
        other=other,
        unknown=unknown,
        concludes=concludes,
        confidence=confident.posterior if confident is not None else 0.0,
        raises=tuple(c for c in moved if ratio_after[c] > ratio_before[c]),
        lowers=tuple(c for c in moved if ratio_after[c] < ratio_before[c]),
        rules_out=tuple(c for c in live_before if c not in live_after),
        next_check=question.check.id if question is not None else None,
        end=end,
        leading=leading,
    )


def is_other(reasoner: Reasoner, fact: str, value: Value) -> bool:
    """Whether `value` is the engine's stand-in for "any value no condition names".

    The answer domain of a number ends with one beyond every constant, and that of free text
    holds a NUL-prefixed marker (see validate.candidate_values).
    """
    kind = reasoner.kb.facts[fact].type
    if kind == "int":
        domain = reasoner.answer_domain[fact]
        return bool(domain) and value == domain[-1]
    return kind == "str" and isinstance(value, str) and value.startswith("\x00")


@dataclass(frozen=True)
class _Node:
    question: Question
    facts: Mapping[str, Value]
    settled: frozenset[str]
    via: tuple[str, int] | None = None
    after_unknown: tuple[Question | None] | None = None
    """The engine's next check after "don't know", when the main path already asked it."""


@dataclass
class _Group:
    example: Value
    """One answer of the group, to stand for all of them when the walk continues."""
    question: Question | None
    after: Evaluation
    values: list[Value]
    other: bool = False


def _sieve(reasoner: Reasoner, fact: str) -> Callable[[Value], tuple[bool, ...]]:
    """What the rules and symptoms can see of a value of `fact`: the truth of each condition
    on it. Values that look alike here are one and the same answer to the engine."""
    whens = [r.when for r in reasoner.kb.rules.values()]
    whens += [s.when for s in reasoner.kb.symptoms.values()]
    conditions = [c for when in whens for c in when.conditions() if c.fact == fact]
    return lambda value: tuple(c.holds(value) for c in conditions)


def _same_outcome(a: Evaluation, b: Evaluation) -> bool:
    return (a.symptoms, a.rules, a.derived, a.ranking) == (
        b.symptoms,
        b.rules,
        b.derived,
        b.ranking,
    )


def _expand(reasoner: Reasoner, node: _Node) -> list[tuple[Lead, _Node | None]]:
    """Every answer of the node's check, grouped when the engine's verdict is the same.

    Answers the engine cannot tell apart (same truth for every condition on the fact, same
    evaluation) share one look-ahead: the next question would be computed identically.
    """
    fact = node.question.check.fact
    before = reasoner.evaluate(node.facts)
    settled = node.settled | {fact}
    sieve = _sieve(reasoner, fact)
    looked: dict[tuple[bool, ...], tuple[Evaluation, Question | None]] = {}
    groups: dict[Lead, _Group] = {}
    for value in reasoner.answer_domain[fact]:
        facts = {**node.facts, fact: value}
        after = reasoner.evaluate(facts)
        seen = looked.get(sieve(value))
        if seen is not None and _same_outcome(seen[0], after):
            question = seen[1]
        else:
            question = next_question(reasoner, facts, settled)
            looked[sieve(value)] = (after, question)
        group = groups.setdefault(
            _verdict(before, after, question), _Group(value, question, after, [])
        )
        if is_other(reasoner, fact, value):
            group.other = True
        else:
            group.values.append(value)
    out: list[tuple[Lead, _Node | None]] = []
    for group in groups.values():
        lead = _verdict(before, group.after, group.question, tuple(group.values), other=group.other)
        child = None
        if group.question is not None:
            child = _Node(group.question, {**node.facts, fact: group.example}, settled)
        out.append((lead, child))
    if node.after_unknown is None:
        question = next_question(reasoner, node.facts, settled)
    else:
        (question,) = node.after_unknown
    unknown = _verdict(before, before, question, unknown=True)
    out.append((unknown, _Node(question, node.facts, settled) if question else None))
    return out


_FLOWS: WeakKeyDictionary[Reasoner, dict[tuple[str, int], Flow]] = WeakKeyDictionary()
"""Flows already derived, per reasoner: a flow is a pure function of the knowledge base."""


def derive_flow(
    reasoner: Reasoner, symptom_id: str, *, max_steps: int = MAX_STEPS, jobs: int | None = None
) -> Flow:
    """The runbook's checks for one symptom, in the engine's order, with every answer's verdict.

    Remembered per reasoner, so writing Markdown and then HTML walks the engine once. `jobs`
    worker processes share the walk (default: the CPUs); the flow is the same for any number.
    """
    known = _FLOWS.setdefault(reasoner, {})
    key = (symptom_id, max_steps)
    if key not in known:
        workers = default_jobs() if jobs is None else jobs
        known[key] = _derive(reasoner, symptom_id, max_steps, workers)
    return known[key]


def _derive(reasoner: Reasoner, symptom_id: str, max_steps: int, jobs: int) -> Flow:
    kb: KnowledgeBase = reasoner.kb
    symptom = kb.symptoms[symptom_id]
    start = start_facts(reasoner, symptom)
    root = reasoner.evaluate(start)
    settled = frozenset(start)
    first = next_question(reasoner, start, settled)
    opening = _verdict(root, root, first)

    path: list[tuple[Question, frozenset[str]]] = []
    done, question = settled, first
    while question is not None and len(path) < max_steps:
        path.append((question, done))
        done = done | {question.check.fact}
        question = next_question(reasoner, start, done)
    truncated = question is not None
    main = len(path)
    level = [
        _Node(q, start, done, None, (path[i + 1][0] if i + 1 < main else question,))
        for i, (q, done) in enumerate(path)
    ]

    # Breadth first, one level at a time: the main path, then the checks its answers reach
    # first, and so on. Each level's expansions are independent, so they may run in parallel;
    # reading their results in order keeps the walk identical to a sequential one.
    order: list[_Node] = list(level)
    seen = {n.question.check.id for n in level}
    leads_of: dict[str, tuple[Lead, ...]] = {}
    while level:
        room = max_steps - len(leads_of)
        truncated = truncated or len(level) > room
        expanded = engine_map(reasoner, _expand, level[:room], jobs)
        following: list[_Node] = []
        for node, results in zip(level, expanded, strict=False):
            leads_of[node.question.check.id] = tuple(lead for lead, _ in results)
            for index, (_, child) in enumerate(results):
                if child is None or child.question.check.id in seen:
                    continue
                seen.add(child.question.check.id)
                via = (node.question.check.id, index)
                following.append(_Node(child.question, child.facts, child.settled, via))
        order += following
        level = following if len(leads_of) < max_steps else []
        truncated = truncated or (bool(following) and not level)

    steps = tuple(
        Step(
            check=kb.checks[n.question.check.id],
            number=i + 1,
            main=i < main,
            gain=n.question.gain,
            separates=n.question.separates,
            via=n.via,
            domain=reasoner.answer_domain[n.question.check.fact],
            leads=leads_of.get(n.question.check.id, ()),
        )
        for i, n in enumerate(order)
    )
    causes = tuple(s.cause for s in root.ranking.scores)
    return Flow(symptom, tuple(sorted(start.items())), causes, steps, opening, truncated)
