"""`cfdoctor diagnose`: one-shot reports, step mode with a session file, and every bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.clitools import invoke, loads, one_line_error, other_knowledge, run_program

DNS_FAILURE = ["--fact", "viewer.status=502", "--fact", "origin.dns.status=nxdomain"]
DNS_PAGE = [*DNS_FAILURE, "--fact", "viewer.cloudfront_phrase=origin-dns"]


def test_json_report_ranks_dns_failure_first_and_is_confident_with_the_error_page() -> None:
    result = invoke(["diagnose", "--no-ask", "--json", *DNS_PAGE])
    report = loads(result)
    assert report["kb_version"], result.output
    assert report["state"] == "confident", result.output
    assert report["confident_cause"] == "origin-dns-failure", result.output
    top = report["causes"][0]
    assert top["id"] == "origin-dns-failure", result.output
    assert top["fixes"] and top["how"], result.output
    assert {f["source"] for f in report["facts"]} == {"cli"}, result.output


def test_json_report_ranks_causes_best_first() -> None:
    result = invoke(["diagnose", "--no-ask", "--json", *DNS_FAILURE])
    report = loads(result)
    confidences = [c["confidence"] for c in report["causes"]]
    assert report["causes"][0]["id"] == "origin-dns-failure", result.output
    assert confidences == sorted(confidences, reverse=True), result.output
    assert report["state"] in {"confident", "asking", "uncertain"}, result.output


def test_text_report_shows_confidence_reasoning_and_fixes() -> None:
    result = invoke(["diagnose", "--no-ask", *DNS_PAGE])
    assert result.exit_code == 0, result.output
    for heading in ("Diagnosis", "Confidence", "Reasoning", "Fixes", "Sources"):
        assert heading in result.stdout, result.output
    assert "origin-dns-failure" in result.stdout, result.output
    assert "{ORIGIN_DOMAIN}" in result.stdout, result.output  # placeholders shown as-is


def test_report_speaks_the_chosen_language() -> None:
    result = invoke(["--lang", "ja", "diagnose", "--no-ask", *DNS_PAGE])
    assert result.exit_code == 0, result.output
    assert "対処法" in result.stdout and "確信度" in result.stdout, result.output
    report = loads(invoke(["--lang", "zh", "diagnose", "--no-ask", "--json", *DNS_PAGE]))
    assert report["lang"] == "zh"
    assert report["causes"][0]["title"] == "CloudFront 无法解析源域名"


def test_stdin_not_a_terminal_means_no_questions() -> None:
    result = invoke(["diagnose", "--json", "--fact", "viewer.status=502"])
    report = loads(result)
    assert report["state"] == "asking", result.output
    assert report["next_question"]["check"], result.output


# -- step mode ----------------------------------------------------------------------------------
def test_step_mode_creates_then_continues_the_session(tmp_path: Path) -> None:
    state = tmp_path / "conversation.json"
    first = invoke(["diagnose", "--session", str(state), "--json", "--fact", "viewer.status=502"])
    body = loads(first)
    assert body["session"] == str(state), first.output
    assert state.exists(), first.output
    question = body["diagnosis"]["next_question"]
    assert question is not None, first.output

    second = invoke(
        ["diagnose", "--session", str(state), "--json", "--answer", "origin-dns-resolves=nxdomain"]
    )
    facts = {f["fact"]: f for f in loads(second)["diagnosis"]["facts"]}
    assert facts["viewer.status"]["value"] == 502, second.output
    assert facts["origin.dns.status"]["source"] == "answer:origin-dns-resolves", second.output
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert [i["fact"] for i in saved["inputs"]] == ["viewer.status", "origin.dns.status"]


def test_restored_session_gives_the_same_diagnosis_as_one_shot(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    assert (
        invoke(["diagnose", "--session", str(state), "--fact", "viewer.status=502"]).exit_code == 0
    )
    stepped = invoke(
        ["diagnose", "--session", str(state), "--json", "--answer", "origin-dns-resolves=nxdomain"]
    )
    one_shot = invoke(
        [
            "diagnose",
            "--json",
            "--fact",
            "viewer.status=502",
            "--answer",
            "origin-dns-resolves=nxdomain",
        ]
    )
    assert loads(stepped)["diagnosis"] == loads(one_shot), stepped.output + one_shot.output


def test_step_mode_text_names_the_next_check_and_how_to_answer(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    result = invoke(["diagnose", "--session", str(state), "--fact", "viewer.status=502"])
    assert result.exit_code == 0, result.output
    assert f"--session {state} --answer" in result.stdout, result.output
    assert "Session saved" in result.stdout, result.output


# -- bad input ----------------------------------------------------------------------------------
BAD_INPUTS = [
    pytest.param(
        ["--fact", "viewer.stauts=502"], 2, "unknown fact 'viewer.stauts'", id="unknown-fact"
    ),
    pytest.param(["--fact", "viewer.status=abc"], 2, "viewer.status", id="wrong-type"),
    pytest.param(["--fact", "viewer.status"], 2, "expected name=value", id="fact-syntax"),
    pytest.param(["--fact", "=502"], 2, "expected name=value", id="fact-without-name"),
    pytest.param(
        ["--answer", "no-such-check=yes"], 2, "unknown check 'no-such-check'", id="unknown-check"
    ),
    pytest.param(
        ["--answer", "origin-dns-resolves"], 2, "expected check=value", id="answer-syntax"
    ),
    pytest.param(
        ["--answer", "origin-dns-resolves=maybe"], 2, "origin.dns.status", id="bad-answer"
    ),
]


@pytest.mark.parametrize(("args", "code", "says"), BAD_INPUTS)
def test_bad_input_is_one_line_and_leaves_the_session_untouched(
    tmp_path: Path, args: list[str], code: int, says: str
) -> None:
    state = tmp_path / "s.json"
    assert (
        invoke(["diagnose", "--session", str(state), "--fact", "viewer.status=502"]).exit_code == 0
    )
    before = state.read_bytes()
    result = invoke(
        ["diagnose", "--session", str(state), "--fact", "origin.dns.status=resolves", *args]
    )
    assert result.exit_code == code, result.output
    assert says in one_line_error(result.stderr), result.output
    assert state.read_bytes() == before, "the session file changed"
    assert not list(tmp_path.glob(".s.json.*")), "a temporary file was left behind"


def test_bad_fact_syntax_message_is_exact() -> None:
    result = invoke(["diagnose", "--fact", "viewer.status"])
    assert result.exit_code == 2, result.output
    assert result.stderr == "cfdoctor: error: bad --fact 'viewer.status': expected name=value\n"
    assert result.stdout == "", result.output


def test_unknown_fact_suggests_similar_names() -> None:
    result = invoke(["diagnose", "--fact", "viewer.stauts=502"])
    assert result.exit_code == 2, result.output
    assert "viewer.status" in one_line_error(result.stderr), result.output


def _damage(state: Path, how: str, tmp_path: Path) -> list[str]:
    """Make the session file unusable in one way; returns extra global options."""
    if how == "not-utf8":
        state.write_bytes(b"\xff\xfe\x00garbage")
    elif how == "not-json":
        state.write_text("{ not json", encoding="utf-8")
    elif how == "tampered":
        data = json.loads(state.read_text(encoding="utf-8"))
        data["inputs"][0]["value"] = 403  # the digest still describes 502
        state.write_text(json.dumps(data), encoding="utf-8")
    elif how == "other-knowledge":
        return ["--kb", str(other_knowledge(tmp_path))]
    return []


ROOT_READS_ANYTHING = pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read a file without permissions"
)


@pytest.mark.parametrize(
    "how",
    [
        "not-utf8",
        "not-json",
        "tampered",
        "other-knowledge",
        pytest.param("no-permission", marks=ROOT_READS_ANYTHING),
    ],
)
def test_unusable_session_file_exits_4_and_stays_unchanged(tmp_path: Path, how: str) -> None:
    state = tmp_path / "s.json"
    assert (
        invoke(["diagnose", "--session", str(state), "--fact", "viewer.status=502"]).exit_code == 0
    )
    options = _damage(state, how, tmp_path)
    before = state.read_bytes()
    if how == "no-permission":
        state.chmod(0)
    result = invoke(
        [*options, "diagnose", "--session", str(state), "--answer", "viewer-status=502"]
    )
    state.chmod(0o600)
    assert result.exit_code == 4, result.output
    assert str(state) in one_line_error(result.stderr), result.output
    assert state.read_bytes() == before, "the session file changed"


def test_session_path_that_is_a_directory_exits_4(tmp_path: Path) -> None:
    result = invoke(["diagnose", "--session", str(tmp_path)])
    assert result.exit_code == 4, result.output
    one_line_error(result.stderr)


def test_session_in_a_missing_directory_exits_4(tmp_path: Path) -> None:
    result = invoke(["diagnose", "--session", str(tmp_path / "nowhere" / "s.json")])
    assert result.exit_code == 4, result.output
    assert "cannot write session file" in one_line_error(result.stderr), result.output


def test_malformed_knowledge_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "kb" / "checks"
    broken.mkdir(parents=True)
    (broken / "broken.yaml").write_text(
        "fact: viewer.status\nquestion: [unclosed\n", encoding="utf-8"
    )
    result = invoke(
        ["--kb", str(tmp_path / "kb"), "diagnose", "--no-ask", "--fact", "viewer.status=502"]
    )
    assert result.exit_code == 3, result.output
    assert f"{broken / 'broken.yaml'}:" in one_line_error(result.stderr), result.output


def test_unsupported_language_is_bad_usage() -> None:
    result = invoke(["--lang", "fr", "diagnose", "--no-ask"])
    assert result.exit_code == 2, result.output
    assert "unsupported language 'fr'" in one_line_error(result.stderr), result.output
    result = invoke(["diagnose", "--no-ask"], env={"CFDOCTOR_LANG": "xx"})
    assert result.exit_code == 2, result.output
    assert "CFDOCTOR_LANG" in one_line_error(result.stderr), result.output


def test_internal_error_exits_70_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from cfdoctor.cli import views

    def broken(*_: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(views, "stats", broken)
    result = invoke(["kb", "stats"])
    assert result.exit_code == 70, result.output
    assert "simulated bug" in one_line_error(result.stderr), result.output


def test_verbose_logs_rule_firings_on_stderr() -> None:
    # A fresh process: in this one the reasoner may have cached the evaluation already.
    result = run_program(["--verbose", "diagnose", "--no-ask", "--json", *DNS_PAGE])
    assert result.returncode == 0, result.stderr
    assert "cfdoctor.engine: fired" in result.stderr, result.stderr
