"""The commands around the diagnosis: probe an origin, run the lab, inspect a config, write
runbooks. Thin like the rest of the CLI: cli/probing.py and cli/documents.py do the work,
cli/console.py prints, and everything heavy is imported inside the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cfdoctor import __version__
from cfdoctor.cli.app import EXIT_FAILURE, STDIN, UsageError, run_of
from cfdoctor.cli.options import (
    ca_bundle_option,
    dns_server_option,
    host_header_option,
    json_option,
    path_option,
    port_option,
    protocol_option,
    read_timeout_option,
    sni_option,
    timeout_option,
)
from cfdoctor.i18n import gettext as _


def probe(
    ctx: typer.Context,
    origin: Annotated[
        str,
        typer.Argument(
            metavar="ORIGIN",
            help=_("The origin's domain name (an IP address for a local test server)."),
        ),
    ] = "",
    port: Annotated[int | None, port_option(config=True)] = None,
    protocol: Annotated[str | None, protocol_option(config=True)] = None,
    sni: Annotated[str | None, sni_option()] = None,
    host_header: Annotated[str | None, host_header_option(config=True)] = None,
    path: Annotated[
        str | None,
        typer.Option("--path", metavar="/x", help=_("Path to request from the origin.")),
    ] = None,
    timeout: Annotated[float | None, timeout_option()] = None,
    read_timeout: Annotated[float | None, read_timeout_option()] = None,
    ca_bundle: Annotated[Path | None, ca_bundle_option()] = None,
    dns_server: Annotated[str | None, dns_server_option()] = None,
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help=_(
                "Probe an origin of this get-distribution-config JSON (- reads stdin) with its "
                "ports, protocol policy, SSL protocols, forwarded Host and timeouts."
            ),
        ),
    ] = None,
    origin_id: Annotated[
        str | None,
        typer.Option(
            "--origin",
            metavar="ID",
            help=_("With --config: the origin's Id or domain name (needed if it has several)."),
        ),
    ] = None,
    json_out: Annotated[bool, json_option()] = False,
) -> None:
    run = run_of(ctx)
    from cfdoctor.cli import probing

    options = probing.ProbeOptions(
        port, protocol, sni, host_header, path, timeout, read_timeout, ca_bundle, dns_server
    )
    if config is not None:
        if origin:
            raise UsageError(_("give ORIGIN or --config FILE, not both"))
        target = probing.target_from_config(config, origin_id, options)
    elif not origin:
        raise UsageError(_("missing ORIGIN (or --config FILE)"))
    elif origin_id is not None:
        raise UsageError(_("--origin chooses an origin of --config FILE"))
    else:
        target = probing.target_from_cli(origin, options)
    result = probing.run_probe(
        target, dns_server, run.console, progress=not json_out and sys.stderr.isatty()
    )
    from cfdoctor.engine.errors import KnowledgeError

    try:
        short = probing.short_diagnosis(run.reasoner(), result, run.lang)
    except KnowledgeError:  # what was probed is still worth showing; diagnose reports the KB
        short = None
    if json_out:
        run.console.json({**result.to_dict(), "diagnosis": short})
        return
    extra = ["--evidence", config] if config is not None else []
    hint = probing.diagnose_command(target, dns_server, [*extra, "--fact", "viewer.status=502"])
    run.console.probe(result.to_dict(), short, hint)


def lab(ctx: typer.Context, json_out: Annotated[bool, json_option()] = False) -> None:
    run = run_of(ctx)
    import signal

    from cfdoctor.cli.probing import lab_dict
    from cfdoctor.lab import start_lab

    with start_lab() as running:
        previous = signal.signal(signal.SIGTERM, lambda *_: running.stop())
        try:
            shown = lab_dict(running)
            if json_out:
                run.console.json(shown)
            else:
                run.console.lab(shown)
            running.wait()
        except KeyboardInterrupt:
            pass  # Ctrl-C is how the lab is meant to end
        finally:
            signal.signal(signal.SIGTERM, previous)
    if not json_out:
        run.console.lab_stopped()


def inspect(
    ctx: typer.Context,
    config: Annotated[
        str | None,
        typer.Argument(
            metavar="[CONFIG.json]",
            help=_("aws cloudfront get-distribution-config output (- reads stdin)."),
        ),
    ] = None,
    path: Annotated[str | None, path_option()] = None,
    json_out: Annotated[bool, json_option()] = False,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="text|json|sarif",
            help=_("Output format; sarif (2.1.0) is for CI and code scanning."),
        ),
    ] = None,
    distribution_id: Annotated[
        str | None,
        typer.Option(
            "--distribution-id",
            metavar="ID",
            help=_("Fetch the config with your AWS credentials instead (needs cfdoctor[aws])."),
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", metavar="NAME", help=_("AWS profile for --distribution-id.")),
    ] = None,
    policy: Annotated[
        list[str] | None,
        typer.Option(
            "--policy",
            metavar="FILE",
            help=_(
                "A cache or origin request policy (get-cache-policy, get-origin-request-policy) "
                "or API routes the config uses (repeatable)."
            ),
        ),
    ] = None,
) -> None:
    run = run_of(ctx)
    chosen = _inspect_format(fmt, json_out)
    if (config is None) == (distribution_id is None):
        raise UsageError(_("give CONFIG.json or --distribution-id ID, exactly one of them"))
    if profile is not None and distribution_id is None:
        raise UsageError(_("--profile is for --distribution-id"))
    import json

    from cfdoctor.cli import documents
    from cfdoctor.evidence import fetch_config, findings_json, findings_sarif

    context = documents.inspect_context(policy or [], path)
    if distribution_id is not None:
        data: Any = fetch_config(distribution_id, profile=profile)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        label = f"{distribution_id}.json"
    else:
        assert config is not None
        data, text, label = documents.read_document(config)
    findings = documents.inspect_config(data, label, context)
    report = {"config": label, "path": path, **findings_json(findings, run.lang)}
    if chosen == "sarif":
        uri = "stdin" if config == STDIN else label
        sarif = findings_sarif(
            findings, artifact_uri=uri, document=text, version=__version__, lang=run.lang
        )
        run.console.json(sarif)
    elif chosen == "json":
        run.console.json(report)
    else:
        run.console.findings(report)
    if report["counts"]["error"]:
        raise typer.Exit(EXIT_FAILURE)


def _inspect_format(fmt: str | None, json_out: bool) -> str:
    from cfdoctor.cli.documents import INSPECT_FORMATS

    if fmt is not None and fmt not in INSPECT_FORMATS:
        raise UsageError(
            _("bad --format '{value}': expected text, json or sarif").format(value=fmt)
        )
    if json_out and fmt not in (None, "json"):
        raise UsageError(_("--json and --format {value} disagree").format(value=fmt))
    return "json" if json_out else (fmt or "text")


def runbook(
    ctx: typer.Context,
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SYMPTOM|STATUS]...",
            help=_("Symptom ids or status codes, e.g. 502 (default: every symptom)."),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="en|ja|zh|all",
            help=_("Language of the runbooks (default: the interface language)."),
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", metavar="md|html", help=_("Markdown files or a static site.")),
    ] = "md",
    out: Annotated[
        Path,
        typer.Option("--out", metavar="DIR", help=_("Directory to write them to.")),
    ] = Path("runbooks"),
    json_out: Annotated[bool, json_option()] = False,
) -> None:
    run = run_of(ctx)
    from cfdoctor.cli import documents

    progress = None
    if sys.stderr.isatty():
        run.console.progress(_("deriving the decision flows (this takes a few seconds)…"))
        if not sys.stdout.isatty():  # the paths go to a pipe: show them here as they come
            progress = run.console.progress
    written = documents.write_runbooks(
        run.reasoner(), targets or [], lang or run.lang, fmt, out, progress
    )
    paths = [str(p) for p in written]
    if json_out:
        run.console.json({"written": paths})
    else:
        run.console.written(paths)
