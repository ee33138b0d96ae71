"""Orchestration shared by every front-end (CLI, HTTP API, MCP server): sessions with facts,
evidence and answers, diagnoses and reports, evidence parsing, config inspection, the knowledge
base's views, and probes under an address policy. Front-ends adapt it; none of them reasons.
"""

from __future__ import annotations

from cfdoctor.service.conversation import (
    Conversation,
    DiagnosisService,
    LimitError,
    Limits,
    NotFoundError,
    check_lang,
)

__all__ = [
    "Conversation",
    "DiagnosisService",
    "LimitError",
    "Limits",
    "NotFoundError",
    "check_lang",
]
