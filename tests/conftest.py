"""Shared fixtures: the bundled knowledge base is loaded and compiled once per test run."""

from __future__ import annotations

import pytest

from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.engine.reasoner import Reasoner


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="session")
def reasoner(kb: KnowledgeBase) -> Reasoner:
    return Reasoner(kb)
