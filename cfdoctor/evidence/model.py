"""What a parser hands back: typed facts of the knowledge base's vocabulary, findings, and context.

Parsers are pure: text in, `Evidence` out. They never touch a session; the caller posts
`evidence.facts` with `Session.observe_many(..., source=f"evidence:{evidence.label}")`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.engine.model import Text, Value

Kind = Literal[
    "http-transcript",
    "har",
    "openssl",
    "dig",
    "distribution-config",
    "access-log",
    "cloudfront-policy",
    "apigw-routes",
    "text",
]
"""Artifact kinds. The first six are the parsers a fact may name in `settled_by` (parser:KIND);
the next two are companions of a distribution config that yield no facts on their own; `text`
is the last resort, the scan of a paste for known signals (evidence.fragments)."""

KINDS: tuple[Kind, ...] = get_args(Kind)

PROVIDER_KINDS: tuple[Kind, ...] = KINDS[:6]

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Context:
    """What other artifacts of the same incident tell a parser (see `parse_all`).

    A transcript gives the failing path and Host; dig gives CNAME chains (an edge-optimized API
    resolves to cloudfront.net); the distribution config gives the origin's domain and timeouts.
    """

    path: str | None = None
    method: str | None = None
    host: str | None = None
    origin_domain: str | None = None
    cname_chains: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """DNS name -> its CNAME chain."""
    policies: Sequence[Mapping[str, Any]] = ()
    """get-/list- cache and origin request policy outputs."""
    api_routes: Sequence[tuple[str, str]] = ()
    """(method or ANY, path template) from get-resources / get-routes output."""
    connection_timeout: float = 10.0
    read_timeout: float = 30.0


class EvidenceError(CfdoctorError):
    """Evidence that cannot be read or recognised; the message names the file and what is wrong."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Finding:
    """One result of static analysis: what was found, where (JSON path), and the fact it implies."""

    id: str
    severity: Severity
    message: Text
    json_path: str
    fact: tuple[str, Value] | None = None

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.severity,
            "message": self.message.get(lang),
            "json_path": self.json_path,
            "fact": None if self.fact is None else {"name": self.fact[0], "value": self.fact[1]},
        }


@dataclass(frozen=True)
class Evidence:
    """Facts read from one artifact, plus what other parsers may use (hints) or people may read."""

    kind: Kind
    label: str
    facts: dict[str, Value]
    findings: tuple[Finding, ...] = ()
    hints: dict[str, str] = field(default_factory=dict)
    """Context for parsing other artifacts of the same incident: path, host, origin_domain, ..."""
    details: dict[str, Any] = field(default_factory=dict)
    """JSON-ready summary (certificates, DNS answers, log counts) for display; never reasoned on."""

    @property
    def provider(self) -> str | None:
        """The `settled_by` name of the parser, or None for companion documents."""
        return f"parser:{self.kind}" if self.kind in PROVIDER_KINDS else None

    @property
    def source(self) -> str:
        """The session input source for these facts."""
        return f"evidence:{self.label}"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "facts": dict(self.facts),
            "findings": [f.to_dict(lang) for f in self.findings],
            "hints": dict(self.hints),
            "details": self.details,
        }
