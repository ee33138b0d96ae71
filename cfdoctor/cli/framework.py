"""Typer's own interface labels, listed so that extraction puts them in our catalogs.

Typer translates these section titles of `--help` through the stdlib's global gettext (see
i18n.route_framework_gettext); the msgids must match Typer's strings exactly. The labels it
hard-codes ("Usage:", "Show this message and exit.") stay English.
"""

from __future__ import annotations

from cfdoctor.i18n import N_

TYPER_LABELS: tuple[str, ...] = (N_("Options"), N_("Commands"))
