"""Hostile or careless knowledge files get a clear problem (exit 3), never a hang, a crash or a
blocked read (issue 13: items 1, 6, 11, 13, 14, 15, 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cfdoctor.engine.errors import KnowledgeError, Problem
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.yaml_source import MAX_KNOWLEDGE_FILE_BYTES
from tests.toykb import text, toy_units, write_kb

CHECK = "checks/t-port.yaml"


def problems_of(root: Path) -> list[Problem]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([root], include_bundled=False)
    return info.value.problems


LOAD = """
import resource, sys
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from cfdoctor.engine.errors import KnowledgeError
from cfdoctor.engine.loader import load_knowledge
try:
    load_knowledge([Path(sys.argv[1])], include_bundled=False)
    print("loaded")
except KnowledgeError as e:
    print(e)
"""


def load_elsewhere(root: Path) -> str:
    """Load in a fresh interpreter with 2 GiB of memory at most and 30 s, so a hang, a blocked
    read or a runaway expansion fails the test instead of the test run."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", LOAD, str(root)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("loading the knowledge did not finish in 30 s")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# -- item 1: placeholders where no quoting protects them ------------------------------------


@pytest.mark.parametrize(
    "run",
    ["nc -zv `echo {ORIGIN_DOMAIN}` 443", "nc ${HOST:-{ORIGIN_DOMAIN}}", "echo $(( {PORT} ))"],
)
def test_placeholders_in_unsafe_shell_contexts_are_refused(tmp_path: Path, run: str) -> None:
    units = toy_units()
    units[CHECK]["commands"] = [{"run": "dig {ORIGIN_DOMAIN}"}, {"run": run}]
    (problem,) = problems_of(write_kb(tmp_path, units))
    assert problem.path.endswith("t-port.yaml") and problem.field == "commands.1.run"
    assert "no quoting keeps a value from running as code" in problem.message


def test_placeholders_in_fix_commands_are_checked_too(tmp_path: Path) -> None:
    units = toy_units()
    units["causes/500/c-port.yaml"]["fixes"][0]["commands"] = ['curl -d "`cat {BODY}`" x']
    (problem,) = problems_of(write_kb(tmp_path, units))
    assert problem.field == "fixes.0.commands.0"


# -- item 6: billion laughs and huge files ----------------------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)


def test_yaml_aliases_are_refused_without_expanding_them(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    bad = tmp_path / CHECK
    bad.write_text(LAUGHS, encoding="utf-8")
    out = load_elsewhere(tmp_path)
    assert f"{bad}:" in out and "aliases" in out, out


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    bad = tmp_path / CHECK
    bad.write_text("a: &a [*a, *a]\n", encoding="utf-8")
    (problem,) = problems_of(tmp_path)
    assert problem.path == str(bad)


def test_a_knowledge_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    bad = tmp_path / CHECK
    with bad.open("a", encoding="utf-8") as f:
        f.write("# " + "x" * MAX_KNOWLEDGE_FILE_BYTES + "\n")
    out = load_elsewhere(tmp_path)
    assert f"{bad}:1: " in out and "too large" in out, out


# -- item 11: limits of the rule engine -------------------------------------------------------


def test_more_rules_on_one_condition_than_the_engine_takes_still_diagnose(tmp_path: Path) -> None:
    units = toy_units()
    for i in range(300):
        units[f"rules/many-{i}.yaml"] = {
            "because": text("many"),
            "when": {"all": [{"fact": "t.port", "eq": "refused"}]},
            "then": [{"cause": "c-port", "effect": "weak"}],
        }
    kb = load_knowledge([write_kb(tmp_path, units)], include_bundled=False)
    ev = Reasoner(kb).evaluate({"t.status": 500, "t.port": "refused"})
    assert ev.ranking.scores[0].cause == "c-port"
    assert sum(1 for r in ev.rules if r.startswith("many-")) == 300


def test_many_different_rules_on_one_condition_are_a_knowledge_problem(tmp_path: Path) -> None:
    units = toy_units()
    for i in range(200):
        units[f"rules/many-{i}.yaml"] = {
            "because": text("many"),
            "when": {"all": [{"fact": "t.port", "eq": "refused"}, {"fact": "t.status", "eq": i}]},
            "then": [{"cause": "c-port", "effect": "weak"}],
        }
    (problem,) = problems_of(write_kb(tmp_path, units))
    assert (
        problem.path.endswith(".yaml") and "rules start with the same condition" in problem.message
    )


# -- item 13 and 14: numbers that are not numbers --------------------------------------------


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN"])
@pytest.mark.parametrize(("unit", "field"), [("causes/500/c-port.yaml", "prior"), (CHECK, "cost")])
def test_non_finite_numbers_are_refused(tmp_path: Path, value: str, unit: str, field: str) -> None:
    write_kb(tmp_path, toy_units())
    path = tmp_path / unit
    text_ = path.read_text(encoding="utf-8")
    lines = [f"{field}: {value}" if ln.startswith(f"{field}:") else ln for ln in text_.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_of(tmp_path)
    assert any(
        p.path == str(path) and field in p.message and "finite" in p.message for p in problems
    )


def test_a_5000_digit_integer_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    path = tmp_path / CHECK
    path.write_text(path.read_text().replace("cost: 2", "cost: " + "9" * 5000), encoding="utf-8")
    (problem,) = problems_of(tmp_path)
    assert problem.path == str(path)


def test_deeply_nested_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    path = tmp_path / CHECK
    path.write_text("x: " + "[" * 20000 + "]" * 20000 + "\n", encoding="utf-8")
    out = load_elsewhere(tmp_path)
    assert f"{path}:" in out, out


# -- item 15: FIFOs and devices ---------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_unit_is_refused_without_blocking(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    fifo = tmp_path / "checks" / "t-fifo.yaml"
    os.mkfifo(fifo)
    out = load_elsewhere(tmp_path)
    assert f"{fifo}:1: " in out and "not a regular file" in out, out


def test_a_unit_linked_to_a_device_is_refused(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    link = tmp_path / "checks" / "t-zero.yaml"
    link.symlink_to("/dev/zero")
    out = load_elsewhere(tmp_path)
    assert f"{link}:1: " in out and "not a regular file" in out, out


# -- item 16: odd directories -----------------------------------------------------------------


def test_a_directory_named_like_a_unit_is_a_knowledge_problem(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    odd = tmp_path / "checks" / "odd.yaml"
    odd.mkdir()
    (problem,) = problems_of(tmp_path)
    assert problem.path == str(odd) and "not a regular file" in problem.message


def test_a_symlink_loop_is_not_followed(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    (tmp_path / "checks" / "loop").symlink_to(tmp_path / "checks")
    assert load_elsewhere(tmp_path).strip() == "loaded"
    kb = load_knowledge([tmp_path], include_bundled=False)
    assert set(kb.checks) == {"t-status", "t-port", "t-dns"}


def test_a_key_yaml_reads_as_a_boolean_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """`on:` is true in YAML 1.1; a non-text key made the schema check compare str with bool."""
    write_kb(tmp_path, toy_units())
    path = tmp_path / CHECK
    path.write_text(path.read_text(encoding="utf-8") + "on:\n  en: x\n", encoding="utf-8")
    (problem,) = problems_of(tmp_path)
    assert problem.path == str(path) and "not text" in problem.message
