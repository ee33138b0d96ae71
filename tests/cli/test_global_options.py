"""--lang, --kb and --verbose work before or after the command, and every command shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.clitools import invoke, loads, other_knowledge, run_program

COMMANDS = [
    ["diagnose"],
    ["facts"],
    ["probe"],
    ["lab"],
    ["inspect"],
    ["runbook"],
    ["kb"],
    ["kb", "validate"],
    ["kb", "show"],
    ["kb", "stats"],
]
ONE_SHOT = ["diagnose", "--no-ask", "--json", "--fact", "viewer.status=502"]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_shows_the_global_options(command: list[str]) -> None:
    helped = invoke([*command, "--help"])
    assert helped.exit_code == 0, helped.output
    for option in ("--kb DIR", "--lang en|ja", "-v, --verbose"):
        assert option in helped.output, helped.output


@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_before_or_after_the_command(where: str) -> None:
    args = ["--lang", "ja", *ONE_SHOT] if where == "before" else [*ONE_SHOT, "--lang", "ja"]
    assert loads(invoke(args))["lang"] == "ja"


def test_a_bad_lang_after_the_command_is_a_usage_error() -> None:
    result = run_program([*ONE_SHOT, "--lang", "xx"])
    assert result.returncode == 2
    assert "xx" in result.stderr and "Traceback" not in result.stderr, result.stderr


def test_kb_after_the_command_loads_that_knowledge(tmp_path: Path) -> None:
    extra = str(other_knowledge(tmp_path))
    bundled = loads(invoke(ONE_SHOT))["kb_version"]
    before = loads(invoke(["--kb", extra, *ONE_SHOT]))["kb_version"]
    after = loads(invoke([*ONE_SHOT, "--kb", extra]))["kb_version"]
    assert before == after != bundled


def test_verbose_after_the_command_logs_the_reasoning() -> None:
    result = run_program([*ONE_SHOT, "--fact", "origin.dns.status=nxdomain", "--verbose"])
    assert result.returncode == 0, result.stderr
    assert "cfdoctor.engine: fired " in result.stderr, result.stderr


def test_the_runbook_keeps_its_own_lang() -> None:
    helped = invoke(["runbook", "--help"])
    assert "en|ja|zh|all" in helped.output and helped.output.count("--lang") == 1, helped.output
