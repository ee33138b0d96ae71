"""A single diagnosis as a report: observed facts, what was ruled out, conclusion, remedies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.runbook.report import diagnosis_html, diagnosis_markdown
from cfdoctor.runbook.shell import render_command
from cfdoctor.runbook.strings import LANGS, strings
from tests.runbook.mdcheck import english_runs, fences, headings, links, section, tokens
from tests.runbook.sitecheck import Page
from tests.toykb import toy_units, write_kb

DAY = dt.date(2025, 11, 21)


def session(mini: Reasoner, *answers: tuple[str, str]) -> Session:
    s = Session(mini)
    s.observe("m.status", 502, "cli")
    for check, answer in answers:
        s.answer(check, answer)
    return s


def _ids(text: str) -> list[str]:
    return [h.id for h in headings(tokens(text)) if h.id and h.level <= 2]


@pytest.mark.parametrize("lang", LANGS)
def test_confident_diagnosis(mini: Reasoner, lang: str) -> None:
    s = strings(lang)
    diagnosis = session(mini, ("c-page", "connect"), ("c-firewall", "no")).diagnosis()
    assert diagnosis.state == "confident"
    text = diagnosis_markdown(diagnosis, lang, generated=DAY)
    toks = tokens(text)
    assert _ids(text) == ["top", "conclusion", "observed", "ruled-out", "fixes", "grades"]
    cause = mini.kb.causes["port-blocked"]
    head = next(h for h in headings(toks) if h.id == "conclusion")
    body = " ".join(t.content for t in section(toks, head) if t.type == "inline")
    assert cause.title.get(lang) in body
    assert s.percent(diagnosis.findings[0].score.posterior) in body
    assert mini.kb.rules["firewall-blocks"].because.get(lang) in body  # why: the rules
    observed = next(h for h in headings(toks) if h.id == "observed")
    body = " ".join(t.content for t in section(toks, observed) if t.type == "inline")
    question = mini.kb.checks["c-firewall"].question.get(lang)
    assert s._("answer to “{question}”").format(question=question) in body
    assert mini.kb.facts["m.firewall_allows"].label.get(lang) in body and s._("No") in body
    ruled = next(h for h in headings(toks) if h.id == "ruled-out")
    body = " ".join(t.content for t in section(toks, ruled) if t.type == "inline")
    assert mini.kb.causes["dns-failure"].title.get(lang) in body
    assert mini.kb.rules["page-connect"].because.get(lang) in body
    assert "cause-port-blocked" in {h.id for h in headings(toks)}
    assert {href[1:] for href in links(toks) if href.startswith("#")} <= {
        h.id for h in headings(toks)
    }
    if lang != "en":
        assert english_runs(text) == []


@pytest.mark.parametrize("lang", LANGS)
def test_diagnosis_still_asking(mini: Reasoner, lang: str) -> None:
    s = strings(lang)
    diagnosis = session(mini).diagnosis()
    assert diagnosis.state == "asking" and diagnosis.question is not None
    text = diagnosis_markdown(diagnosis, lang)
    toks = tokens(text)
    assert _ids(text) == ["top", "conclusion", "observed", "next", "fixes", "grades"]
    assert s._("No confident cause yet. The candidates, most likely first:") in text
    check = diagnosis.question.check
    head = next(h for h in headings(toks) if h.id == f"check-{check.id}")
    assert [c for _, c in fences(section(toks, head))] == [
        render_command(c.run, c.platform) for c in check.commands
    ]
    listed = {h.id for h in headings(toks) if h.id and h.id.startswith("cause-")}
    assert listed == {f"cause-{f.cause.id}" for f in diagnosis.findings[:3]}
    assert {href[1:] for href in links(toks) if href.startswith("#")} <= {
        h.id for h in headings(toks)
    }
    if lang != "en":
        assert english_runs(text) == []


def test_no_known_cause(mini: Reasoner) -> None:
    s = Session(mini)
    s.observe("m.status", 504, "cli")
    s.answer("c-port", "no")
    diagnosis = s.diagnosis()
    assert diagnosis.state == "no-known-cause"
    text = diagnosis_markdown(diagnosis, "zh")
    assert strings("zh")._("No known cause fits these facts.") in text
    assert _ids(text) == ["top", "conclusion", "observed", "ruled-out", "grades"]
    assert mini.kb.rules["port-closed"].because.get("zh") in text


def test_derived_facts_are_shown_with_their_rule(tmp_path: Path) -> None:
    reasoner = Reasoner(load_knowledge([write_kb(tmp_path, toy_units())], include_bundled=False))
    s = Session(reasoner)
    s.observe_many([("t.status", 500), ("t.dns_ok", False)], "cli")
    text = diagnosis_markdown(s.diagnosis(), "en")
    assert "### Derived by the rules" in text
    assert "- **broken name:** Yes (dns bad)" in text


def test_html_report_is_one_self_contained_file(mini: Reasoner) -> None:
    html = diagnosis_html(session(mini, ("c-page", "dns")).diagnosis(), "ja", generated=DAY)
    page = Page()
    page.feed(html)
    assert page.lang == "ja" and page.meta["viewport"].startswith("width=device-width")
    assert [url for tag, url in page.refs if tag != "a"] == []  # nothing to load: CSS inline
    assert "<style>" in html and "<script" not in html
    assert "style-src 'unsafe-inline'" in html and "default-src 'none'" in html
    assert 'id="cause-dns-failure"' in html
