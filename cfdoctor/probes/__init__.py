"""Live probes of an origin (DNS, TCP, TLS, HTTP): facts with evidence, never a diagnosis.

>>> from cfdoctor.probes import ProbeTarget, probe
>>> result = probe(ProbeTarget("origin.example.com", sni="origin.example.com"))
>>> result.facts            # {"origin.dns.status": "resolves", "origin.tcp.connect": ...}
>>> result.observe_into(session)
"""

from __future__ import annotations

from cfdoctor.probes.dns import make_resolver
from cfdoctor.probes.policy import AddressPolicy, AddressRefusedError
from cfdoctor.probes.result import Finding, ProbeResult, StepReport
from cfdoctor.probes.run import ProgressCallback, ProgressEvent, probe
from cfdoctor.probes.target import (
    ProbeInputError,
    ProbeTarget,
    target_from_options,
    target_from_origin_config,
)

PROVIDERS = frozenset({"probe:dns", "probe:tcp", "probe:tls", "probe:http"})
"""The providers this package implements (for the engine's PROVIDERS)."""

__all__ = [
    "PROVIDERS",
    "AddressPolicy",
    "AddressRefusedError",
    "Finding",
    "ProbeInputError",
    "ProbeResult",
    "ProbeTarget",
    "ProgressCallback",
    "ProgressEvent",
    "StepReport",
    "make_resolver",
    "probe",
    "target_from_options",
    "target_from_origin_config",
]
