"""Shared helpers of the CLI tests: run the app in-process or as the installed program."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from cfdoctor import i18n
from cfdoctor.cli.app import build_app
from cfdoctor.engine.layout import bundled_root

LOCALE_VARS = ("CFDOCTOR_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")
BIN = Path(sys.executable).parent
CONSOLE_SCRIPT = BIN / "cfdoctor"


def invoke(args: Sequence[str], env: Mapping[str, str] | None = None) -> Result:
    """Run the CLI in-process, in English unless `env` or `--lang` says otherwise.

    stdin is not a terminal here, so `diagnose` never asks.
    """
    i18n.activate("en")  # the app's help texts are built in the active language
    clean: dict[str, str | None] = dict.fromkeys(LOCALE_VARS)
    clean.update(env or {})
    return CliRunner().invoke(build_app(), list(args), env=clean, catch_exceptions=False)


def loads(result: Result) -> Any:
    """The JSON a command printed on stdout; the whole output is the message on failure."""
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def program_env(**extra: str) -> dict[str, str]:
    """Environment for a real run: no inherited locale, no colour, a wide terminal."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env.update({"TERM": "dumb", "COLUMNS": "250", "NO_COLOR": "1"}, **extra)
    return env


def run_program(
    args: Sequence[str], *, module: bool = False, input: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (or `python -m cfdoctor`) as a user would.

    stdin is empty unless `input` gives its text (`-` arguments read it).
    """
    command = [sys.executable, "-m", "cfdoctor"] if module else [str(CONSOLE_SCRIPT)]
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        env=program_env(**env),
        input=input,
        stdin=subprocess.DEVNULL if input is None else None,
        timeout=60,
        check=False,
    )


def one_line_error(stderr: str) -> str:
    """The single error line a user error must produce (no traceback, nothing else)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("cfdoctor: "), stderr
    assert "Traceback" not in stderr, stderr
    return lines[0]


def other_knowledge(tmp: Path) -> Path:
    """A valid extra knowledge directory: one more check for a viewer fact.

    Loading it changes the knowledge base version without touching the bundled units.
    """
    root = tmp / "extra-kb"
    (root / "checks").mkdir(parents=True)
    shutil.copy(
        bundled_root() / "checks" / "viewer-status.yaml",
        root / "checks" / "viewer-status-again.yaml",
    )
    return root
