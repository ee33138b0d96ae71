"""Fixtures: the mini knowledge base (real translations), loaded once per test session."""

from __future__ import annotations

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.reasoner import Reasoner
from tests.runbook.minikb import mini_units
from tests.toykb import write_kb


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Reasoner:
    root = write_kb(tmp_path_factory.mktemp("minikb"), mini_units())
    return Reasoner(load_knowledge([root], include_bundled=False))
