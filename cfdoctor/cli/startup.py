"""Start-up and exit time of a one-shot command: build only the command a run invokes, and
leave without tearing the interpreter down.

Typer turns every registered command into a Click command before it parses anything, reading
each function's signature and evaluating its annotations: about a third of a one-shot
`cfdoctor diagnose --json` run went to commands it never called. `prune()` keeps the invoked
command only. It changes nothing a user sees: the root's help, an unknown name and shell
completion still get every command, because then nothing is pruned.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Sequence
from typing import NoReturn

import typer

ROOT_OPTIONS_WITH_VALUE = ("--kb", "--lang")
ROOT_HELP = ("-h", "--help", "--version")


def invoked(args: Sequence[str]) -> str | None:
    """The command name in `args` (after the root's options), or None when the root itself
    answers (help, version, no command)."""
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ROOT_HELP or arg == "--":
            return None
        if arg in ROOT_OPTIONS_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def prune(app: typer.Typer, args: Sequence[str]) -> None:
    """Drop every registered command but the one `args` invoke, if it is a known one."""
    name = invoked(args)
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if name is None or not (commands or groups):
        return
    app.registered_commands = commands
    app.registered_groups = groups


def run() -> NoReturn:
    """The `cfdoctor` console script: `main()`, then an exit that skips the interpreter's
    teardown.

    Freeing the knowledge base and the rule engine object by object at exit cost a one-shot run
    40-60 ms of CPU, a quarter of its time, for memory the OS reclaims at once. Everything a
    normal exit does that matters still happens: the atexit handlers run (logging's flush,
    temporary files), stdout and stderr are flushed. When that cannot be done cleanly (another
    thread still runs, a stream will not flush), the normal exit takes over and reports it.
    """
    from cfdoctor.cli.app import main

    code = main()
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: the stream was closed when cfdoctor started
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
