"""The installed program: entry points, help, exit codes, language negotiation, speed-critical
imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cfdoctor import __version__, i18n
from cfdoctor.cli.app import EXIT_CODES
from tests.cli.clitools import CONSOLE_SCRIPT, invoke, run_program


def test_help_lists_every_exit_code() -> None:
    result = invoke(["--help"])
    assert result.exit_code == 0, result.output
    assert "Exit codes:" in result.stdout, result.output
    for code, meaning in EXIT_CODES:
        assert f"{code:>5}  {meaning}" in result.stdout, result.output


def test_diagnose_help_lists_exit_codes_too() -> None:
    result = invoke(["diagnose", "--help"])
    assert result.exit_code == 0, result.output
    assert "130  interrupted" in result.stdout, result.output


def test_console_script_is_installed_next_to_the_interpreter() -> None:
    assert CONSOLE_SCRIPT.exists(), CONSOLE_SCRIPT
    result = run_program(["--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"cfdoctor {__version__}\n", result.stdout


@pytest.mark.parametrize("module", [False, True], ids=["console-script", "python-m"])
def test_installed_program_diagnoses(module: bool) -> None:
    result = run_program(
        ["diagnose", "--no-ask", "--json", "--fact", "viewer.status=502"], module=module
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["symptoms"][0]["id"] == "http-502", result.stdout
    assert report["causes"], result.stdout


def test_installed_program_reports_user_errors_in_one_line() -> None:
    result = run_program(["diagnose", "--fact", "viewer.stauts=502"])
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("cfdoctor: error: unknown fact"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr


def test_help_is_translated_from_the_locale() -> None:
    ja = run_program(["--help"], LANG="ja_JP.UTF-8")
    assert ja.returncode == 0, ja.stderr
    assert "終了コード" in ja.stdout and "オプション" in ja.stdout, ja.stdout
    zh = run_program(["--lang", "zh", "diagnose", "--help"])
    assert "退出码" in zh.stdout and "选项" in zh.stdout, zh.stdout


def test_help_does_not_import_the_engine_or_rich() -> None:
    probe = (
        "import sys\n"
        "from cfdoctor.cli.app import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "finally:\n"
        "    heavy = [m for m in ('cfdoctor.engine.reasoner', 'durable', 'rich', 'babel')"
        " if m in sys.modules]\n"
        "    print('HEAVY', heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY []" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("identifier", "lang"),
    [
        ("ja_JP.UTF-8", "ja"),
        ("ja", "ja"),
        ("zh_CN.UTF-8", "zh"),
        ("zh_SG", "zh"),
        ("zh_Hans", "zh"),
        ("zh-Hans-CN", "zh"),
        ("zh", "zh"),
        ("en_US.UTF-8", "en"),
        ("zh_TW.UTF-8", None),
        ("fr_FR.UTF-8", None),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("not a locale", None),
    ],
)
def test_locale_negotiation(identifier: str, lang: str | None) -> None:
    assert i18n.negotiate(identifier) == lang


def test_language_precedence() -> None:
    env = {"CFDOCTOR_LANG": "zh", "LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}
    assert i18n.choose("ja", env) == "ja"
    assert i18n.choose(None, env) == "zh"
    assert i18n.choose(None, {"LC_ALL": "ja_JP.UTF-8", "LANG": "zh_CN.UTF-8"}) == "ja"
    assert i18n.choose(None, {"LC_MESSAGES": "zh_SG.UTF-8", "LANG": "ja_JP"}) == "zh"
    assert i18n.choose(None, {"LANG": "fr_FR.UTF-8"}) == "en"
    assert i18n.choose(None, {}) == "en"
    with pytest.raises(i18n.LanguageError):
        i18n.choose("fr", {})


@pytest.mark.parametrize(("lang", "text"), [("en", "12.5%"), ("ja", "12.5%"), ("zh", "12.5%")])
def test_percentages_follow_the_locale(lang: str, text: str) -> None:
    assert i18n.format_percent(0.125, lang) == text
    assert i18n.format_percent(0.9, lang) == "90%"
