"""`cfdoctor serve` (HTTP JSON API) and `cfdoctor mcp` (MCP server): options in, a server run.

Both need the optional extra `server`; without it they say so in one line (exit 2). Secrets
(the bearer token, the signing keys) come from the environment or a file, never from an option
value that `ps` would show.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from cfdoctor.cli.app import UsageError, run_of
from cfdoctor.i18n import gettext as _


def _need_server_extra() -> None:
    import importlib.util

    for module in ("starlette", "uvicorn", "mcp"):
        if importlib.util.find_spec(module) is None:
            raise UsageError(
                _("this command needs the server extra: pip install 'cfdoctor[server]'")
            )


def _secret(path: Path | None, variable: str) -> str | None:
    if path is None:
        return os.environ.get(variable) or None
    return path.read_text(encoding="utf-8").strip() or None


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option("--host", metavar="ADDR", help=_("Address to listen on."))
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", help=_("Port to listen on."))] = 8080,
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", help=_("Worker processes (memory store: 1)."))
    ] = 1,
    store: Annotated[
        str,
        typer.Option(
            "--store",
            metavar="memory|stateless|redis://…",
            help=_(
                "Where sessions live: this process's memory, signed tokens the client keeps "
                "(keys in CFDOCTOR_SERVER_KEYS), or Redis shared by every worker."
            ),
        ),
    ] = "memory",
    session_ttl: Annotated[
        float, typer.Option("--session-ttl", metavar="SECONDS", help=_("Session lifetime."))
    ] = 3600.0,
    max_sessions: Annotated[
        int,
        typer.Option("--max-sessions", metavar="N", help=_("Live sessions kept in memory.")),
    ] = 100_000,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", help=_("Time cap of one request."))
    ] = 30.0,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--cors-origin",
            metavar="ORIGIN",
            help=_("Allow browser calls from ORIGIN (repeatable; CORS is off by default)."),
        ),
    ] = None,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            metavar="FILE",
            help=_("Require this bearer token (default: CFDOCTOR_SERVER_TOKEN, if set)."),
        ),
    ] = None,
    keys_file: Annotated[
        Path | None,
        typer.Option(
            "--keys-file",
            metavar="FILE",
            help=_("Signing keys kid:secret,… for --store stateless (default: the environment)."),
        ),
    ] = None,
) -> None:
    run = run_of(ctx)
    _need_server_extra()
    from cfdoctor.server.config import KEYS_ENV, TOKEN_ENV, ServerConfig

    if workers < 1:
        raise UsageError(_("--workers must be at least 1"))
    if workers > 1 and store == "memory":
        raise UsageError(
            _("--store memory keeps sessions in one process: use --workers 1, or Redis")
        )
    config = ServerConfig(
        store=store,
        session_ttl=session_ttl,
        max_sessions=max_sessions,
        request_timeout=timeout,
        cors_origins=tuple(cors_origin or ()),
        kb_dirs=tuple(str(d.resolve()) for d in run.kb_dirs),
        keys=_secret(keys_file, KEYS_ENV),
        bearer_token=_secret(token_file, TOKEN_ENV),
    )
    from cfdoctor.server.app import create_app

    try:
        create_app(config)  # fails here, in one line, rather than in every worker
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    os.environ.update(config.to_env())
    import uvicorn

    run.console.progress(
        _("serving the HTTP API on http://{host}:{port} ({store} sessions)").format(
            host=host, port=port, store=store.split("://")[0]
        )
    )
    uvicorn.run(
        "cfdoctor.server.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,  # the app logs each request without ids, tokens or bodies
        h11_max_incomplete_event_size=64 * 1024,  # a signed token in the path (16 KiB max)
        log_level="warning",
    )


def mcp(
    ctx: typer.Context,
    http: Annotated[
        bool,
        typer.Option("--http", help=_("Serve streamable HTTP instead of stdio.")),
    ] = False,
    host: Annotated[
        str, typer.Option("--host", metavar="ADDR", help=_("Address to listen on."))
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="N", help=_("Port to listen on."))] = 8081,
) -> None:
    run = run_of(ctx)
    _need_server_extra()
    from cfdoctor.api import open_reasoner
    from cfdoctor.server.mcp import build_server
    from cfdoctor.service import DiagnosisService

    server = build_server(DiagnosisService(open_reasoner(run.kb_dirs)))
    if not http:
        server.run("stdio")  # stdout carries the protocol: nothing else may print there
        return
    run.console.progress(
        _("serving MCP over streamable HTTP on http://{host}:{port}/mcp").format(
            host=host, port=port
        )
    )
    server.run("streamable-http", host=host, port=port)
