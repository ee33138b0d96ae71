"""The documents the CLI reads and writes: the service's, under their old names."""

from __future__ import annotations

from cfdoctor.service.documents import (
    INSPECT_FORMATS,
    REPORT_FORMATS,
    STDIN,
    ingest,
    inspect_config,
    inspect_context,
    read_document,
    report_text,
    source_of,
    write_runbooks,
)

__all__ = [
    "INSPECT_FORMATS",
    "REPORT_FORMATS",
    "STDIN",
    "ingest",
    "inspect_config",
    "inspect_context",
    "read_document",
    "report_text",
    "source_of",
    "write_runbooks",
]
