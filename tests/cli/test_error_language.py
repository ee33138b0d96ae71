"""Errors from the engine and the evidence reader reach ja and zh users in their language.

Each case is a real run of the program with a mistake a user makes; the one error line must hold
no English word beyond what the user typed, file names, and the names of tools and formats.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.cli.clitools import one_line_error, run_program

# Names that stay as they are in every language: tools, formats, the command, JSON keys.
NAMES = {
    "cfdoctor", "facts", "curl", "HTTPie", "openssl", "s_client", "nslookup", "aws",
    "cloudfront", "get-distribution-config", "JSON", "CloudFront", "format", "cfdoctor-session",
    "inputs", "stats", "yes", "HAR", "dig",
    # what the evidence scan looks for, named as it appears in responses and logs
    "HTTP", "NNN", "ERROR", "Server", "X-Cache", "Via", "X-Amz-Cf-", "x-amzn-", "Code", "API",
    "Gateway", "Lambda", "Edge", "Functions", "URL", "OriginDnsError", "x-edge",
}  # fmt: skip
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def english_words(line: str, typed: list[str]) -> list[str]:
    text = line.removeprefix("cfdoctor: ")
    for value in sorted(typed, key=len, reverse=True):  # whole words only: not inside a fact name
        text = re.sub(rf"(?<![\w.]){re.escape(value)}(?![\w.])", " ", text)
    text = re.sub(r"[a-z0-9_]+(\.[a-z0-9_]+)+", " ", text)  # fact names (suggestions too)
    words = re.findall(r"[A-Za-z][A-Za-z_-]{2,}", text)
    return [w for w in words if w not in NAMES]


def cases(tmp: Path) -> list[tuple[list[str], int, list[str]]]:
    """(arguments, exit code, what the user typed or named) per mistake."""
    edited = tmp / "edited.json"
    made = run_program(["diagnose", "--session", str(edited), "--fact", "viewer.status=502"])
    assert made.returncode == 0, made.stderr
    state = json.loads(edited.read_text())
    state["inputs"][0]["value"] = 503
    edited.write_text(json.dumps(state))
    broken = tmp / "broken.json"
    broken.write_text("{")
    notes = tmp / "notes.txt"
    notes.write_text("my notes about the outage\n")
    one_shot = ["diagnose", "--no-ask"]
    return [
        ([*one_shot, "--fact", "viewr.status=502"], 2, ["viewr.status", "viewer.status"]),
        ([*one_shot, "--fact", "viewer.status=abc"], 2, ["viewer.status", "abc"]),
        ([*one_shot, "--answer", "no-such-check=yes"], 2, ["no-such-check"]),
        ([*one_shot, "--session", str(edited)], 4, [str(edited)]),
        ([*one_shot, "--session", str(broken)], 4, [str(broken)]),
        ([*one_shot, "--evidence", str(notes)], 2, [str(notes)]),
        ([*one_shot, "--evidence", "curl-out.txt"], 2, ["curl-out.txt"]),
    ]


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_errors_speak_the_users_language(tmp_path: Path, lang: str) -> None:
    for args, code, typed in cases(tmp_path):
        result = run_program([*args, "--lang", lang])
        assert result.returncode == code, (args, result.stderr)
        line = one_line_error(result.stderr)
        assert CJK.search(line), line
        assert english_words(line, typed) == [], line


def test_english_stays_english(tmp_path: Path) -> None:
    result = run_program(["diagnose", "--no-ask", "--fact", "viewr.status=502"])
    line = one_line_error(result.stderr)
    assert line.startswith("cfdoctor: error: unknown fact 'viewr.status'; did you mean: "), line
