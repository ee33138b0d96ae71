"""Plain-text labels for the flow's answers and destinations, shared by Markdown and diagram.

Both outputs must name an answer and its destination identically; each escapes these labels for
its own syntax (Markdown backslashes, HTML entities), so the labels themselves stay plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cfdoctor.engine.model import KnowledgeBase, Value
from cfdoctor.runbook.flow import Flow, Lead, Step
from cfdoctor.runbook.strings import Strings


@dataclass(frozen=True, slots=True)
class Answer:
    label: str
    code: str | None = None
    """The value as typed into `cfdoctor` (enum ids), shown beside the label."""


@dataclass(frozen=True, slots=True)
class Destination:
    kind: Literal["cause", "check", "end"]
    text: str
    anchor: str | None = None
    number: int | None = None
    """The check's number, for checks."""


def value_answer(kb: KnowledgeBase, fact_name: str, value: Value | None, s: Strings) -> Answer:
    """A fact value as a reader knows it: yes/no, the value's label, or the value itself."""
    if value is None:
        return Answer(s._("unknown"))
    if isinstance(value, bool):
        return Answer(s._("Yes") if value else s._("No"))
    fact = kb.facts.get(fact_name)
    if fact is not None and fact.type == "enum":
        return Answer(fact.value_label(value, s.lang), str(value))
    return Answer("", str(value))


def answers(step: Step, lead: Lead, kb: KnowledgeBase, s: Strings) -> list[Answer]:
    """The answers a lead stands for, as a reader would give them."""
    if lead.unknown:
        return [Answer(s._("Don't know / cannot check"))]
    fact = kb.facts[step.check.fact]
    if fact.type == "int":
        return [Answer(r) for r in int_ranges(step.domain, lead, s)]
    out = [value_answer(kb, fact.name, v, s) for v in lead.answers]
    if lead.other:
        out.append(Answer(s._("any other value")))
    return out


def int_ranges(domain: tuple[Value, ...], lead: Lead, s: Strings) -> list[str]:
    """Number answers as ranges.

    The engine probes each constant a rule tests and the numbers either side of it, plus one
    beyond them all; so any number between two probes of the same group behaves like them, the
    lowest probe stands for everything below it and the highest for everything above.
    """
    ints = sorted(v for v in domain if isinstance(v, int) and not isinstance(v, bool))
    mine = set(lead.answers) | ({ints[-1]} if lead.other and ints else set())
    runs: list[tuple[int, int]] = []
    for i, v in enumerate(ints):
        if v not in mine:
            continue
        if runs and i > 0 and ints[i - 1] in mine:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    out: list[str] = []
    for lo, hi in runs:
        low_end = lo == ints[0]
        high_end = hi == ints[-1]
        if low_end and high_end:
            out.append(s._("any value"))
        elif high_end:
            out.append(f"≥ {lo}")
        elif low_end:
            out.append(f"≤ {hi}")
        elif lo == hi:
            out.append(str(lo))
        else:
            out.append(f"{lo}–{hi}")
    return out


def destination(flow: Flow, lead: Lead, kb: KnowledgeBase, s: Strings) -> Destination:
    """Where a lead goes: the cause it concludes, the next check, or the end of the questions."""
    if lead.concludes is not None:
        cause = kb.causes.get(lead.concludes)
        title = cause.title.get(s.lang) if cause is not None else lead.concludes
        return Destination("cause", title, f"cause-{lead.concludes}")
    if lead.next_check is not None:
        step = flow.step(lead.next_check)
        text = s._("check {n}").format(n=step.number)
        return Destination("check", text, f"check-{step.check.id}", step.number)
    if lead.end == "no-known-cause":
        return Destination("end", s._("no known cause fits"))
    return Destination("end", s._("no further check"))
