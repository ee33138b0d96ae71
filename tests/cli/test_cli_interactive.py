"""The interview in a real terminal (a pseudo-terminal driven by pexpect), in every language.

These runs prove gettext works end to end: the headings come from the compiled catalogs.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pexpect
import pytest
from babel.messages.pofile import read_po

from cfdoctor import i18n
from tests.cli.clitools import CONSOLE_SCRIPT, program_env

LOCALES = Path(__file__).resolve().parents[2] / "cfdoctor" / "locales"
CHECK = re.compile(r"· ([a-z0-9-]+) ·")
ANSWERS = {"viewer-cloudfront-phrase": "origin-dns", "origin-dns-resolves": "nxdomain"}
"""How this test answers the checks it knows; every other question gets "unknown"."""


def translated(lang: str, message: str) -> str:
    """The catalog's translation, read from the .po (not through the code under test)."""
    if lang == "en":
        return message
    with (LOCALES / i18n.CATALOG_OF[lang] / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    text = catalog[message].string
    assert isinstance(text, str) and text, message
    return text


def skip_intake(child: pexpect.spawn, lang: str = "en") -> None:
    """Press Enter at the two optional intake prompts (the failing URL, the origin domain)."""
    for _ in range(2):
        child.expect_exact(translated(lang, "(Enter to skip)") + "> ")
        child.sendline("")


def spawn(args: list[str], **env: str) -> tuple[pexpect.spawn, io.StringIO]:
    transcript = io.StringIO()
    child = pexpect.spawn(
        str(CONSOLE_SCRIPT),
        args,
        env=program_env(**env),
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 250),
    )
    child.logfile_read = transcript
    return child, transcript


@pytest.mark.parametrize(
    ("lang", "env"),
    [
        ("en", {"LANG": "en_US.UTF-8"}),
        ("ja", {"LANG": "ja_JP.UTF-8"}),
        ("zh", {"CFDOCTOR_LANG": "zh", "LANG": "en_US.UTF-8"}),
    ],
)
def test_interview_in_every_language(lang: str, env: dict[str, str]) -> None:
    prompt = translated(lang, "Your answer") + "> "
    child, transcript = spawn(["diagnose", "--fact", "viewer.status=502"], **env)

    skip_intake(child, lang)
    child.expect_exact(prompt)
    child.sendline(translated(lang, "why"))
    child.expect_exact(translated(lang, "Why this question?"))
    child.expect_exact(prompt)
    child.sendline("how")
    child.expect_exact(translated(lang, "How the ranking was reached"))
    child.expect_exact(prompt)
    child.sendline("certainly-not-an-answer")
    child.expect_exact(
        translated(lang, "That answer does not fit: {reason}. Please answer again.")[:6]
    )
    child.expect_exact(prompt)
    child.sendline(translated(lang, "unknown"))  # the first question stays unanswered

    for _ in range(30):
        if child.expect_exact([prompt, pexpect.EOF]) == 1:
            break
        asked = CHECK.findall(child.before or "")
        child.sendline(ANSWERS.get(asked[-1], "unknown") if asked else "unknown")
    else:
        child.sendline(translated(lang, "quit"))
        child.expect(pexpect.EOF)
    child.close()
    output = transcript.getvalue()
    assert child.exitstatus == 0, output
    assert "Traceback" not in output, output
    report = output.split(translated(lang, "Diagnosis"))[-1]
    assert translated(lang, "Fixes") in report, output
    assert translated(lang, "Confidence {percent}").split("{")[0].strip() in report, output


def test_ctrl_c_exits_130_and_keeps_the_answers_saved(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    prompt = "Your answer> "
    child, transcript = spawn(
        ["diagnose", "--session", str(state), "--fact", "viewer.status=502"], LANG="C.UTF-8"
    )
    skip_intake(child)
    child.expect_exact(prompt)
    first = CHECK.findall(child.before or "")[-1]
    child.sendline("unknown")
    child.expect_exact(prompt)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    output = transcript.getvalue()
    assert child.exitstatus == 130, output
    assert "Traceback" not in output and "interrupted" in output, output
    saved = json.loads(state.read_text(encoding="utf-8"))
    sources = {i["fact"]: i["source"] for i in saved["inputs"]}
    assert sources["viewer.status"] == "cli", saved
    assert f"answer:{first}" in sources.values(), saved


def test_end_of_input_ends_the_interview_with_a_report() -> None:
    child, transcript = spawn(["diagnose", "--fact", "viewer.status=502"], LANG="C.UTF-8")
    skip_intake(child)
    child.expect_exact("Your answer> ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, transcript.getvalue()
    assert "Fixes" in transcript.getvalue().split("Diagnosis")[-1], transcript.getvalue()


def test_no_leader_is_shown_before_the_symptom_is_known() -> None:
    """Before the status is answered, causes of every family compete on priors: no "leader"."""
    child, transcript = spawn(["diagnose"], LANG="C.UTF-8")
    skip_intake(child)
    child.expect_exact("Your answer> ")
    before_status = child.before or ""
    assert "Leading so far" not in before_status, before_status
    assert CHECK.findall(before_status)[-1] == "viewer-status", before_status
    child.sendline("502")
    child.expect_exact("Your answer> ")
    assert "Leading so far" in (child.before or ""), transcript.getvalue()
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, transcript.getvalue()
