"""The start-up shortcuts change nothing a user sees: the pruned app and the fast exit."""

from __future__ import annotations

import json

import pytest

from cfdoctor.cli.startup import invoked
from tests.cli.clitools import invoke, run_program

ONE_SHOT = ["diagnose", "--no-ask", "--json", "--fact", "viewer.status=502"]


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["diagnose", "--json"], "diagnose"),
        (["--lang", "ja", "diagnose"], "diagnose"),
        (["--kb", "facts", "kb", "stats"], "kb"),  # a --kb value is not a command name
        (["-v", "--lang=zh", "facts"], "facts"),
        (["diagnose", "--help"], "diagnose"),
        (["--help"], None),
        (["--version", "diagnose"], None),
        ([], None),
    ],
)
def test_the_invoked_command_is_found(args: list[str], name: str | None) -> None:
    assert invoked(args) == name


def test_the_program_answers_as_the_whole_app_does() -> None:
    program = run_program(ONE_SHOT)
    assert program.returncode == 0, program.stderr
    assert json.loads(program.stdout) == json.loads(invoke(ONE_SHOT).stdout)


def test_the_root_help_still_lists_every_command() -> None:
    helped = run_program(["--help"])
    for command in ("diagnose", "facts", "probe", "lab", "inspect", "runbook", "kb"):
        assert f"  {command} " in helped.stdout, helped.stdout


def test_an_unknown_command_still_gets_suggestions() -> None:
    result = run_program(["diagnos"])
    assert result.returncode == 2
    assert "diagnose" in result.stderr, result.stderr


def test_the_fast_exit_keeps_exit_codes_and_flushes_everything() -> None:
    bad = run_program(["diagnose", "--no-ask", "--fact", "viewer.status"])
    assert bad.returncode == 2, bad.stderr
    assert bad.stderr.startswith("cfdoctor: "), bad.stderr
    vocabulary = run_program(["facts", "--json"])  # a long output into a pipe, all of it
    assert vocabulary.returncode == 0, vocabulary.stderr
    assert len(json.loads(vocabulary.stdout)) > 100


def test_python_m_cfdoctor_exits_the_same_way() -> None:
    bad = run_program(["diagnose", "--no-ask", "--fact", "nope.fact=1"], module=True)
    assert bad.returncode == 2, bad.stderr
    assert run_program(["--version"], module=True).stdout.startswith("cfdoctor ")
