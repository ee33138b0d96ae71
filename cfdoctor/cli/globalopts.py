"""The global options (`--kb`, `--lang`, `--verbose`) on every command as well as before it.

People write `cfdoctor diagnose --lang ja` as readily as `cfdoctor --lang ja diagnose`. The root
callback declares the options and settles them first; `attach()` gives every subcommand (and
nested group) a copy of each, shown in its `--help`, whose callback applies a value given after
the command name on top of what the root settled: `--lang` replaces the language, `--kb` adds
directories, `--verbose` turns the log on. A command that has an option of the same name itself
(`runbook --lang all`) keeps its own.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typer._click import Context, Parameter
    from typer._click.core import Command

    from cfdoctor.cli.app import Run

GLOBAL_OPTIONS = ("kb", "lang", "verbose")


def attach(root: Command) -> None:
    """Copy the root's global options onto every command below it (idempotent)."""
    templates = [p for p in root.params if p.name in GLOBAL_OPTIONS]
    for command in _descendants(root):
        taken = {p.name for p in command.params} | {o for p in command.params for o in p.opts}
        for template in templates:
            if template.name in taken or taken.intersection(template.opts):
                continue
            option = copy.copy(template)
            option.expose_value = False
            option.is_eager = False
            assert template.name is not None
            option.callback = _APPLY[template.name]
            command.params.append(option)


def _descendants(group: Command) -> list[Command]:
    found: list[Command] = []
    for command in getattr(group, "commands", {}).values():
        found.append(command)
        found.extend(_descendants(command))
    return found


def _given(ctx: Context, param: Parameter) -> bool:
    """Typed by the user, not a default (compared by name: older typers use click's enum)."""
    source = ctx.get_parameter_source(param.name) if param.name else None
    return source is not None and source.name in ("COMMANDLINE", "ENVIRONMENT")


def _replace_run(ctx: Context, **changes: Any) -> None:
    from cfdoctor.cli.app import Run

    run: Run | None = ctx.find_object(Run)
    if run is not None:  # None only while Click completes shell words
        ctx.obj = dataclasses.replace(run, **changes)


def _apply_lang(ctx: Context, param: Parameter, value: str | None) -> None:
    if not _given(ctx, param) or value is None:
        return
    from cfdoctor import i18n
    from cfdoctor.cli.app import UsageError

    try:
        chosen = i18n.choose(value)
    except i18n.LanguageError as exc:
        raise UsageError(str(exc)) from None
    i18n.activate(chosen)  # the root callback restores the previous language on close
    _replace_run(ctx, lang=chosen)


def _apply_kb(ctx: Context, param: Parameter, value: Any) -> None:
    if not _given(ctx, param) or not value:
        return
    run = _run(ctx)
    if run is not None:
        _replace_run(ctx, kb_dirs=(*run.kb_dirs, *value))


def _apply_verbose(ctx: Context, param: Parameter, value: bool) -> None:
    if not _given(ctx, param) or not value:
        return
    logger = logging.getLogger("cfdoctor")
    if logger.handlers and logger.level == logging.DEBUG:
        return  # --verbose before the command as well
    from cfdoctor.cli.app import _log_to_stderr

    _log_to_stderr(ctx)


def _run(ctx: Context) -> Run | None:
    from cfdoctor.cli.app import Run

    found: Run | None = ctx.find_object(Run)
    return found


_APPLY: dict[str, Callable[[Context, Parameter, Any], None]] = {
    "kb": _apply_kb,
    "lang": _apply_lang,
    "verbose": _apply_verbose,
}
