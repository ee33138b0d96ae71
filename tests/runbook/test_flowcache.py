"""Flows are derived once per knowledge base and engine code, and reused across processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.runbook import flowcache
from cfdoctor.runbook.flow import derive_flow
from tests.runbook.minikb import mini_units
from tests.toykb import write_kb


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CFDOCTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CFDOCTOR_NO_CACHE", raising=False)
    return tmp_path / "cache" / "cfdoctor"


def _steps(flow: object) -> list[tuple[str, object, object]]:
    return [(s.check.id, s.via, s.leads) for s in flow.steps]  # type: ignore[attr-defined]


def test_a_new_process_reuses_the_flow_from_disk(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb_dir = write_kb(tmp_path / "kb", mini_units())
    first = Reasoner(load_knowledge([kb_dir], include_bundled=False))
    derived = flowcache.cached_flow(first, "s-502")
    assert list(cache.glob("flow-*-s-502.pickle"))

    def no_walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("derived again although the cache holds the flow")

    monkeypatch.setattr(flowcache, "derive_flow", no_walk)
    second = Reasoner(load_knowledge([kb_dir], include_bundled=False))  # as a new process would
    assert _steps(flowcache.cached_flow(second, "s-502")) == _steps(derived)


def test_cached_flow_equals_a_fresh_walk(cache: Path, tmp_path: Path) -> None:
    kb_dir = write_kb(tmp_path / "kb", mini_units())
    reasoner = Reasoner(load_knowledge([kb_dir], include_bundled=False))
    flowcache.cached_flow(reasoner, "s-504")
    again = Reasoner(load_knowledge([kb_dir], include_bundled=False))
    assert _steps(flowcache.cached_flow(again, "s-504")) == _steps(derive_flow(again, "s-504"))


def test_other_knowledge_gets_its_own_flow(cache: Path, tmp_path: Path) -> None:
    units = mini_units()
    a = Reasoner(load_knowledge([write_kb(tmp_path / "a", units)], include_bundled=False))
    flowcache.cached_flow(a, "s-502")
    (check,) = [k for k in units if k.startswith("checks/")][:1]
    units[check]["cost"] = units[check]["cost"] + 7
    b = Reasoner(load_knowledge([write_kb(tmp_path / "b", units)], include_bundled=False))
    assert a.kb.version != b.kb.version
    flowcache.cached_flow(b, "s-502")
    assert len(list(cache.glob("flow-*-s-502.pickle"))) == 2
