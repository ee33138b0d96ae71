"""Evidence parsers: the artifacts people already have, turned into facts.

>>> from cfdoctor.evidence import parse_evidence
>>> ev = parse_evidence("curl-v.txt")          # a Path, a path, "-" (stdin) or the text itself
>>> session.observe_many(ev.facts.items(), source=ev.source)

`detect(text)` names the kind (`text` when only the scan of evidence.fragments finds signals);
`parse_all(sources)` parses several artifacts of one incident (or of one paste) so that each
informs the next; `inspect(config)` lints a distribution config; `redact(text)`
removes credentials; every failure is an `EvidenceError` (exit code 2).
"""

from __future__ import annotations

from cfdoctor.evidence.detect import detect
from cfdoctor.evidence.distribution import fetch_config, inspect
from cfdoctor.evidence.ingest import load, parse_all, parse_evidence, read_json
from cfdoctor.evidence.model import (
    KINDS,
    PROVIDER_KINDS,
    Context,
    Evidence,
    EvidenceError,
    Finding,
    Kind,
)
from cfdoctor.evidence.redact import redact
from cfdoctor.evidence.report import findings_json, findings_sarif

PROVIDERS: frozenset[str] = frozenset(f"parser:{k}" for k in PROVIDER_KINDS)
"""The `settled_by` names these parsers implement (for engine.validate.PROVIDERS)."""

__all__ = [
    "KINDS",
    "PROVIDERS",
    "Context",
    "Evidence",
    "EvidenceError",
    "Finding",
    "Kind",
    "detect",
    "fetch_config",
    "findings_json",
    "findings_sarif",
    "inspect",
    "load",
    "parse_all",
    "parse_evidence",
    "read_json",
    "redact",
]
