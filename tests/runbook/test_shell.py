"""Commands are shell-safe: checked by running them through a real bash, not by reading them."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfdoctor.runbook.shell import placeholders, render_command, variable, variable_lines

BASH = shutil.which("bash")
needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def bash_argv(command: str, env: dict[str, str] | None = None) -> list[str]:
    """The words bash passes to `args` (a function printing its arguments) in `command`."""
    script = "args() { printf '%s\\0' \"$@\"; }\n" + command
    out = subprocess.run(
        [BASH or "bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        check=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
    ).stdout
    return out.decode().split("\0")[:-1]


# -- examples from the knowledge base -------------------------------------------------------


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("dig {ORIGIN_DOMAIN}", 'dig "${ORIGIN_DOMAIN}"'),
        (
            "curl -sS -D - https://{DISTRIBUTION_DOMAIN}{PATH}",
            'curl -sS -D - "https://${DISTRIBUTION_DOMAIN}${CF_PATH}"',
        ),
        (
            "aws s3 sync s3://{LOG_BUCKET}/{LOG_PREFIX} ./cf-logs --exclude '*' "
            "--include '{DISTRIBUTION_ID}.{DATE}*'",
            "aws s3 sync \"s3://${LOG_BUCKET}/${LOG_PREFIX}\" ./cf-logs --exclude '*' "
            '--include "${DISTRIBUTION_ID}.${DATE}*"',
        ),
        (
            "aws logs filter-log-events --filter-pattern '\"{REQUEST_ID}\"'",
            'aws logs filter-log-events --filter-pattern "\\"${REQUEST_ID}\\""',
        ),
        (
            "openssl s_client -connect {ORIGIN_DOMAIN}:443 </dev/null 2>&1 | grep 'Verify'",
            "openssl s_client -connect \"${ORIGIN_DOMAIN}:443\" </dev/null 2>&1 | grep 'Verify'",
        ),
        ("echo '{}' {lower} $HOME", "echo '{}' {lower} $HOME"),
    ],
)
def test_placeholders_become_quoted_variables(run: str, expected: str) -> None:
    assert render_command(run) == expected


def test_windows_commands_are_powershell() -> None:
    run = "Test-NetConnection {ORIGIN_DOMAIN} -Port {PORT}"
    assert render_command(run, "windows") == (
        'Test-NetConnection "${env:ORIGIN_DOMAIN}" -Port "${env:PORT}"'
    )
    assert render_command(run, "windows", {"ORIGIN_DOMAIN": "o'x; rm"}) == (
        "Test-NetConnection 'o''x; rm' -Port \"${env:PORT}\""
    )
    assert render_command("nslookup '{A}.x'", "windows") == 'nslookup "${env:A}.x"'


def test_variables_never_clobber_the_environment() -> None:
    assert variable("PATH") == "CF_PATH" and variable("HOME") == "CF_HOME"
    assert (
        variable("AWS_REGION") == "CF_AWS_REGION" and variable("ORIGIN_DOMAIN") == "ORIGIN_DOMAIN"
    )
    assert placeholders("a {PATH} {X} {PATH} {lower}") == ["PATH", "X"]
    assert variable_lines(["PATH", "X"], "sh", {"X": "a b"}) == "CF_PATH=''\nX='a b'"
    assert variable_lines(["X"], "powershell") == "$env:X = ''"


@needs_bash
def test_setting_the_variables_keeps_path_working() -> None:
    setup = variable_lines(["PATH", "ORIGIN_DOMAIN"], "sh", {"PATH": "/x y", "ORIGIN_DOMAIN": "o"})
    command = render_command("args https://{ORIGIN_DOMAIN}{PATH}")
    assert bash_argv(setup + "\nls / >/dev/null && " + command) == ["https://o/x y"]


# -- any command, any value: bash sees exactly the intended words ---------------------------

SAFE = st.text("abcXYZ019@%+=:,./_-", min_size=1, max_size=6)
NAMES = st.sampled_from(["ORIGIN_DOMAIN", "PATH", "X", "HOST_1"])
HOSTILE = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
) | st.sampled_from(["a b", "'", '"', "$(id)", "`id`", "$HOME", "\\", "*", "!x", "\n", ""])

Segment = tuple[str, list[tuple[str, str]]]
"""(quote kind, [(kind, text)]) where kind is 'lit' or 'ph'."""


@st.composite
def commands(draw: st.DrawFn) -> list[Segment]:
    words: list[Segment] = []
    for _ in range(draw(st.integers(1, 4))):
        quote = draw(st.sampled_from(["none", "single", "double"]))
        if quote == "none":
            lit = SAFE
        elif quote == "single":
            lit = st.text('ab c$`\\"!*', min_size=1, max_size=5)
        else:
            lit = st.text("ab c'!*", min_size=1, max_size=5)
        parts = draw(
            st.lists(
                st.one_of(lit.map(lambda x: ("lit", x)), NAMES.map(lambda n: ("ph", n))),
                min_size=1,
                max_size=4,
            )
        )
        words.append((quote, parts))
    return words


def _source(words: list[Segment]) -> str:
    out = []
    for quote, parts in words:
        body = "".join(text if kind == "lit" else "{" + text + "}" for kind, text in parts)
        mark = {"none": "", "single": "'", "double": '"'}[quote]
        out.append(mark + body + mark)
    return "args " + " ".join(out)


def _expected(words: list[Segment], values: dict[str, str]) -> list[str]:
    return ["".join(values[t] if k == "ph" else t for k, t in parts) for _, parts in words]


@needs_bash
@settings(max_examples=60, deadline=None)
@given(commands(), st.dictionaries(NAMES, HOSTILE, min_size=4, max_size=4))
def test_rendered_commands_give_bash_the_intended_words(
    words: list[Segment], values: dict[str, str]
) -> None:
    run = _source(words)
    expected = _expected(words, values)
    # values quoted into the command
    assert bash_argv(render_command(run, values=values)) == expected
    # values left to shell variables that the reader sets
    env = {variable(name): value for name, value in values.items()}
    env.pop("CF_PATH", None)
    setup = variable_lines(["PATH"], "sh", values) + "\n"
    assert bash_argv(setup + render_command(run), env) == expected
