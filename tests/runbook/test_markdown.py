"""Runbook Markdown, read back as markdown-it-py tokens, in every language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cfdoctor.engine.errors import KnowledgeError
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Cause
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.runbook.build import build_index, build_runbook
from cfdoctor.runbook.flow import Flow, Lead, derive_flow
from cfdoctor.runbook.labels import int_ranges
from cfdoctor.runbook.shell import render_command, shell_of
from cfdoctor.runbook.strings import LANGS, strings
from tests.runbook.mdcheck import (
    english_runs,
    fences,
    headings,
    knowledge_texts,
    links,
    list_items,
    section,
    tokens,
)
from tests.runbook.minikb import mini_units, t
from tests.toykb import write_kb

DAY = dt.date(2025, 11, 21)


@pytest.fixture(scope="module")
def flow502(mini: Reasoner) -> Flow:
    return derive_flow(mini, "s-502")


@pytest.mark.parametrize("lang", LANGS)
def test_sections_and_anchors(mini: Reasoner, flow502: Flow, lang: str) -> None:
    s = strings(lang)
    toks = tokens(build_runbook(flow502, mini.kb, lang, generated=DAY))
    heads = headings(toks)
    assert [(h.level, h.id) for h in heads if h.level == 1] == [(1, "top")]
    assert heads[0].text == flow502.symptom.title.get(lang)
    assert [h.id for h in heads if h.level == 2] == ["start", "flow", "checks", "causes", "grades"]
    assert [h.text for h in heads if h.level == 2] == [
        s._(t) for t in ("Before you start", "Decision flow", "Checks", "Causes", "Evidence grades")
    ]
    third = [h.id for h in heads if h.level == 3]
    assert third == [f"check-{st.check.id}" for st in flow502.steps] + [
        f"cause-{c}" for c in flow502.causes
    ]
    ids = {h.id for h in heads if h.id}
    internal = [href for href in links(toks) if href.startswith("#")]
    assert internal and {href[1:] for href in internal} <= ids
    assert not any("{#" in h.text for h in heads)


@pytest.mark.parametrize("lang", LANGS)
def test_each_check_has_its_commands_how_to_read_and_answers(
    mini: Reasoner, flow502: Flow, lang: str
) -> None:
    s = strings(lang)
    toks = tokens(build_runbook(flow502, mini.kb, lang))
    heads = {h.id: h for h in headings(toks)}
    for step in flow502.steps:
        head = heads[f"check-{step.check.id}"]
        assert head.text == f"{step.number}. {step.check.question.get(lang)}"
        body = section(toks, head)
        expected = [
            (shell_of(c.platform), render_command(c.run, c.platform)) for c in step.check.commands
        ]
        assert [(("sh" if i == "sh" else "powershell"), c) for i, c in fences(body)] == expected
        text = " ".join(t.content for t in body if t.type == "inline")
        assert step.check.how_to_read.get(lang).replace("`", "") in text.replace("`", "")
        answers_head = next(h for h in headings(toks) if h.index > head.index and h.level == 4)
        assert answers_head.text == s._("Where each answer leads")
        (leads,) = list_items(section(toks, answers_head), "bullet_list")
        assert len(leads) == len(step.leads)
        assert leads[-1].startswith(s._("Don't know / cannot check"))


@pytest.mark.parametrize("lang", LANGS)
def test_each_cause_has_fixes_as_ordered_steps_dead_ends_and_sources(
    mini: Reasoner, flow502: Flow, lang: str
) -> None:
    s = strings(lang)
    toks = tokens(build_runbook(flow502, mini.kb, lang))
    heads = headings(toks)
    for cause_id in flow502.causes:
        cause: Cause = mini.kb.causes[cause_id]
        (head,) = [h for h in heads if h.id == f"cause-{cause_id}"]
        assert head.text == cause.title.get(lang)
        body = section(toks, head)
        subs = [h.text for h in headings(body) if h.level == 4]
        assert subs == [s._("Fixes"), s._("Dead ends"), s._("Sources")]
        inline = " ".join(t.content for t in body if t.type == "inline")
        assert cause.summary.get(lang) in inline
        assert f"{s._('Evidence grade')}" in inline and f" {cause.grade} " in inline
        assert s.percent(cause.fixes[0].success_rate) in inline
        (fixes,) = list_items(body, "ordered_list")
        assert len(fixes) == len(cause.fixes)
        steps = [
            t.content
            for t in body
            if t.type == "inline" and any(st.get(lang) == t.content for st in cause.fixes[0].steps)
        ]
        assert steps == [st.get(lang) for st in cause.fixes[0].steps]
        assert [c for _, c in fences(body)] == [render_command(c) for c in cause.fixes[0].commands]
        hrefs = links(body)
        assert [src.url for src in cause.sources] == [h for h in hrefs if h.startswith("https")]


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_dates_and_plurals_follow_the_language(
    mini: Reasoner, flow502: Flow, lang: str
) -> None:
    s = strings(lang)
    text = build_runbook(flow502, mini.kb, lang, generated=DAY)
    assert s.date(DAY) in text
    assert {"en": "November 21, 2025", "ja": "2025年11月21日", "zh": "2025年11月21日"}[lang] in text
    assert s.percent(0.85) in text
    index = build_index([flow502], mini.kb, lang, generated=DAY)
    counts = {"en": "5 checks", "ja": "チェック 5 件", "zh": "5 项检查"}[lang]
    assert counts in index


def test_number_answers_are_ranges(mini: Reasoner, flow502: Flow) -> None:
    toks = tokens(build_runbook(flow502, mini.kb, "en"))
    head = next(h for h in headings(toks) if h.id == "check-c-verify")
    answers_head = next(h for h in headings(toks) if h.index > head.index and h.level == 4)
    (leads,) = list_items(section(toks, answers_head), "bullet_list")
    labels = [lead.split(":")[0] for lead in leads]
    assert labels == ["≤ -1, 1–61, or ≥ 63", "0", "62", "Don't know / cannot check"]


def test_values_are_quoted_into_commands(mini: Reasoner, flow502: Flow) -> None:
    text = build_runbook(flow502, mini.kb, "en", values={"ORIGIN_DOMAIN": "o.example; rm -rf /"})
    assert "dig 'o.example; rm -rf /'" in text
    assert "ORIGIN_DOMAIN=" not in text  # given values need no variable
    assert "SERVER_NAME=''" in text


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_no_english_left_in_translated_runbooks(mini: Reasoner, lang: str) -> None:
    for sid in mini.kb.symptoms:
        flow = derive_flow(mini, sid)
        assert english_runs(build_runbook(flow, mini.kb, lang, generated=DAY)) == []
    assert english_runs(build_index([flow], mini.kb, lang)) == []


def test_the_english_detector_detects_english(mini: Reasoner, flow502: Flow) -> None:
    assert english_runs(build_runbook(flow502, mini.kb, "en"))
    assert english_runs("これは Where each answer leads です。") == ["Where each answer leads"]
    assert english_runs("`code spans are fine here` と [a link](https://e.com/a/b/c/d)") == []


@pytest.fixture(scope="module")
def bundled() -> Reasoner:
    try:
        return Reasoner(load_knowledge())
    except KnowledgeError as exc:
        pytest.skip(f"the bundled knowledge base does not load (see `cfdoctor kb validate`): {exc}")


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_no_english_added_to_the_bundled_knowledge(bundled: Reasoner, lang: str) -> None:
    """Whatever the knowledge base holds today, the runbook adds no English of its own: any run
    left is quoted from the knowledge's own translated text (which its reviewers own)."""
    own = {run for text in knowledge_texts(bundled.kb, lang) for run in english_runs(text)}
    for sid in sorted(bundled.kb.symptoms):
        text = build_runbook(derive_flow(bundled, sid), bundled.kb, lang)
        assert set(english_runs(text)) <= own, sid


@pytest.mark.parametrize("lang", LANGS)
def test_a_symptom_without_causes_still_gets_a_runbook(lang: str, tmp_path: Path) -> None:
    units = mini_units()
    units["symptoms/s-503.yaml"] = {
        "title": t("503 Service Unavailable", "503 Service Unavailable", "503 Service Unavailable"),
        "description": t("Not covered yet.", "まだ扱っていません。", "尚未涵盖。"),
        "when": {"all": [{"fact": "m.status", "eq": 503}]},
    }
    reasoner = Reasoner(load_knowledge([write_kb(tmp_path, units)], include_bundled=False))
    s = strings(lang)
    text = build_runbook(derive_flow(reasoner, "s-503"), reasoner.kb, lang)
    assert [h.id for h in headings(tokens(text)) if h.level == 2] == [
        "start",
        "flow",
        "causes",
        "grades",
    ]
    assert s._("The knowledge base has no causes for this symptom yet.") in text
    assert (
        text.count(s._("No check can change the result: the knowledge base has nothing to ask."))
        == 1
    )


def test_number_answers_without_constants_are_any_value() -> None:
    lead = Lead((), True, False, None, 0.0, (), (), (), None, "undecided")
    assert int_ranges((1000,), lead, strings("en")) == ["any value"]
    some = Lead((0,), False, False, None, 0.0, (), (), (), None, "undecided")
    rest = Lead((-1, 1), True, False, None, 0.0, (), (), (), None, "undecided")
    assert int_ranges((-1, 0, 1, 1000), some, strings("ja")) == ["0"]
    assert int_ranges((-1, 0, 1, 1000), rest, strings("ja")) == ["≤ -1", "≥ 1"]
