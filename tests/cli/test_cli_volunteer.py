"""What a person knows, said their way: the URL once, facts at any prompt, rough answers."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect

from tests.cli.test_cli_interactive import CHECK, spawn

PROMPT = "Your answer> "
SKIP = "(Enter to skip)> "


def test_the_failing_url_and_origin_fill_every_command_quoted(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    child, _ = spawn(["diagnose", "--session", str(state)], LANG="C.UTF-8")
    child.expect_exact(SKIP)
    child.sendline("https://d111.cloudfront.net/docs/a b?x=1")
    child.expect_exact(SKIP)
    child.sendline("my-bucket.s3.us-east-1.amazonaws.com")
    child.expect_exact(PROMPT)
    asked = child.before or ""
    assert "'https://d111.cloudfront.net/docs/a b?x=1'" in asked, asked
    assert "{DISTRIBUTION_DOMAIN}" not in asked and "{PATH}" not in asked, asked
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    saved = {i["fact"]: i["value"] for i in json.loads(state.read_text())["inputs"]}
    assert saved["request.url"] == "https://d111.cloudfront.net/docs/a b?x=1"
    assert saved["origin.domain"] == "my-bucket.s3.us-east-1.amazonaws.com"


def test_facts_can_be_volunteered_at_any_prompt(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    child, transcript = spawn(
        ["diagnose", "--session", str(state), "--fact", "viewer.status=403"], LANG="C.UTF-8"
    )
    for _ in range(2):
        child.expect_exact(SKIP)
        child.sendline("")
    child.expect_exact(PROMPT)
    child.sendline("know")
    child.expect_exact("+NAME=VALUE:")
    child.expect_exact(PROMPT)
    assert "+ origin.type=" in (child.before or ""), transcript.getvalue()
    child.sendline("+origin.type=S3")
    child.expect_exact(PROMPT)
    child.sendline("+no.such_fact=1")
    child.expect_exact("does not fit")
    child.expect_exact(PROMPT)
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    inputs = json.loads(state.read_text())["inputs"]
    assert {"fact": "origin.type", "value": "s3", "source": "volunteered"} in inputs
    assert "origin-type" not in CHECK.findall(transcript.getvalue().split("+origin.type=S3")[1])


def test_a_rough_status_is_accepted_and_explained(tmp_path: Path) -> None:
    child, transcript = spawn(["diagnose"], LANG="C.UTF-8")
    for _ in range(2):
        child.expect_exact(SKIP)
        child.sendline("")
    child.expect_exact(PROMPT)
    assert "one of: 4xx, 5xx" in (child.before or ""), transcript.getvalue()
    child.sendline("5xx")
    child.expect_exact(PROMPT)
    assert "does not fit" not in (child.before or ""), transcript.getvalue()
    assert CHECK.findall(child.before or "")[-1] != "viewer-status", transcript.getvalue()
    child.sendline("quit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, transcript.getvalue()
