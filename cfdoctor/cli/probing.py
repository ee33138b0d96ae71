"""The CLI's side of probing: the service's probing, with progress on stderr and no address
policy (the person at the terminal names what to probe, their own 127.0.0.1 included)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cfdoctor.cli.console import Console
from cfdoctor.service.probing import (
    SHORT_CAUSES,
    ProbeOptions,
    diagnose_command,
    lab_dict,
    pick_origin,
    short_diagnosis,
    target_for_diagnose,
    target_from_cli,
    target_from_config,
    target_from_config_data,
)

if TYPE_CHECKING:
    from cfdoctor.probes import ProbeResult, ProbeTarget

__all__ = [
    "SHORT_CAUSES",
    "ProbeOptions",
    "diagnose_command",
    "lab_dict",
    "pick_origin",
    "run_probe",
    "short_diagnosis",
    "target_for_diagnose",
    "target_from_cli",
    "target_from_config",
    "target_from_config_data",
]


def run_probe(
    target: ProbeTarget, dns_server: str | None, console: Console, *, progress: bool
) -> ProbeResult:
    """Probe `target` (allow_all: the user named it), showing each step on stderr if asked."""
    from cfdoctor.probes import AddressPolicy
    from cfdoctor.service import probing

    return probing.run_probe(
        target,
        dns_server,
        policy=AddressPolicy.allow_all(),
        progress=console.probe_progress if progress else None,
    )
