"""One diagnosis as a report to paste into a ticket or a post-mortem (Markdown or HTML).

It restates what the engine concluded, never more: the facts given and where each came from,
the facts the rules derived, the causes ruled out and the rule that ruled each out, the
conclusion (or that there is none yet, with the leading candidates), the next check when the
engine has one, then the fixes and dead ends of the concluded cause (or of the leading ones).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from cfdoctor.engine.diagnosis import Diagnosis, Finding, Reason
from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.runbook.mdtext import anchor_link, code_span, heading, inline
from cfdoctor.runbook.parts import (
    cause_anchor,
    cause_md,
    check_md,
    fact_md,
    grades_legend,
    value_md,
)
from cfdoctor.runbook.render import render_page
from cfdoctor.runbook.strings import N_, Strings, strings

CANDIDATES = 3
"""Leading causes whose fixes are listed when nothing is confident yet."""

EFFECTS: dict[str, str] = {
    "confirms": N_("confirms"),
    "strong": N_("strongly supports"),
    "moderate": N_("supports"),
    "weak": N_("slightly supports"),
    "against": N_("weighs against"),
    "strong_against": N_("weighs strongly against"),
    "rules_out": N_("rules out"),
}


def diagnosis_markdown(
    diagnosis: Diagnosis,
    lang: str,
    *,
    generated: dt.date | None = None,
    values: Mapping[str, str] | None = None,
) -> str:
    """The report of one diagnosis in one language, as CommonMark with `{#id}` anchors."""
    s = strings(lang)
    kb = diagnosis.kb
    titles = [kb.symptoms[sid].title.get(lang) for sid in diagnosis.symptoms if sid in kb.symptoms]
    title = (
        s._("Diagnosis: {symptom}").format(symptom=inline(s.join(titles)))
        if titles
        else (s._("CloudFront error diagnosis"))
    )
    about = s._("Knowledge base {version}.").format(version=code_span(kb.version))
    if generated is not None:
        about = s._("Generated on {date} from knowledge base {version}.").format(
            date=s.date(generated), version=code_span(kb.version)
        )
    blocks = [heading(1, title, "top"), f"*{about}*"]
    blocks += _conclusion(diagnosis, s)
    blocks += _observed(diagnosis, s)
    blocks += _ruled_out(diagnosis, s)
    if diagnosis.question is not None:
        blocks.append(heading(2, s._("Next check"), "next"))
        why = [c for c in diagnosis.question.separates if c in kb.causes]
        extra = []
        if why:
            refs = s.join([_cause_ref(kb, c, s) for c in why])
            extra.append(s._("Why this check: it separates {causes}.").format(causes=refs))
        blocks += check_md(diagnosis.question.check, s, 3, values, extra=extra)
    blocks += _remedies(diagnosis, s, values)
    blocks += [heading(2, s._("Evidence grades"), "grades"), *grades_legend(s)]
    return "\n\n".join(b for b in blocks if b) + "\n"


def diagnosis_html(
    diagnosis: Diagnosis,
    lang: str,
    *,
    generated: dt.date | None = None,
    values: Mapping[str, str] | None = None,
) -> str:
    """The same report as one self-contained HTML file (stylesheet inlined, no scripts)."""
    text = diagnosis_markdown(diagnosis, lang, generated=generated, values=values)
    return render_page(text, lang)


# -- sections -------------------------------------------------------------------------------


def _cause_ref(kb: KnowledgeBase, cause_id: str, s: Strings) -> str:
    cause = kb.causes.get(cause_id)
    title = inline(cause.title.get(s.lang)) if cause is not None else code_span(cause_id)
    return anchor_link(title, cause_anchor(cause_id)) if cause is not None else title


def _listed(diagnosis: Diagnosis) -> list[Finding]:
    """Causes whose full section the report carries (so their links resolve)."""
    if diagnosis.confident is not None:
        return [diagnosis.confident]
    return list(diagnosis.findings[:CANDIDATES])


def _reason_md(kb: KnowledgeBase, reason: Reason, s: Strings) -> str:
    rule = kb.rules.get(reason.rule)
    because = inline(rule.because.get(s.lang)) if rule is not None else code_span(reason.rule)
    effect = s._(EFFECTS.get(reason.effect, reason.effect))
    facts = "; ".join(
        f"{s.label(fact_md(kb, use.fact, s))} {value_md(kb, use.fact, use.value, s)}"
        for use in reason.facts
    )
    return because + s.paren(s.pair(effect, facts) if facts else effect)


def _conclusion(diagnosis: Diagnosis, s: Strings) -> list[str]:
    kb = diagnosis.kb
    blocks = [heading(2, s._("Conclusion"), "conclusion")]
    listed = {f.cause.id for f in _listed(diagnosis)}
    confident = diagnosis.confident
    if confident is not None:
        blocks.append(
            s._("The most likely cause is {cause} (confidence {confidence}).").format(
                cause=_cause_ref(kb, confident.cause.id, s),
                confidence=s.percent(confident.score.posterior),
            )
        )
        blocks.append(inline(confident.cause.summary.get(s.lang)))
        if confident.how:
            blocks.append(s._("Why:"))
            blocks.append("\n".join(f"- {_reason_md(kb, r, s)}" for r in confident.how))
        return blocks
    if not diagnosis.findings:
        blocks.append(s._("No known cause fits these facts."))
        return blocks
    blocks.append(s._("No confident cause yet. The candidates, most likely first:"))
    lines = []
    for finding in diagnosis.findings:
        title = inline(finding.cause.title.get(s.lang))
        if finding.cause.id in listed:
            title = anchor_link(title, cause_anchor(finding.cause.id))
        line = f"- {s.label(title)} {s.percent(finding.score.posterior)}"
        reasons = [_reason_md(kb, r, s) for r in finding.how]
        if reasons:
            line += "\n" + "\n".join(f"  - {r}" for r in reasons)
        lines.append(line)
    blocks.append("\n".join(lines))
    blocks.append(
        s._("None of the known causes: {share}.").format(share=s.percent(diagnosis.unexplained))
    )
    return blocks


def _source_md(diagnosis: Diagnosis, source: str, s: Strings) -> str:
    kind, _, rest = source.partition(":")
    check = diagnosis.kb.checks.get(rest) if kind == "answer" else None
    if check is not None:
        return s._("answer to “{question}”").format(question=inline(check.question.get(s.lang)))
    return code_span(source)


def _observed(diagnosis: Diagnosis, s: Strings) -> list[str]:
    kb = diagnosis.kb
    blocks = [heading(2, s._("What was observed"), "observed")]
    if not diagnosis.inputs:
        blocks.append(s._("No facts were given."))
    lines = []
    for record in diagnosis.inputs:
        value = value_md(kb, record.fact, record.value, s)
        source = _source_md(diagnosis, record.source, s)
        lines.append(f"- **{s.label(fact_md(kb, record.fact, s))}** {value}{s.paren(source)}")
    blocks.append("\n".join(lines))
    derived = diagnosis.evaluation.derived
    if derived:
        blocks.append(heading(3, s._("Derived by the rules")))
        lines = []
        for d in derived:
            rule = kb.rules.get(d.rule)
            because = inline(rule.because.get(s.lang)) if rule else code_span(d.rule)
            value = value_md(kb, d.fact, d.value, s)
            lines.append(f"- **{s.label(fact_md(kb, d.fact, s))}** {value}{s.paren(because)}")
        blocks.append("\n".join(lines))
    return blocks


def _ruled_out(diagnosis: Diagnosis, s: Strings) -> list[str]:
    if not diagnosis.ruled_out:
        return []
    kb = diagnosis.kb
    lines = []
    for finding in diagnosis.ruled_out:
        reasons = [_reason_md(kb, r, s) for r in finding.how if r.effect == "rules_out"]
        title = inline(finding.cause.title.get(s.lang))
        line = f"- **{s.label(title)}** " + " ".join(reasons) if reasons else f"- **{title}**"
        lines.append(line)
    return [heading(2, s._("Ruled out"), "ruled-out"), "\n".join(lines)]


def _remedies(diagnosis: Diagnosis, s: Strings, values: Mapping[str, str] | None) -> list[str]:
    listed = _listed(diagnosis)
    if not listed:
        return []
    if diagnosis.confident is not None:
        blocks = [heading(2, s._("Fixes and dead ends"), "fixes")]
    else:
        blocks = [
            heading(2, s._("If it is one of the leading causes"), "fixes"),
            s._("Confirm the cause with the next check before applying a fix."),
        ]
    for finding in listed:
        blocks += cause_md(finding.cause, s, 3, values)
    return blocks


__all__ = ["diagnosis_html", "diagnosis_markdown"]
