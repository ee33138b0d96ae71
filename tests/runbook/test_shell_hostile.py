"""Hostile placeholder values stay data: every bundled command, run by a real bash with stubbed
binaries, never runs what a value says (issue 13, items 1 and 2)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Command, KnowledgeBase
from cfdoctor.runbook.shell import placeholders, render_command, shell_of, unsafe_placeholders

BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")

HOSTILE = [
    "$(pwned>&2)",
    "`pwned`",
    "';pwned;'",
    '";pwned;"',
    "\npwned\n",
    "a|pwned",
    "x&pwned&",
    "${IFS}pwned",
    "a[$(pwned)]",
    "$(pwned)'\"`pwned`\"'",
    "\\$(pwned)",
    "x’;pwned;’",
]
"""Each runs `pwned` if it ever reaches bash as code instead of as a word."""


@cache
def _kb() -> KnowledgeBase:
    return load_knowledge()


def bundled_commands() -> list[Command]:
    kb = _kb()
    found = [c for check in kb.checks.values() for c in check.commands]
    found += [
        Command(r) for cause in kb.causes.values() for fix in cause.fixes for r in fix.commands
    ]
    return found


def run_stubbed(command: str, tmp: Path) -> bool:
    """Run `command` in bash where every binary is a stub; True if the canary `pwned` ran."""
    stubs = tmp / "bin"
    stubs.mkdir(exist_ok=True)
    canary = tmp / "PWNED"
    pwned = stubs / "pwned"
    pwned.write_text(f"#!/bin/sh\n: > '{canary}'\n")  # PATH holds no touch
    pwned.chmod(0o755)
    script = "command_not_found_handle() { return 0; }\n" + command
    subprocess.run(
        [BASH or "bash", "--norc", "--noprofile", "-c", script],
        cwd=tmp,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=20,
        env={"PATH": str(stubs), "HOME": str(tmp)},
        check=False,
    )
    ran = canary.exists()
    canary.unlink(missing_ok=True)
    return ran


@needs_bash
def test_the_canary_works(tmp_path: Path) -> None:
    assert run_stubbed("echo $(pwned)", tmp_path)
    assert not run_stubbed("echo '$(pwned)'", tmp_path)


@needs_bash
def test_the_two_bundled_substitutions_keep_values_inert(tmp_path: Path) -> None:
    """The reproduction: BODY and UPLOAD_FILE sit inside "$( ... )" in bundled fixes."""
    values = {"BODY": "$(pwned>&2)", "UPLOAD_FILE": "$(pwned>&2)"}
    runs = [
        r
        for c in bundled_commands()
        for r in [c.run]
        if "$(" in r and values.keys() & set(placeholders(r))
    ]
    assert len(runs) >= 2
    for run in runs:
        rendered = render_command(run, values=values)
        assert not run_stubbed(rendered, tmp_path), rendered


@needs_bash
def test_every_bundled_command_keeps_every_hostile_value_inert(tmp_path: Path) -> None:
    commands = [c for c in bundled_commands() if shell_of(c.platform) == "sh"]
    assert len(commands) > 300
    for c in commands:
        names = placeholders(c.run)
        if not names:
            continue
        assert unsafe_placeholders(c.run, c.platform) == [], c.run
        for shift in range(3):
            values = {n: HOSTILE[(i + shift * 5) % len(HOSTILE)] for i, n in enumerate(names)}
            rendered = render_command(c.run, c.platform, values)
            assert not run_stubbed(rendered, tmp_path), (c.run, values, rendered)


UNSAFE_CONTEXTS = [
    "echo `cat {X}`",
    'echo "`cat {X}`"',
    "echo ${V:-{X}}",
    'echo "${V:-{X}}"',
    "echo $(( {X} + 1 ))",
    "cat <<EOF\n{X}\nEOF",
    'echo "$(echo `echo {X}`)"',
    'echo "{X}',
]


@needs_bash
@pytest.mark.parametrize("run", UNSAFE_CONTEXTS)
def test_contexts_no_quoting_can_protect_are_named_and_left_unfilled(
    run: str, tmp_path: Path
) -> None:
    assert unsafe_placeholders(run) == ["X"]
    for value in HOSTILE:
        rendered = render_command(run, values={"X": value})
        assert value not in rendered or "{X}" not in run, rendered
        assert not run_stubbed(rendered, tmp_path), rendered


@needs_bash
@pytest.mark.parametrize(
    "run",
    [
        'echo "$(printf %s {X} | cat)" "$(echo "$(echo {X})")"',
        "echo $(echo {X}) a{X}b '{X}'",
        "echo \"x: $(sha256sum {X} | cut -d' ' -f1)\"",
    ],
)
def test_command_substitutions_are_rendered_as_commands_of_their_own(
    run: str, tmp_path: Path
) -> None:
    assert unsafe_placeholders(run) == []
    for value in HOSTILE:
        rendered = render_command(run, values={"X": value})
        assert not run_stubbed(rendered, tmp_path), rendered
        assert not run_stubbed(render_command(run), tmp_path)


def test_powershell_quotes_double_typographic_quotes_too() -> None:
    """PowerShell ends '...' at U+2018-U+201B and "..." at U+201C-U+201E as well."""
    value = "example.com’; Remove-Item -Recurse C:\\"
    rendered = render_command(
        "Test-NetConnection {ORIGIN_DOMAIN} -Port 443", "windows", {"ORIGIN_DOMAIN": value}
    )
    assert rendered == "Test-NetConnection 'example.com’’; Remove-Item -Recurse C:\\' -Port 443"
    for quote in "‘’‚‛":
        assert ps_single_tokens(render_command("x {A}", "windows", {"A": f"a{quote};b"})) == [
            "x",
            f"a{quote};b",
        ]
    for quote in "“”„":
        rendered = render_command('x "v={A}"', "windows", {"A": f"a{quote};b"})
        assert rendered == f'x "v=a`{quote};b"'


def ps_single_tokens(line: str) -> list[str]:
    """Words of a line of bare words and '...' strings, by PowerShell's quoting rules
    (about_Quoting_Rules: any of ' ‘ ’ ‚ ‛ opens and closes; two in a row are one literal)."""
    quotes = "'‘’‚‛"
    words, i, n = [], 0, len(line)
    while i < n:
        if line[i] == " ":
            i += 1
            continue
        if line[i] in quotes:
            j, text = i + 1, ""
            while j < n:
                if line[j] in quotes:
                    if j + 1 < n and line[j + 1] in quotes:
                        text += line[j]
                        j += 2
                        continue
                    break
                text += line[j]
                j += 1
            words.append(text)
            i = j + 1
        else:
            j = i
            while j < n and line[j] != " ":
                j += 1
            words.append(line[i:j])
            i = j
    return words
