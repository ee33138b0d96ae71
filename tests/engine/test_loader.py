"""Bad knowledge gets a clear message naming file, line and field, and what to write instead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cfdoctor.engine.errors import KnowledgeError, Problem
from cfdoctor.engine.loader import load_knowledge
from tests.toykb import toy_units, write_kb


def _problems(tmp_path: Path, units: dict[str, Any]) -> list[Problem]:
    write_kb(tmp_path, units)
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([tmp_path], include_bundled=False)
    return info.value.problems


def test_toy_kb_loads(tmp_path: Path) -> None:
    kb = load_knowledge([write_kb(tmp_path, toy_units())], include_bundled=False)
    assert set(kb.causes) == {"c-port", "c-dns"}
    assert kb.facts["t.broken_name"].derived
    assert kb.checks_by_fact["t.port"] == ("t-port",)


def test_bundled_kb_loads(tmp_path: Path) -> None:
    kb = load_knowledge()
    assert kb.causes and kb.version.startswith("0.")


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    write_kb(tmp_path, toy_units())
    bad = tmp_path / "checks" / "t-port.yaml"
    bad.write_text("fact: t.port\nquestion:\n  en: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([tmp_path], include_bundled=False)
    (problem,) = info.value.problems
    assert problem.path == str(bad) and problem.line in (3, 4)
    assert "YAML" in problem.message


def test_missing_field_says_what_to_add(tmp_path: Path) -> None:
    units = toy_units()
    del units["causes/500/c-port.yaml"]["prior"]
    (problem,) = _problems(tmp_path, units)
    assert problem.path.endswith("c-port.yaml") and problem.hint == "add `prior:`"


def test_missing_translation_names_the_field_and_line(tmp_path: Path) -> None:
    units = toy_units()
    del units["checks/t-dns.yaml"]["question"]["zh"]
    (problem,) = _problems(tmp_path, units)
    assert problem.field == "question" and problem.line == 2
    assert "'zh' is a required property" in problem.message


def test_misspelt_field_lists_what_is_allowed(tmp_path: Path) -> None:
    units = toy_units()
    units["checks/t-dns.yaml"]["costs"] = 3
    (problem,) = _problems(tmp_path, units)
    assert problem.field == "costs" and "unknown field" in problem.message
    assert "cost" in problem.hint


def test_bad_enum_names_allowed_values(tmp_path: Path) -> None:
    units = toy_units()
    units["causes/500/c-dns.yaml"]["grade"] = "X"
    (problem,) = _problems(tmp_path, units)
    assert problem.field == "grade" and "D, C, I" in problem.hint


def test_unknown_fact_in_rule(tmp_path: Path) -> None:
    units = toy_units()
    units["rules/port-open.yaml"]["when"]["all"][0]["fact"] = "t.prot"
    problems = _problems(tmp_path, units)
    assert any(
        "unknown fact 't.prot'" in p.message and p.field == "when.all.0.fact" for p in problems
    )


def test_ill_typed_value_in_case(tmp_path: Path) -> None:
    units = toy_units()
    units["causes/500/c-port.yaml"]["cases"]["positive"][0]["facts"]["t.port"] = "closed"
    (problem,) = _problems(tmp_path, units)
    assert "not a valid value of t.port" in problem.message and "open, refused" in problem.hint


def test_fact_nobody_settles(tmp_path: Path) -> None:
    units = toy_units()
    del units["checks/t-dns.yaml"]
    problems = _problems(tmp_path, units)
    assert any("no check, parser or probe settles it" in p.message for p in problems)


def test_rule_that_can_never_fire(tmp_path: Path) -> None:
    units = toy_units()
    units["rules/port-open.yaml"]["when"]["all"].append({"fact": "t.port", "eq": "refused"})
    (problem,) = _problems(tmp_path, units)
    assert "can never fire" in problem.message and problem.path.endswith("port-open.yaml")


def test_cause_no_rule_supports(tmp_path: Path) -> None:
    units = toy_units()
    units["rules/port-refused.yaml"]["then"][0]["effect"] = "against"
    problems = _problems(tmp_path, units)
    assert any("no rule supports cause 'c-port'" in p.message for p in problems)


def test_unknown_cause_and_symptom(tmp_path: Path) -> None:
    units = toy_units()
    units["rules/port-refused.yaml"]["then"][0]["cause"] = "c-prt"
    units["causes/500/c-dns.yaml"]["symptoms"] = ["s-501"]
    problems = _problems(tmp_path, units)
    messages = " | ".join(p.message for p in problems)
    assert "unknown cause 'c-prt'" in messages and "unknown symptom 's-501'" in messages


def test_reused_id_across_directories(tmp_path: Path) -> None:
    first = write_kb(tmp_path / "a", toy_units())
    second = write_kb(tmp_path / "b", {"checks/t-port.yaml": toy_units()["checks/t-port.yaml"]})
    with pytest.raises(KnowledgeError) as info:
        load_knowledge([first, second], include_bundled=False)
    assert any("already defined" in p.message for p in info.value.problems)


def test_user_directory_adds_to_bundled(tmp_path: Path) -> None:
    kb = load_knowledge([write_kb(tmp_path, toy_units())])
    bundled = load_knowledge()
    assert set(kb.causes) == set(bundled.causes) | {"c-port", "c-dns"}
    assert kb.version != bundled.version


def test_invalid_file_name_is_rejected(tmp_path: Path) -> None:
    units = toy_units()
    units["checks/T_Port.yaml"] = units.pop("checks/t-port.yaml")
    problems = _problems(tmp_path, units)
    assert any("not a valid id" in p.message for p in problems)


def test_condition_needs_exactly_one_operator(tmp_path: Path) -> None:
    units = toy_units()
    units["rules/port-open.yaml"]["when"]["all"][0] = {
        "fact": "t.port",
        "eq": "open",
        "ne": "refused",
    }
    problems = _problems(tmp_path, units)
    assert problems and all(p.path.endswith("port-open.yaml") for p in problems)
    assert any("exactly one of" in p.hint for p in problems)


def test_near_duplicate_causes_are_flagged(tmp_path: Path) -> None:
    units = toy_units()
    # c-dns now rests on the same evidence as c-port: the checks cannot tell them apart.
    units["rules/broken-name.yaml"]["when"]["all"] = [{"fact": "t.port", "eq": "refused"}]
    units["rules/dns-bad.yaml"]["then"] = [{"cause": "c-dns", "effect": "against"}]
    del units["facts/toy.yaml"]["facts"]["t.broken_name"]
    problems = _problems(tmp_path, units)
    assert any("near-duplicate of cause 'c-dns'" in p.message for p in problems), problems
