"""The decision flow drawn as an HTML/CSS tree: one box per check, one arrow per answer group.

Generated from the same Flow and labels as the Markdown overview it replaces in HTML pages, so
the picture and the text say the same thing. Every piece of text, including knowledge text, goes
through `html.escape`; links only point at the page's own `#check-`/`#cause-` anchors; nothing is
fetched and nothing runs (no SVG scripts, no external fonts).
"""

from __future__ import annotations

from html import escape

from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.runbook.flow import Flow, Step
from cfdoctor.runbook.labels import Answer, answers, destination
from cfdoctor.runbook.strings import strings


def _answer_html(a: Answer) -> str:
    if not a.label:
        return f"<code>{escape(a.code or '')}</code>"
    return escape(a.label) + (f" <code>{escape(a.code)}</code>" if a.code else "")


def _step_html(flow: Flow, step: Step, kb: KnowledgeBase, lang: str) -> str:
    s = strings(lang)
    kind = "main" if step.main else "branch"
    question = escape(step.check.question.get(lang))
    head = (
        f'<a class="question" href="#check-{escape(step.check.id, quote=True)}">'
        f'<span class="n">{step.number}</span>{question}</a>'
    )
    via = ""
    if step.via is not None:
        origin = flow.step(step.via[0])
        text = s._("reached from check {n}").format(n=origin.number)
        via = f'<span class="via">{escape(text)}</span>'
    leads = []
    for lead in step.leads:
        dest = destination(flow, lead, kb, s)
        label = escape(dest.text)
        if dest.anchor is not None:
            target = (
                f'<a class="to-{dest.kind}" href="#{escape(dest.anchor, quote=True)}">{label}</a>'
            )
        else:
            target = f'<span class="to-end">{label}</span>'
        answer = s.join([_answer_html(a) for a in answers(step, lead, kb, s)], style="or")
        leads.append(
            f'<li><span class="answer">{answer}</span>'
            f'<span class="arrow" aria-hidden="true">→</span>{target}</li>'
        )
    body = f'<ul class="leads">{"".join(leads)}</ul>' if leads else ""
    return f'<li class="step {kind}">{head}{via}{body}</li>'


def flow_html(flow: Flow, kb: KnowledgeBase, lang: str) -> str:
    """The diagram as an HTML fragment (a <figure>), ready to drop into a page."""
    s = strings(lang)
    label = escape(s._("Decision flow"), quote=True)
    if not flow.steps:
        text = s._("No check can change the result: the knowledge base has nothing to ask.")
        return f'<figure class="flow" aria-label="{label}"><p>{escape(text)}</p></figure>'
    intro = s._(
        "Start with check 1 and follow your answer. "
        '"Don\'t know" always continues with the next check in this order.'
    )
    steps = "\n".join(_step_html(flow, step, kb, lang) for step in flow.steps)
    return (
        f'<figure class="flow" aria-label="{label}">\n<p>{escape(intro)}</p>\n'
        f'<ol class="steps">\n{steps}\n</ol>\n</figure>'
    )
