"""Runbooks generated from the knowledge the engine reasons with, in English, Japanese, Chinese.

One runbook per symptom follows the engine's own strategy (the checks in the order question
selection asks them, and where each answer leads), then every cause with its fixes, dead ends,
sources and evidence grade. A single diagnosis can be written up the same way for a ticket.

    from cfdoctor.runbook import write_runbooks, diagnosis_markdown, diagnosis_html

Modules, one job each: ``flow`` (the decision flow, from the engine), ``build`` (runbook
Markdown), ``report`` (one diagnosis), ``render`` (Markdown to an HTML page), ``diagram`` (the
flow as an HTML tree), ``site`` (writing files), ``strings`` (gettext domain "runbook" and locale
formatting), ``shell`` (shell-safe commands), ``mdtext`` (inert Markdown from knowledge text).
Attributes load lazily so importing the package costs nothing until it is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cfdoctor.runbook.build import build_index, build_runbook
    from cfdoctor.runbook.flow import Flow, derive_flow
    from cfdoctor.runbook.render import render_page
    from cfdoctor.runbook.report import diagnosis_html, diagnosis_markdown
    from cfdoctor.runbook.site import RunbookError, write_runbooks

_WHERE = {
    "build_index": "build",
    "build_runbook": "build",
    "Flow": "flow",
    "derive_flow": "flow",
    "render_page": "render",
    "diagnosis_html": "report",
    "diagnosis_markdown": "report",
    "RunbookError": "site",
    "write_runbooks": "site",
}

__all__ = [
    "Flow",
    "RunbookError",
    "build_index",
    "build_runbook",
    "derive_flow",
    "diagnosis_html",
    "diagnosis_markdown",
    "render_page",
    "write_runbooks",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cfdoctor.runbook' has no attribute '{name}'")
    return getattr(import_module(f"cfdoctor.runbook.{module}"), name)
