"""The command line under hostile and careless input (issue 13: items 8, 9, 14, 15, 17, 18, 19).

Real processes where the behaviour is about processes (closed descriptors, concurrent runs, a
terminal's escape sequences), the app in-process elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cfdoctor.cli import sessionfile
from cfdoctor.cli.console import printable
from cfdoctor.engine.errors import SessionError
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from tests.cli.clitools import CONSOLE_SCRIPT, invoke, one_line_error, program_env, run_program

ESC = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"


def shell(script: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`script` in bash, with `cfdoctor` the installed console script."""
    return subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=program_env(CFDOCTOR=str(CONSOLE_SCRIPT), **env),
    )


# -- item 8: control characters never reach the terminal raw ----------------------------------


def test_printable_escapes_every_control_character() -> None:
    assert printable("a\x1b[2Jb\x07\tc\nd\x9b\u202e") == "a\\x1b[2Jb\\x07\tc\nd\\x9b\\u202e"
    assert printable("日本語 and ‘quotes’") == "日本語 and ‘quotes’"


def test_escape_sequences_in_evidence_are_shown_not_obeyed(tmp_path: Path) -> None:
    transcript = tmp_path / "curl.txt"
    transcript.write_text(
        f"HTTP/1.1 502 Bad Gateway\r\nServer: CloudFront{ESC}\r\n"
        "X-Cache: Error from cloudfront\r\nVia: 1.1 abc.cloudfront.net (CloudFront)\r\n\r\n",
        encoding="utf-8",
    )
    for args in (["--evidence", str(transcript)], ["--json", "--evidence", str(transcript)]):
        done = run_program(["diagnose", "--no-ask", *args])
        assert done.returncode == 0, done.stderr
        for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert raw not in done.stdout and raw not in done.stderr, (args, done.stdout)
    body = json.loads(
        run_program(["diagnose", "--no-ask", "--json", "--evidence", str(transcript)]).stdout
    )
    assert "pwned" in json.dumps(body)


def test_escape_sequences_in_a_session_source_are_shown_not_obeyed(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    assert (
        invoke(["diagnose", "--session", str(state), "--fact", "viewer.status=502"]).exit_code == 0
    )
    body = json.loads(state.read_text(encoding="utf-8"))
    body["inputs"][0]["source"] = "cli" + ESC
    body.pop("digest")
    from cfdoctor.engine.session import _digest

    body["digest"] = _digest(body)
    state.write_text(json.dumps(body), encoding="utf-8")
    done = run_program(["diagnose", "--no-ask", "--session", str(state)])
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\\x1b]0;pwned" in done.stdout, done.stdout


def test_escape_sequences_in_an_error_message_are_shown_not_obeyed() -> None:
    done = run_program(["diagnose", "--no-ask", "--fact", f"viewer.status=5{ESC}"])
    assert done.returncode == 2
    line = one_line_error(done.stderr)
    assert "\x1b" not in line and "\\x1b" in line, line


# -- item 9: two steps at once on one session file ----------------------------------------------


def test_a_save_over_a_newer_state_is_refused(tmp_path: Path) -> None:
    reasoner = Reasoner(load_knowledge())
    state = tmp_path / "s.json"
    first = sessionfile.load(reasoner, state)
    second = sessionfile.load(reasoner, state)
    first.observe("viewer.status", 502)
    sessionfile.save(first, state)
    second.observe("viewer.server", "CloudFront")
    with pytest.raises(SessionError, match="changed by another run"):
        sessionfile.save(second, state)
    assert "viewer.status" in state.read_text(encoding="utf-8")


def test_concurrent_steps_never_lose_one_silently(tmp_path: Path) -> None:
    lost = []
    for n in range(6):
        state = tmp_path / f"s{n}.json"
        done = shell(
            f'"$CFDOCTOR" diagnose --no-ask --session {state} --fact viewer.status=502 & a=$!\n'
            f'"$CFDOCTOR" diagnose --no-ask --session {state} --fact viewer.server=x & b=$!\n'
            'wait $a; echo "a=$?"; wait $b; echo "b=$?"'
        )
        codes = dict(line.split("=") for line in done.stdout.split() if line[:2] in ("a=", "b="))
        assert set(codes.values()) <= {"0", "4"}, done
        facts = {i["fact"] for i in json.loads(state.read_text(encoding="utf-8"))["inputs"]}
        if codes == {"a": "0", "b": "0"} and facts != {"viewer.status", "viewer.server"}:
            lost.append((n, facts))
        if "4" in codes.values():
            assert "changed by another run" in done.stderr, done.stderr
    assert not lost


# -- item 14: stdin closed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        "diagnose --no-ask --evidence -",
        "inspect -",
        "diagnose --fact viewer.status=502",
    ],
)
def test_a_closed_stdin_is_never_an_internal_error(args: str) -> None:
    done = shell(f'"$CFDOCTOR" {args} <&-')
    assert done.returncode not in (1, 70) or "internal error" not in done.stderr, done
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr


# -- item 15 and 17: session files that are not plain files --------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_session_that_is_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "s.fifo"
    os.mkfifo(fifo)
    done = run_program(
        ["diagnose", "--no-ask", "--session", str(fifo), "--fact", "viewer.status=502"]
    )
    assert done.returncode == 4, done.stderr
    assert "not a regular file" in one_line_error(done.stderr)


def test_a_session_on_dev_stdout_is_refused(tmp_path: Path) -> None:
    done = shell(
        '"$CFDOCTOR" diagnose --no-ask --session /dev/stdout --fact viewer.status=502 | cat'
    )
    assert done.returncode == 0  # the pipeline's status is cat's
    assert "not a regular file" in done.stderr, done


def test_a_symlinked_session_stays_a_link_and_its_target_gets_the_state(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert (
        invoke(["diagnose", "--session", str(link), "--fact", "viewer.status=502"]).exit_code == 0
    )
    assert invoke(["diagnose", "--session", str(link), "--fact", "viewer.server=x"]).exit_code == 0
    assert link.is_symlink()
    facts = {i["fact"] for i in json.loads(target.read_text(encoding="utf-8"))["inputs"]}
    assert facts == {"viewer.status", "viewer.server"}


def test_report_out_may_not_overwrite_the_session_or_evidence(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    assert (
        invoke(["diagnose", "--session", str(state), "--fact", "viewer.status=502"]).exit_code == 0
    )
    before = state.read_bytes()
    result = invoke(
        ["diagnose", "--session", str(state), "--report", "md", "--report-out", str(state)]
    )
    assert result.exit_code == 2, result.output
    assert state.read_bytes() == before
    evidence = tmp_path / "curl.txt"
    evidence.write_text("HTTP/1.1 502 Bad Gateway\r\nServer: CloudFront\r\n\r\n", encoding="utf-8")
    text = evidence.read_bytes()
    (tmp_path / "alias.txt").symlink_to(evidence)
    result = invoke(
        [
            "diagnose", "--no-ask", "--evidence", str(evidence), "--report", "md",
            "--report-out", str(tmp_path / "alias.txt"),
        ]
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert evidence.read_bytes() == text


# -- item 18: what the digest is for ------------------------------------------------------------


def test_the_session_digest_is_documented_as_damage_detection_only() -> None:
    assert "detects damage" in (sessionfile.__doc__ or "")
    assert "not forgery" in (sessionfile.__doc__ or "")


# -- item 19: stdout closed -------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", ["facts", "diagnose --no-ask --fact viewer.status=502", "kb stats --json"]
)
def test_a_closed_stdout_exits_1(args: str) -> None:
    done = shell(f'"$CFDOCTOR" {args} >&-')
    assert done.returncode == 1, done
    assert "standard output is closed" in one_line_error(done.stderr)
