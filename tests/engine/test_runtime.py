"""The durable_rules runtime: chaining within one step, no crashes past its limits, one importer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cfdoctor
from cfdoctor.engine.compile import compile_knowledge
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.runtime import RuleRuntime
from tests.toykb import toy_units, write_kb


@pytest.fixture()
def toy(tmp_path: Path) -> Reasoner:
    return Reasoner(load_knowledge([write_kb(tmp_path, toy_units())], include_bundled=False))


def test_derived_facts_chain_within_one_step(toy: Reasoner) -> None:
    ev = toy.evaluate({"t.status": 500, "t.dns_ok": False})
    assert ev.symptoms == ("s-500",)
    assert ev.rules == ("dns-bad", "broken-name")
    assert [(d.fact, d.value, d.rule) for d in ev.derived] == [("t.broken_name", True, "dns-bad")]
    assert ev.ranking.scores[0].cause == "c-dns"


def test_thousands_of_steps_past_the_session_cap(toy: Reasoner) -> None:
    # durable_rules allows 1,024 live sessions per ruleset; every step uses and deletes its own.
    for i in range(3000):
        firing = toy.runtime.run(
            (("t.port", "open" if i % 2 else "refused"), ("t.status", 400 + i))
        )
        assert firing.rules == (["port-open"] if i % 2 else ["port-refused"])


def test_duplicate_derived_fact_never_reaches_the_caller(toy: Reasoner) -> None:
    # The input already holds the fact a rule derives: durable raises MessageObservedException
    # inside the action; the runtime absorbs it and the chain still completes.
    firing = toy.runtime.run((("t.broken_name", True), ("t.dns_ok", False)))
    assert set(firing.rules) == {"dns-bad", "broken-name"}


def test_facts_no_rule_tests_are_stored_by_the_catch_all(toy: Reasoner) -> None:
    firing = toy.runtime.run((("t.status", 200),))
    assert firing.rules == [] and firing.errors == []


def test_many_runtimes_of_one_knowledge_base(tmp_path: Path) -> None:
    kb = load_knowledge([write_kb(tmp_path, toy_units())], include_bundled=False)
    # durable refuses to register a ruleset name twice in one Host; each runtime has its own.
    runtimes = [RuleRuntime(compile_knowledge(kb, "same")) for _ in range(5)]
    for rt in runtimes:
        assert rt.run((("t.port", "refused"),)).rules == ["port-refused"]


def test_durable_is_imported_in_one_module_only() -> None:
    package = Path(cfdoctor.__file__).parent
    importers = sorted(
        str(p.relative_to(package))
        for p in package.rglob("*.py")
        if re.search(r"^\s*(import durable|from durable)", p.read_text(encoding="utf-8"), re.M)
    )
    assert importers == ["engine/runtime.py"]
    runtime = (package / "engine" / "runtime.py").read_text(encoding="utf-8")
    assert "durable.lang" not in runtime and "ruleset(" not in runtime


def test_compiled_patterns_use_constant_tests_only(reasoner: Reasoner) -> None:
    compiled = compile_knowledge(reasoner.kb, "check")
    (rules,) = compiled.definition.values()
    text = repr(rules)
    # A reference to another fact's field is written {'$l': ...} / {'$r': ...} / {'$m': ...}
    # or as {'field': {'name': ...}} in durable; only constants appear here.
    assert "'$l'" not in text and "'$r'" not in text
    for name, rule in rules.items():
        assert "run" in rule, name
        for pattern in rule["all"]:
            (body,) = pattern.values()
            if name != "_catch_all":
                assert body["$and"][0] == {"t": "fact"} and "n" in body["$and"][1]
