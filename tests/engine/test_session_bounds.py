"""Every value entering the rule engine is bounded far below durable_rules' limits, and the
public API answers bad input with cfdoctor's own errors (issue 13: items 3 and 14)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from cfdoctor.engine.errors import FactError, SessionError
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.engine.values import MAX_TEXT_CHARS


@pytest.fixture(scope="module")
def bundled() -> Reasoner:
    return Reasoner(load_knowledge())


def test_a_16_mib_string_is_refused_before_the_engine_sees_it() -> None:
    """durable_rules' MAX_OBJECT_PROPERTY_SIZE is 16 MiB: past it the process segfaulted."""
    code = """
from cfdoctor.engine.errors import FactError
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
r = Reasoner(load_knowledge())
s = Session(r)
try:
    s.observe("viewer.server", "x" * 16777216)
except FactError as exc:
    print("observe refused:", str(exc)[:80])
try:
    r.evaluate({"viewer.server": "x" * 16777216})
except FactError as exc:
    print("evaluate refused:", str(exc)[:80])
s.diagnosis()
print("alive")
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, (done.returncode, done.stderr[-1000:])
    assert "observe refused: viewer.server" in done.stdout, done.stdout
    assert "evaluate refused:" in done.stdout and "alive" in done.stdout, done.stdout


def test_text_up_to_the_bound_is_accepted(bundled: Reasoner) -> None:
    s = Session(bundled)
    s.observe("viewer.server", "x" * MAX_TEXT_CHARS)
    with pytest.raises(FactError, match="longer than"):
        s.observe("viewer.server", "x" * (MAX_TEXT_CHARS + 1))
    assert s.facts["viewer.server"] == "x" * MAX_TEXT_CHARS
    s.diagnosis()


@pytest.mark.parametrize("value", [2**63, -(2**63) - 1, 10**400])
def test_integers_outside_64_bits_are_refused(bundled: Reasoner, value: int) -> None:
    with pytest.raises(FactError, match="64-bit"):
        Session(bundled).observe("viewer.status", value)


def test_the_number_of_facts_given_to_the_engine_is_bounded(bundled: Reasoner) -> None:
    many = {f"x.{i}": i for i in range(5000)}
    with pytest.raises(FactError, match="facts at once"):
        bundled.evaluate(many)


def test_a_long_source_is_refused(bundled: Reasoner) -> None:
    with pytest.raises(FactError, match="source"):
        Session(bundled).observe("viewer.status", 502, source="s" * 5000)


@pytest.mark.parametrize("name", [[], None, 1, {"a": 1}, b"viewer.status"])
def test_observe_with_a_name_that_is_not_text_raises_fact_error(
    bundled: Reasoner, name: Any
) -> None:
    with pytest.raises(FactError, match="fact name"):
        Session(bundled).observe(name, 1)


@pytest.mark.parametrize("text", [None, 1, [], {"format": "cfdoctor-session"}])
def test_from_json_with_something_that_is_not_text_raises_session_error(
    bundled: Reasoner, text: Any
) -> None:
    with pytest.raises(SessionError):
        Session.from_json(bundled, text)


def _signed(bundled: Reasoner, inputs: Any) -> str:
    """A session file with a correct digest around `inputs` (the digest detects damage only)."""
    from cfdoctor.engine.session import _digest

    body: dict[str, Any] = {
        "format": "cfdoctor-session",
        "format_version": 1,
        "kb_version": bundled.kb.version,
        "inputs": inputs,
    }
    body["digest"] = _digest(body)
    return json.dumps(body)


@pytest.mark.parametrize(
    "inputs",
    [
        [{"fact": 1, "value": 2, "source": "x"}],
        [{"fact": ["viewer.status"], "value": 502, "source": "x"}],
        [{"fact": None, "value": 502, "source": "x"}],
        [{"fact": "viewer.status", "value": 502, "source": ["x"]}],
        [{"fact": "viewer.status", "value": [[[]]], "source": "x"}],
        [{"fact": "viewer.server", "value": {"a": 1}, "source": "x"}],
    ],
)
def test_session_inputs_of_the_wrong_shape_are_session_errors(
    bundled: Reasoner, inputs: Any
) -> None:
    with pytest.raises(SessionError, match="input #1"):
        Session.from_json(bundled, _signed(bundled, inputs))


def test_a_deeply_nested_session_is_a_session_error(bundled: Reasoner) -> None:
    deep = '{"format": "cfdoctor-session", "inputs": ' + "[" * 100000 + "]" * 100000 + "}"
    with pytest.raises(SessionError):
        Session.from_json(bundled, deep)


def test_a_huge_integer_in_a_session_is_a_session_error(bundled: Reasoner) -> None:
    text = _signed(bundled, []).replace('"inputs": []', '"inputs": [' + "9" * 5000 + "]")
    with pytest.raises(SessionError):
        Session.from_json(bundled, text)
