"""What a probe found: facts of the knowledge base's vocabulary, each with its evidence.

Probes produce facts only; the engine reasons. The evidence (a certificate's names and dates,
the resolved addresses, the measured time to first byte) is short text for the explanation,
so a user can see why a fact holds without rerunning anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from cfdoctor.engine.model import Value
from cfdoctor.probes.target import ProbeTarget

if TYPE_CHECKING:
    from cfdoctor.engine.session import Session

StepName = Literal["dns", "tcp", "tls", "http"]
StepStatus = Literal["ok", "failed", "skipped", "refused"]
STEPS: tuple[StepName, ...] = ("dns", "tcp", "tls", "http")


@dataclass(frozen=True, slots=True)
class Finding:
    """One fact a probe established, and why."""

    fact: str
    value: Value
    evidence: str
    source: str
    """The provider that settled it: probe:dns, probe:tcp, probe:tls or probe:http."""


@dataclass(frozen=True, slots=True)
class StepReport:
    """How one probe step went: `failed` means the origin failed it, not that the probe broke."""

    step: StepName
    status: StepStatus
    seconds: float
    detail: str


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """Facts with evidence, how each step went, and what could not be established."""

    target: ProbeTarget
    findings: tuple[Finding, ...]
    steps: tuple[StepReport, ...]
    errors: tuple[str, ...] = ()
    """What could not be established and why (shown to the user, never silently dropped)."""
    refusal: str | None = None
    """Set when the address policy forbade contacting the origin; nothing was contacted then."""
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    """Measurements that are not facts (addresses, negotiated protocol, timings) for --json."""

    @property
    def facts(self) -> dict[str, Value]:
        return {f.fact: f.value for f in self.findings}

    @property
    def evidence(self) -> dict[str, str]:
        return {f.fact: f.evidence for f in self.findings}

    def raise_if_refused(self) -> None:
        """AddressRefusedError when the policy refused the origin (for callers that must fail)."""
        if self.refusal is not None:
            from cfdoctor.probes.policy import AddressRefusedError

            raise AddressRefusedError(self.refusal)

    def by_source(self) -> dict[str, list[tuple[str, Value]]]:
        """Facts grouped by provider, the shape `Session.observe_many(items, source)` takes."""
        out: dict[str, list[tuple[str, Value]]] = {}
        for f in self.findings:
            out.setdefault(f.source, []).append((f.fact, f.value))
        return out

    def observe_into(self, session: Session) -> None:
        """Add every fact to `session`, all or nothing, each under its probe as source."""
        from cfdoctor.engine.errors import FactError
        from cfdoctor.engine.values import type_problem

        kb = session.reasoner.kb
        for f in self.findings:  # check everything first: observe_many is atomic per source only
            fact = kb.facts.get(f.fact)
            problem = "unknown fact" if fact is None else type_problem(fact, f.value)
            if fact is not None and fact.derived:
                problem = "derived fact"
            if problem:
                raise FactError(f"probe produced {f.fact}={f.value!r}: {problem}")
        for source, items in self.by_source().items():
            session.observe_many(items, source)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for `cfdoctor probe --json` and the servers."""
        t = self.target
        return {
            "target": {
                "domain": t.domain,
                "protocol": t.protocol,
                "port": t.port,
                "sni": t.server_name,
                "host_header": t.host,
                "path": t.path,
                "connect_timeout": t.connect_timeout,
                "read_timeout": t.read_timeout,
                "origin_ssl_protocols": list(t.origin_ssl_protocols),
                "ca_bundle": t.ca_bundle,
            },
            "facts": [
                {"fact": f.fact, "value": f.value, "evidence": f.evidence, "source": f.source}
                for f in self.findings
            ],
            "steps": [
                {
                    "step": s.step,
                    "status": s.status,
                    "seconds": round(s.seconds, 4),
                    "detail": s.detail,
                }
                for s in self.steps
            ],
            "errors": list(self.errors),
            "refusal": self.refusal,
            "seconds": round(self.seconds, 4),
            "extra": self.extra,
        }


@dataclass(slots=True)
class Findings:
    """What one step collected: facts with evidence, problems, and measurements."""

    source: str
    items: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, fact: str, value: Value, evidence: str) -> None:
        self.items.append(Finding(fact, value, evidence, self.source))
