"""The knowledge base as JSON-ready dictionaries: the service's views, under their old name."""

from __future__ import annotations

from cfdoctor.service.views import (
    close_ids,
    facts_list,
    find_units,
    stats,
    validation,
)

__all__ = ["close_ids", "facts_list", "find_units", "stats", "validation"]
