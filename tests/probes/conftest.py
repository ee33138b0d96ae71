"""The broken-origins lab, started once for all probe tests; every probe of it is cached.

Only 127.0.0.1 is ever contacted. Timeouts are short (0.5 s) so the dropping port and the
slow origin cost half a second each, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from cfdoctor.lab import Lab, LabOrigin, start_lab
from cfdoctor.probes import ProbeResult, make_resolver, probe

LAB_TIMEOUT = 0.5


@pytest.fixture(scope="package")
def lab() -> Iterator[Lab]:
    """One lab for the probe tests; stopped when they end, so its threads do not outlive them
    (the runbook forks workers only while no other thread runs)."""
    with start_lab(timeout=LAB_TIMEOUT, slow_seconds=1.5) as running:
        yield running


@pytest.fixture(scope="package")
def probed(lab: Lab) -> Callable[[str], ProbeResult]:
    """The probe result of a lab origin by fault name, probed once per test session."""
    cache: dict[str, ProbeResult] = {}

    def get(fault: str) -> ProbeResult:
        if fault not in cache:
            cache[fault] = probe_origin(lab.origin(fault))
        return cache[fault]

    return get


def probe_origin(origin: LabOrigin) -> ProbeResult:
    resolver = make_resolver(origin.nameserver) if origin.nameserver else None
    return probe(origin.target, resolver=resolver)
