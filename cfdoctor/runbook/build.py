"""Runbooks as Markdown: a pure function of the knowledge, the engine's flow and a language.

A runbook follows the engine's strategy for one symptom: where to start, the checks in the
order the engine asks them (each with its commands, how to read the output, and where every
answer leads), then every cause of the symptom with its fixes, dead ends and sources. Headings
carry `{#id}` anchors (`check-<id>`, `cause-<id>`) so links survive in every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from cfdoctor.engine.model import Cause, Command, KnowledgeBase
from cfdoctor.runbook.flow import Flow, Lead, Step
from cfdoctor.runbook.labels import answers, destination
from cfdoctor.runbook.mdtext import anchor_link, code_span, heading, inline
from cfdoctor.runbook.parts import (
    answer_md,
    cause_anchor,
    cause_md,
    check_anchor,
    check_md,
    fact_md,
    grades_legend,
    value_md,
    variables_md,
)
from cfdoctor.runbook.strings import Strings, strings

FLOW_ANCHOR = "flow"
"""The section a renderer may replace with a drawn diagram of the same flow."""


def build_runbook(
    flow: Flow,
    kb: KnowledgeBase,
    lang: str,
    *,
    generated: dt.date | None = None,
    values: Mapping[str, str] | None = None,
) -> str:
    """The runbook of one symptom in one language, as CommonMark with `{#id}` heading anchors."""
    s = strings(lang)
    symptom = flow.symptom
    blocks: list[str] = [
        heading(1, inline(symptom.title.get(lang)), "top"),
        inline(symptom.description.get(lang)),
        _about(kb, s, generated),
        heading(2, s._("Before you start"), "start"),
        *_starting_point(flow, kb, s),
    ]
    commands = [c for step in flow.steps for c in step.check.commands]
    commands += [Command(c) for cause in _causes(flow, kb) for f in cause.fixes for c in f.commands]
    blocks += variables_md(commands, s, values)

    blocks += [heading(2, s._("Decision flow"), FLOW_ANCHOR), *_flow_overview(flow, kb, s)]

    if flow.steps:
        blocks.append(heading(2, s._("Checks"), "checks"))
        blocks.append(s._("In the order cfdoctor asks them for this symptom."))
    for step in flow.steps:
        blocks += _step_md(step, flow, kb, s, values)

    blocks.append(heading(2, s._("Causes"), "causes"))
    causes = _causes(flow, kb)
    if not causes:
        blocks.append(s._("The knowledge base has no causes for this symptom yet."))
    for cause in causes:
        blocks += cause_md(cause, s, 3, values)

    blocks += [heading(2, s._("Evidence grades"), "grades"), *grades_legend(s)]
    return "\n\n".join(b for b in blocks if b) + "\n"


def build_index(
    flows: Sequence[Flow],
    kb: KnowledgeBase,
    lang: str,
    *,
    suffix: str = ".md",
    link_prefix: str = "",
    level: int = 1,
    generated: dt.date | None = None,
) -> str:
    """The list of runbooks in one language, linking to `<link_prefix><symptom id><suffix>`.

    At `level` 2 it is one language's section of the multilingual landing page.
    """
    s = strings(lang)
    anchor = "top" if level == 1 else f"lang-{lang}"
    blocks = [
        heading(level, s._("CloudFront troubleshooting runbooks"), anchor),
        s._("One runbook per symptom, generated from the knowledge cfdoctor reasons with."),
        _about(kb, s, generated),
    ]
    items = []
    for flow in flows:
        href = f"{link_prefix}{flow.symptom.id}{suffix}"
        link = f"[{inline(flow.symptom.title.get(lang))}]({href})"
        checks = s.n_("{n} check", "{n} checks", len(flow.steps)).format(n=len(flow.steps))
        causes = s.n_("{n} cause", "{n} causes", len(flow.causes)).format(n=len(flow.causes))
        items.append(f"- {s.label(link)} {s.join([checks, causes])}")
    blocks.append("\n".join(items) if items else s._("The knowledge base has no symptoms."))
    if level == 1:
        blocks += [heading(2, s._("Evidence grades"), "grades"), *grades_legend(s)]
    return "\n\n".join(b for b in blocks if b) + "\n"


# -- pieces ---------------------------------------------------------------------------------


def _about(kb: KnowledgeBase, s: Strings, generated: dt.date | None) -> str:
    version = code_span(kb.version)
    if generated is None:
        return "*" + s._("Knowledge base {version}.").format(version=version) + "*"
    text = s._("Generated on {date} from knowledge base {version}.")
    return "*" + text.format(date=s.date(generated), version=version) + "*"


def _causes(flow: Flow, kb: KnowledgeBase) -> list[Cause]:
    return [kb.causes[c] for c in flow.causes if c in kb.causes]


def _starting_point(flow: Flow, kb: KnowledgeBase, s: Strings) -> list[str]:
    facts = "\n".join(
        f"- {s.label(fact_md(kb, f, s))} {value_md(kb, f, v, s)}" for f, v in flow.start
    )
    more = s._("Run {command} to be asked the same checks one at a time.")
    return [
        s._("This runbook applies when:"),
        facts,
        more.format(command=code_span("cfdoctor diagnose")),
    ]


def _check_ref(step: Step, s: Strings) -> str:
    label = s._("check {n}").format(n=step.number)
    return anchor_link(label, check_anchor(step.check.id))


def _cause_ref(kb: KnowledgeBase, cause_id: str, s: Strings) -> str:
    cause = kb.causes.get(cause_id)
    title = inline(cause.title.get(s.lang)) if cause is not None else code_span(cause_id)
    return anchor_link(title, cause_anchor(cause_id))


def _causes_ref(kb: KnowledgeBase, ids: Sequence[str], s: Strings) -> str:
    return s.join([_cause_ref(kb, c, s) for c in ids])


def _answers_md(step: Step, lead: Lead, kb: KnowledgeBase, s: Strings) -> str:
    return s.join([answer_md(a, s) for a in answers(step, lead, kb, s)], style="or")


def _destination_md(flow: Flow, lead: Lead, kb: KnowledgeBase, s: Strings) -> str:
    dest = destination(flow, lead, kb, s)
    if dest.anchor is None:
        return inline(dest.text)
    return anchor_link(inline(dest.text), dest.anchor)


def lead_md(flow: Flow, lead: Lead, kb: KnowledgeBase, s: Strings) -> str:
    """One answer's consequences, in the engine's words: concluded, moved, ruled out, next."""
    sentences: list[str] = []
    if lead.concludes is not None:
        sentences.append(
            s._("Points to {cause} (confidence {confidence}).").format(
                cause=_cause_ref(kb, lead.concludes, s), confidence=s.percent(lead.confidence)
            )
        )
    if lead.rules_out:
        sentences.append(
            s._("Rules out {causes}.").format(causes=_causes_ref(kb, lead.rules_out, s))
        )
    if lead.raises:
        sentences.append(
            s._("Makes {causes} more likely.").format(causes=_causes_ref(kb, lead.raises, s))
        )
    if lead.lowers:
        sentences.append(
            s._("Makes {causes} less likely.").format(causes=_causes_ref(kb, lead.lowers, s))
        )
    if lead.next_check is not None:
        nxt = flow.step(lead.next_check)
        sentences.append(s._("Next: {check}.").format(check=_check_ref(nxt, s)))
    elif lead.end == "no-known-cause":
        sentences.append(
            s._("No known cause is left: the knowledge base does not cover this case yet.")
        )
    elif lead.end == "undecided":
        leading = s.join(
            [f"{_cause_ref(kb, c, s)}{s.paren(s.percent(p))}" for c, p in lead.leading]
        )
        sentences.append(
            s._("No further check separates the remaining causes; most likely: {causes}.").format(
                causes=leading
            )
        )
    return " ".join(sentences)


def _flow_overview(flow: Flow, kb: KnowledgeBase, s: Strings) -> list[str]:
    if not flow.steps:
        verdict = lead_md(flow, flow.opening, kb, s) if flow.opening.end == "undecided" else ""
        return [
            s._("No check can change the result: the knowledge base has nothing to ask."),
            verdict,
        ]
    items: list[str] = []
    for step in flow.steps:
        head = f"{step.number}. " + anchor_link(
            inline(step.check.question.get(s.lang)), check_anchor(step.check.id)
        )
        pad = " " * (len(str(step.number)) + 2)
        arrows = [
            f"{pad}- {_answers_md(step, lead, kb, s)} → {_destination_md(flow, lead, kb, s)}"
            for lead in step.leads
        ]
        items.append("\n".join([head, *arrows]))
    intro = s._(
        "Start with check 1 and follow your answer. "
        '"Don\'t know" always continues with the next check in this order.'
    )
    return [intro, "\n".join(items)]


def _step_md(
    step: Step, flow: Flow, kb: KnowledgeBase, s: Strings, values: Mapping[str, str] | None
) -> list[str]:
    extra: list[str] = []
    if step.via is not None:
        origin = flow.step(step.via[0])
        lead = origin.leads[step.via[1]]
        extra.append(
            s._("Reached from {check} when the answer is: {answer}.").format(
                check=_check_ref(origin, s), answer=_answers_md(origin, lead, kb, s)
            )
        )
    names = [c for c in step.separates if c in kb.causes]
    if names:
        extra.append(
            s._("Why this check: it separates {causes}.").format(causes=_causes_ref(kb, names, s))
        )
    blocks = check_md(step.check, s, 3, values, number=step.number, extra=extra)
    blocks.append(heading(4, s._("Where each answer leads")))
    if step.leads:
        blocks.append(
            "\n".join(
                f"- **{s.label(_answers_md(step, lead, kb, s))}** {lead_md(flow, lead, kb, s)}"
                for lead in step.leads
            )
        )
    else:
        text = s._("This runbook stops here; {command} continues with the questions.")
        blocks.append(text.format(command=code_span("cfdoctor diagnose")))
    return blocks
