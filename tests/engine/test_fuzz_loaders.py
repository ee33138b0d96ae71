"""Hypothesis fuzzes the knowledge loader and session restore: whatever the bytes, the answer is
a knowledge base or KnowledgeError, a session or SessionError; never another exception.

Bounded for CI (a few hundred examples each); bench/fuzz_long.py runs 100,000 per target.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cfdoctor.engine.errors import KnowledgeError, SessionError
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session, _digest
from tests.toykb import toy_units, write_kb

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UNITS = toy_units()
SEEDS = [yaml.safe_dump(d, allow_unicode=True) for d in UNITS.values()]
TOKENS = [
    "*a", "&a ", "&a [*a, *a]", ".nan", "-.inf", "!!python/object:os.system", "9" * 5000,
    "[" * 200, "{", "\x00", "\x1b]0;x\x07", "on: 1", "<<: *a", "? [a]\n: b", "'", '"', ":", "- ",
]  # fmt: skip


@st.composite
def mutated_yaml(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(text)))
        piece = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)))
        cut = draw(st.integers(0, 40))
        text = text[:pos] + piece + text[pos + cut :]
    return text


@pytest.fixture(scope="module")
def kb_root() -> Path:
    return write_kb(Path(tempfile.mkdtemp(prefix="cfdoctor-fuzz-")), UNITS)


@FUZZ
@given(unit=st.sampled_from(sorted(UNITS)), text=mutated_yaml())
def test_knowledge_loader_answers_any_unit_with_a_kb_or_knowledge_error(
    kb_root: Path, unit: str, text: str
) -> None:
    path = kb_root / unit
    original = path.read_bytes()
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_knowledge([kb_root], include_bundled=False)
    except KnowledgeError as exc:
        assert exc.problems and all(p.path for p in exc.problems)
    finally:
        path.write_bytes(original)


@pytest.fixture(scope="module")
def toy_reasoner(kb_root: Path) -> Reasoner:
    return Reasoner(load_knowledge([kb_root], include_bundled=False))


JSON: Any = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=20,
)
FACTS = st.sampled_from(["t.status", "t.port", "t.dns_ok", "t.broken_name", "x", ""])


@st.composite
def session_bodies(draw: st.DrawFn, kb_version: str) -> str:
    item = st.fixed_dictionaries(
        {"fact": FACTS | JSON, "value": JSON | st.sampled_from([500, "open", True]), "source": JSON}
    )
    body: dict[str, Any] = {
        "format": draw(st.sampled_from(["cfdoctor-session", "x"])),
        "format_version": draw(st.sampled_from([1, 1, 2, "1"])),
        "kb_version": kb_version,
        "inputs": draw(st.lists(item | JSON, max_size=5) | JSON),
    }
    if draw(st.booleans()):
        body["digest"] = _digest(body)
    text = json.dumps(body)
    if draw(st.booleans()):
        pos = draw(st.integers(0, len(text)))
        text = (
            text[:pos]
            + draw(st.sampled_from(["[" * 5000, "9" * 5000, "NaN", "}", ""]))
            + text[pos:]
        )
    return text


def test_session_restore_answers_any_text_with_a_session_or_session_error(
    toy_reasoner: Reasoner,
) -> None:
    @FUZZ
    @given(session_bodies(toy_reasoner.kb.version))
    def run(text: str) -> None:
        try:
            session = Session.from_json(toy_reasoner, text)
        except SessionError:
            return
        session.diagnosis()
        assert Session.from_json(toy_reasoner, session.to_json()).facts == session.facts

    run()
