"""Each broken origin of the lab, probed and diagnosed: its own cause must come first.

The probe's facts go into a Session the way the CLI does it (observe_many per probe), plus the
status CloudFront would show the viewer (502 or 504); nothing else is told to the engine.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cfdoctor.api import new_session
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.scoring import UNEXPLAINED, Ranking
from cfdoctor.lab import Lab
from cfdoctor.lab.lab import FAULTS
from cfdoctor.probes import ProbeResult


def _diagnose(reasoner: Reasoner, result: ProbeResult, status: int) -> Ranking:
    session = new_session(reasoner)
    result.observe_into(session)
    session.observe("viewer.status", status, source="test")
    return session.evaluation().ranking


def _table(ranking: Ranking) -> str:
    top = ", ".join(f"{s.cause}={s.posterior:.3f}" for s in ranking.scores[:4])
    return f"{top}, {UNEXPLAINED}={ranking.unexplained:.3f}"


@pytest.mark.parametrize("fault", FAULTS)
def test_probe_facts_rank_the_fault_first(
    reasoner: Reasoner, lab: Lab, probed: Callable[[str], ProbeResult], fault: str
) -> None:
    origin = lab.origin(fault)
    result = probed(fault)
    ranking = _diagnose(reasoner, result, origin.viewer_status)
    why = f"{fault}: {_table(ranking)}; facts {result.facts}; errors {result.errors}"
    if origin.expected_cause is None:
        assert ranking.confident is None, why
    else:
        lead = ranking.leader
        assert lead is not None and lead.cause == origin.expected_cause, why
        assert lead.posterior > ranking.unexplained, why


@pytest.mark.parametrize("status", [502, 504])
def test_healthy_origin_yields_no_confident_cause(
    reasoner: Reasoner, probed: Callable[[str], ProbeResult], status: int
) -> None:
    """nuclei's habit: where nothing is wrong, nothing may be concluded."""
    ranking = _diagnose(reasoner, probed("healthy"), status)
    assert ranking.confident is None, _table(ranking)
    assert all(s.posterior < 0.5 for s in ranking.scores), _table(ranking)
