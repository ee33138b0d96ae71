"""The service layer: conversations, evidence as text only, bounds, and the engine's layering."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cfdoctor.api import ingest, new_session, open_reasoner
from cfdoctor.engine.errors import FactError, SessionError
from cfdoctor.evidence import EvidenceError
from cfdoctor.service import DiagnosisService, LimitError, Limits, NotFoundError

FIXTURES = Path(__file__).parents[1] / "evidence" / "fixtures"
CURL_502 = (FIXTURES / "curl-i-cf-could-not-connect.txt").read_text()


@pytest.fixture(scope="module")
def service() -> DiagnosisService:
    return DiagnosisService(open_reasoner())


def test_engine_does_not_import_the_evidence_parsers() -> None:
    code = (
        "import sys, cfdoctor.engine.session, cfdoctor.engine.reasoner\n"
        "print(sorted(m for m in sys.modules if m.startswith('cfdoctor.evidence')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.replace("'", '"')) == []


def test_api_ingest_reads_evidence_into_a_session_all_or_nothing(tmp_path: Path) -> None:
    session = new_session()
    read = ingest(session, FIXTURES / "curl-i-cf-could-not-connect.txt")
    assert read[0].kind == "http-transcript"
    assert session.facts["viewer.status"] == 502
    before = session.inputs
    with pytest.raises(EvidenceError):
        ingest(session, CURL_502, "not evidence at all\n")
    assert session.inputs == before


def test_conversation_starts_answers_and_restores(service: DiagnosisService) -> None:
    conversation, read = service.start({"viewer.status": 502}, [CURL_502], "ja-JP")
    assert conversation.lang == "ja" and read[0].kind == "http-transcript"
    diagnosis = service.diagnosis(conversation)
    assert diagnosis["lang"] == "ja" and diagnosis["causes"]
    question = diagnosis["next_question"]
    assert question is not None and question == service.next_question(conversation)
    service.answer(conversation, question["check"], "unknown")
    restored = service.restore(json.loads(json.dumps(conversation.to_state())))
    assert service.diagnosis(restored) == service.diagnosis(conversation)
    assert question["fact"] in restored.session.settled
    assert "#" in service.report(restored, "md")


def test_bad_facts_leave_the_conversation_as_it_was(service: DiagnosisService) -> None:
    conversation, _ = service.start({"viewer.status": 502})
    before = conversation.session.inputs
    with pytest.raises(FactError):
        service.add_facts(conversation, {"viewer.status": 503, "no.such.fact": 1})
    assert conversation.session.inputs == before


def test_evidence_text_never_opens_a_file_on_this_host(
    service: DiagnosisService, tmp_path: Path
) -> None:
    secret = tmp_path / "curl.txt"
    secret.write_text(CURL_502)
    for text in (str(secret), "-", "/etc/passwd"):
        with pytest.raises(EvidenceError):
            service.parse_evidence([text])


def test_bounds_refuse_oversized_requests() -> None:
    small = DiagnosisService(
        open_reasoner(), Limits(evidence_bytes=2000, evidence_items=2, session_inputs=3)
    )
    with pytest.raises(LimitError, match="evidence larger"):
        small.parse_evidence([CURL_502 * 2])
    with pytest.raises(LimitError, match="more than 2 evidence items"):
        small.parse_evidence(["a\n", "b\n", "c\n"])
    conversation, _ = small.start({"viewer.status": 502})
    with pytest.raises(LimitError, match="at most 3 inputs"):
        small.add_facts(
            conversation, {"viewer.server": "x", "viewer.cf_pop": "y", "viewer.cf_request_id": "z"}
        )
    with pytest.raises(LimitError, match="longer than"):
        small.add_facts(conversation, {"viewer.server": "x" * 5000})
    state = conversation.to_state()
    state["session"]["inputs"] = state["session"]["inputs"] * 5
    with pytest.raises(LimitError):
        small.restore(state)


def test_restore_refuses_what_is_not_a_state(service: DiagnosisService) -> None:
    conversation, _ = service.start({"viewer.status": 502})
    state = conversation.to_state()
    state["session"]["inputs"][0]["value"] = 404
    with pytest.raises(SessionError, match="digest"):
        service.restore(state)
    with pytest.raises(SessionError):
        service.restore({"lang": "en"})
    with pytest.raises(LimitError, match="unsupported language"):
        service.restore({**conversation.to_state(), "lang": "fr"})


def test_explain_and_list_facts(service: DiagnosisService) -> None:
    facts = service.list_facts("zh")
    assert any(f["name"] == "viewer.status" for f in facts)
    cause = next(iter(service.reasoner.kb.causes))
    found = service.explain(cause, "ja")
    assert found[0]["kind"] == "cause" and found[0]["id"] == cause
    with pytest.raises(NotFoundError, match="unknown id"):
        service.explain("no-such-cause")


def test_diagnoses_are_shared_between_sessions_with_the_same_inputs() -> None:
    service = DiagnosisService(open_reasoner(), cache_size=2)
    first, _ = service.start({"viewer.status": 502})
    second, _ = service.start({"viewer.status": 502})
    other, _ = service.start({"viewer.status": 502}, lang="zh")
    assert service.diagnosis(first) is service.diagnosis(second)
    assert service.diagnosis(other)["lang"] == "zh"
    fresh = second.session.diagnosis().to_dict("en")
    assert service.diagnosis(second) == fresh
    service.add_facts(second, {"viewer.server": "CloudFront"})
    assert service.diagnosis(second) != fresh
    assert len(service._diagnoses) == 2  # bounded
