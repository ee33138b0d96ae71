"""Derived flows, kept in memory per reasoner and on disk per knowledge base and engine code.

A flow is a pure function of the knowledge (its version is a content digest) and of the code
that asks questions and walks the flow; deriving the big ones takes seconds, writing the
pages a fraction of that. So a flow is derived once, and `cfdoctor runbook` in three languages
and two formats reuses it, in this process and in the next one while nothing changed.
"""

from __future__ import annotations

import hashlib
import weakref
from functools import cache
from pathlib import Path

from cfdoctor.engine.kbcache import cache_dir, read_cached, write_cached
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.runbook.flow import Flow, Lead, Step, derive_flow

_IN_MEMORY: weakref.WeakKeyDictionary[Reasoner, dict[str, Flow]] = weakref.WeakKeyDictionary()


@cache
def code_digest() -> str:
    """Digest of the code a flow depends on: the engine and the flow walk itself."""
    package = Path(__file__).resolve().parents[1]
    sources = [*sorted((package / "engine").glob("*.py")), package / "runbook" / "flow.py"]
    h = hashlib.sha256()
    for source in sources:
        h.update(source.read_bytes())
    return h.hexdigest()[:12]


def cached_flow(reasoner: Reasoner, symptom_id: str) -> Flow:
    flows = _IN_MEMORY.setdefault(reasoner, {})
    if symptom_id in flows:
        return flows[symptom_id]
    path = cache_dir() / f"flow-{reasoner.kb.version}-{code_digest()}-{symptom_id}.pickle"
    flow = read_cached(path, Flow, builds=(Step, Lead))
    if flow is None or flow.symptom.id != symptom_id:
        flow = derive_flow(reasoner, symptom_id)
        write_cached(path, flow)
    flows[symptom_id] = flow
    return flow
