"""cfdoctor's command line: thin commands over the engine; cli/console.py does all the printing.

Help texts are translated when the app is built and run, not when this module is imported:
`build_app()` passes `help=_()` to each command, and Typer evaluates the (postponed) option
annotations, with their `help=_()`, when it turns the app into Click commands. `main()`
therefore settles the language first. The engine and rich are imported inside the commands, so
`--help` and `--json` runs stay fast.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from cfdoctor import __version__, i18n
from cfdoctor.cli.console import Console
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
from cfdoctor.engine.errors import CfdoctorError, KnowledgeError
from cfdoctor.i18n import N_, ngettext
from cfdoctor.i18n import gettext as _

if TYPE_CHECKING:
    from typer._click import Context as ClickContext

    from cfdoctor.engine.model import KnowledgeBase
    from cfdoctor.engine.reasoner import Reasoner
    from cfdoctor.engine.session import Session
    from cfdoctor.probes import ProbeTarget

log = logging.getLogger("cfdoctor.cli")

EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_KNOWLEDGE = 3
EXIT_SESSION = 4
EXIT_REFUSED = 5
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

STDIN = "-"

EXIT_CODES: tuple[tuple[int, str], ...] = (
    (0, N_("success")),
    (
        EXIT_FAILURE,
        N_("failure (for example a file that cannot be written; inspect: errors found)"),
    ),
    (
        EXIT_USAGE,
        N_("bad usage: an unknown or ill-typed fact or answer, evidence that cannot be read"),
    ),
    (EXIT_KNOWLEDGE, N_("the knowledge base is invalid")),
    (EXIT_SESSION, N_("the session file cannot be used (unreadable, edited, other knowledge)")),
    (EXIT_REFUSED, N_("the address policy refused to contact the origin's address")),
    (EXIT_INTERNAL, N_("internal error (a bug: please report it)")),
    (EXIT_INTERRUPTED, N_("interrupted (Ctrl-C)")),
)


class UsageError(CfdoctorError):
    """A malformed option value the engine never sees (`--fact` without `=`, an unknown id)."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Run:
    """What the global options decided, shared by every command of one invocation."""

    console: Console
    lang: str
    kb_dirs: tuple[Path, ...]

    def reasoner(self) -> Reasoner:
        from cfdoctor.api import open_reasoner

        return open_reasoner(self.kb_dirs)

    def knowledge(self) -> KnowledgeBase:
        """The knowledge base without compiling its rules (cached between runs)."""
        from cfdoctor.engine.kbcache import load_cached

        return load_cached(self.kb_dirs)


def one_line(exc: BaseException) -> str:
    """The message a user sees for an error they can act on."""
    if isinstance(exc, KnowledgeError) and exc.problems:
        more = len(exc.problems) - 1
        message = _("invalid knowledge base: {problem}").format(problem=exc.problems[0])
        if more:
            message += " " + ngettext(
                "(and {n} more problem; `cfdoctor kb validate` lists them all)",
                "(and {n} more problems; `cfdoctor kb validate` lists them all)",
                more,
            ).format(n=more)
        return message
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return where + (exc.strerror or str(exc))
    if isinstance(exc, CfdoctorError):
        return exc.text(_)  # coded errors in the user's language
    return str(exc)


class ReportingGroup(TyperGroup):
    """Turns every error into one line on stderr and a documented exit code; no tracebacks.
    The root group also hands its global options to every command (cli/globalopts.py)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        if any(p.name == "lang" for p in self.params):
            from cfdoctor.cli import globalopts

            globalopts.attach(self)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except KeyboardInterrupt:
            console_of(ctx).interrupted()
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            # The reader went away (`cfdoctor facts | head`): nobody is left to tell.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(EXIT_FAILURE) from None
        except CfdoctorError as exc:
            fail(ctx, one_line(exc), exc.exit_code)
        except OSError as exc:
            fail(ctx, one_line(exc), EXIT_FAILURE)
        except Exception as exc:
            log.debug("internal error", exc_info=True)
            message = _("internal error: {error} (please report it; --verbose shows the traceback)")
            fail(ctx, message.format(error=f"{type(exc).__name__}: {exc}"), EXIT_INTERNAL)


def console_of(ctx: ClickContext) -> Console:
    run = ctx.find_object(Run)
    return run.console if run is not None else Console()


def fail(ctx: ClickContext, message: str, code: int) -> NoReturn:
    console_of(ctx).error(message)
    raise typer.Exit(code)


def run_of(ctx: typer.Context) -> Run:
    run = ctx.find_object(Run)
    assert run is not None, "the root callback sets it"
    return run


def pairs(items: Sequence[str] | None, option: str, shape: str) -> list[tuple[str, str]]:
    """`name=value` option values as pairs; the value may contain '=' itself."""
    out: list[tuple[str, str]] = []
    for item in items or ():
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(
                _("bad {option} '{item}': expected {shape}").format(
                    option=option, item=item, shape=shape
                )
            )
        out.append((name.strip(), value))
    return out


# -- global options -------------------------------------------------------------------------
def _version(value: bool) -> None:
    if value:
        typer.echo(f"cfdoctor {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    kb: Annotated[
        list[Path] | None,
        typer.Option(
            "--kb",
            metavar="DIR",
            help=_("Extra knowledge directory on top of the bundled one (repeatable)."),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="en|ja|zh",
            help=_("Interface language; default: CFDOCTOR_LANG, then the locale (LC_ALL, LANG)."),
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help=_("Log the reasoning (rule firings) on stderr.")),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_version, help=_("Show the version and exit.")
        ),
    ] = False,
) -> None:
    try:
        chosen = i18n.choose(lang)
    except i18n.LanguageError as exc:
        raise UsageError(str(exc)) from None
    previous = i18n.current()
    i18n.activate(chosen)
    ctx.call_on_close(lambda: i18n.activate(previous))
    if verbose:
        _log_to_stderr(ctx)
    ctx.obj = Run(console=Console(), lang=chosen, kb_dirs=tuple(kb or ()))


def _log_to_stderr(ctx: ClickContext) -> None:
    """DEBUG logging of the cfdoctor loggers for this invocation ("cfdoctor.engine": rules)."""
    logger = logging.getLogger("cfdoctor")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    ctx.call_on_close(restore)


# -- commands -------------------------------------------------------------------------------
def diagnose(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Argument(
            metavar="[URL]",
            help=_(
                "The failing URL: requested once as a viewer (bounded, no redirects followed, "
                "secrets redacted) and its answer read as evidence."
            ),
        ),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", "-X", metavar="METHOD", help=_("Method for URL."))
    ] = "GET",
    header: Annotated[
        list[str] | None,
        typer.Option(
            "--header", "-H", metavar="'NAME: VALUE'", help=_("Header for URL (repeatable).")
        ),
    ] = None,
    data: Annotated[
        str | None, typer.Option("--data", metavar="BODY", help=_("Request body for URL."))
    ] = None,
    distribution_id: Annotated[
        str | None,
        typer.Option(
            "--distribution-id",
            metavar="ID",
            help=_(
                "Read the distribution's config and policies with your AWS credentials (needs "
                "cfdoctor[aws]) and probe the origin serving the path as CloudFront would."
            ),
        ),
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", metavar="NAME", help=_("AWS profile for --distribution-id.")),
    ] = None,
    fact: Annotated[
        list[str] | None,
        typer.Option(
            "--fact",
            "-f",
            metavar="NAME=VALUE",
            help=_(
                "A fact you already know, e.g. viewer.status=502 (repeatable; never asked again)."
            ),
        ),
    ] = None,
    answer: Annotated[
        list[str] | None,
        typer.Option(
            "--answer",
            "-a",
            metavar="CHECK=VALUE",
            help=_("Answer a check, e.g. origin-dns-resolves=nxdomain (repeatable)."),
        ),
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence",
            "-e",
            metavar="FILE",
            help=_(
                "Read facts from what you already have (repeatable; - reads stdin): curl -i/-v "
                "or HTTPie output, a HAR file, openssl s_client, dig or nslookup output, "
                "get-distribution-config JSON, access logs (.gz, or a directory of them)."
            ),
        ),
    ] = None,
    path: Annotated[str | None, path_option()] = None,
    probe_origin: Annotated[
        str | None,
        typer.Option(
            "--probe",
            metavar="ORIGIN",
            help=_(
                "Probe the origin (DNS, TCP, TLS, HTTP) as CloudFront would and use what it "
                "finds; --port to --dns-server below tune the probe. It contacts whatever you "
                "name: no address policy applies on the command line."
            ),
        ),
    ] = None,
    port: Annotated[int | None, port_option()] = None,
    protocol: Annotated[str | None, protocol_option()] = None,
    sni: Annotated[str | None, sni_option()] = None,
    host_header: Annotated[str | None, host_header_option()] = None,
    timeout: Annotated[float | None, timeout_option()] = None,
    read_timeout: Annotated[float | None, read_timeout_option()] = None,
    ca_bundle: Annotated[Path | None, ca_bundle_option()] = None,
    dns_server: Annotated[str | None, dns_server_option()] = None,
    session: Annotated[
        Path | None,
        typer.Option(
            "--session",
            metavar="FILE",
            help=_(
                "Step mode: continue the session in FILE (created if missing) and save it back."
            ),
        ),
    ] = None,
    json_out: Annotated[bool, json_option()] = False,
    no_ask: Annotated[
        bool, typer.Option("--no-ask", help=_("Report on the facts given; ask no questions."))
    ] = False,
    report: Annotated[
        str | None,
        typer.Option(
            "--report",
            metavar="md|html",
            help=_(
                "Also write the diagnosis as a report for a ticket (stdout unless --report-out)."
            ),
        ),
    ] = None,
    report_out: Annotated[
        Path | None,
        typer.Option("--report-out", metavar="FILE", help=_("Write the --report to FILE.")),
    ] = None,
) -> None:
    run = run_of(ctx)
    facts = pairs(fact, "--fact", "name=value")
    answers = pairs(answer, "--answer", "check=value")
    _check_report(report, report_out, json_out)
    from cfdoctor.cli import documents, probing, sessionfile
    from cfdoctor.service import collect

    if report_out is not None:
        sessionfile.check_report_target(report_out, session, evidence or [])

    path = collect.path_of(url, path)
    collected = collect.collect(url, method, header or [], data, distribution_id, profile, timeout)
    options = probing.ProbeOptions(
        port, protocol, sni, host_header, path, timeout, read_timeout, ca_bundle, dns_server
    )
    target = None
    if probe_origin is not None:
        target = probing.target_for_diagnose(probe_origin, options, evidence or [])
    elif distribution_id is not None:
        target = collect.probe_target(collected, options, distribution_id)
    elif options.given() and url is None:
        raise UsageError(
            _("{options} only tune --probe; add --probe ORIGIN").format(
                options=", ".join(options.given())
            )
        )
    reasoner = run.reasoner()
    from cfdoctor.engine.session import Session

    state = sessionfile.load(reasoner, session) if session else Session(reasoner)
    files = evidence or []
    extra = _observe_all(state, run, files, path, target, dns_server, progress=not json_out)
    if url is not None or distribution_id is not None:
        got = [e.to_dict(run.lang) for e in collect.observe(state, collected, path)]
        extra["evidence"] = [*got, *extra.get("evidence", [])]
    state.observe_many(facts, source="cli")
    for check, value in answers:
        state.answer(check, value)
    save: Callable[[Session], None] | None = None
    if session is not None:
        save = functools.partial(sessionfile.save, path=session)
        save(state)
    stdin_tty = sys.stdin is not None and sys.stdin.isatty()  # None: stdin closed (<&-)
    asking = not no_ask and not json_out and stdin_tty and STDIN not in files
    if asking:
        from cfdoctor.cli.interview import interview

        diagnosis = interview(state, run.console, run.lang, save)
        run.console.report({**diagnosis.to_dict(run.lang), **extra})
    else:
        diagnosis = state.diagnosis(with_question=not no_ask)
        result = {**diagnosis.to_dict(run.lang), **extra}
        if json_out:
            run.console.json({"session": str(session), "diagnosis": result} if session else result)
        elif session:
            run.console.step(str(session), result)
        else:
            run.console.report(result, next_hint=True)
    if report is not None:
        text = documents.report_text(diagnosis, run.lang, report)
        if report_out is None:
            run.console.document(text)
        else:
            report_out.write_text(text, encoding="utf-8")


def _observe_all(
    state: Session,
    run: Run,
    files: Sequence[str],
    path: str | None,
    target: ProbeTarget | None,
    dns_server: str | None,
    *,
    progress: bool,
) -> dict[str, Any]:
    """Evidence, then the probe, into `state` (all or nothing each, before --fact and --answer);
    returns what the report shows of them (the artifacts read, the probe's steps)."""
    from cfdoctor.cli import documents, probing

    extra: dict[str, Any] = {}
    read = documents.ingest(state, files, path)
    if read:
        extra["evidence"] = [ev.to_dict(run.lang) for ev in read]
    if target is not None:
        shown = progress and sys.stderr.isatty()
        probed = probing.run_probe(target, dns_server, run.console, progress=shown)
        probed.observe_into(state)
        extra["probe"] = probed.to_dict()
    return extra


def _check_report(report: str | None, report_out: Path | None, json_out: bool) -> None:
    """--report's format, and no report on stdout mixed into --json (before any work)."""
    from cfdoctor.cli.documents import REPORT_FORMATS

    if report is None:
        if report_out is not None:
            raise UsageError(_("--report-out needs --report md or --report html"))
        return
    if report not in REPORT_FORMATS:
        raise UsageError(_("bad --report '{value}': expected md or html").format(value=report))
    if json_out and report_out is None:
        raise UsageError(_("--report with --json needs --report-out FILE: stdout holds the JSON"))


def kb_validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help=_("Knowledge directories to check with the bundled one.")
        ),
    ] = None,
    json_out: Annotated[bool, json_option()] = False,
) -> None:
    run = run_of(ctx)
    from cfdoctor.cli import views
    from cfdoctor.engine.loader import load_knowledge

    try:
        result = views.validation(load_knowledge([*run.kb_dirs, *(paths or ())]), [])
    except KnowledgeError as exc:
        result = views.validation(None, exc.problems)
    if json_out:
        run.console.json(result)
    else:
        run.console.validation(result)
    if result["problems"]:
        raise typer.Exit(EXIT_KNOWLEDGE)


def kb_show(
    ctx: typer.Context,
    uid: Annotated[
        str,
        typer.Argument(metavar="ID", help=_("A cause, check, symptom or rule id, or a fact name.")),
    ],
    json_out: Annotated[bool, json_option()] = False,
) -> None:
    run = run_of(ctx)
    from cfdoctor.cli import views

    kb = run.knowledge()
    found = views.find_units(kb, uid, run.lang)
    if not found:
        close = views.close_ids(kb, uid)
        hint = (
            _("similar: {ids}").format(ids=", ".join(close))
            if close
            else _("see `cfdoctor kb stats` and `cfdoctor facts`")
        )
        raise UsageError(_("unknown id '{id}'; {hint}").format(id=uid, hint=hint))
    if json_out:
        run.console.json({"id": uid, "matches": found})
        return
    for view in found:
        run.console.unit(view)


def kb_stats(ctx: typer.Context, json_out: Annotated[bool, json_option()] = False) -> None:
    run = run_of(ctx)
    from cfdoctor.cli import views

    stats = views.stats(run.knowledge())
    if json_out:
        run.console.json(stats)
    else:
        run.console.stats(stats)


def facts(ctx: typer.Context, json_out: Annotated[bool, json_option()] = False) -> None:
    run = run_of(ctx)
    from cfdoctor.cli import views

    vocabulary = views.facts_list(run.knowledge(), run.lang)
    if json_out:
        run.console.json(vocabulary)
    else:
        run.console.facts(vocabulary)


# -- the app --------------------------------------------------------------------------------
def exit_codes_epilog() -> str:
    lines = [f"{code:>5}  " + _(meaning) for code, meaning in EXIT_CODES]
    return "\b\n" + _("Exit codes:") + "\n" + "\n".join(lines)  # \b: Click keeps the lines


def build_app() -> typer.Typer:
    """The Typer app with every help text in the active language."""
    app = typer.Typer(
        cls=ReportingGroup,
        help=_(
            "Explain why Amazon CloudFront answered with an error: likely causes, fixes, dead ends."
        ),
        epilog=exit_codes_epilog(),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    app.command(
        "diagnose",
        help=_(
            "Find the cause of a CloudFront error: asks questions in a terminal, "
            "or reports on the facts given."
        ),
        short_help=_("Find the cause of a CloudFront error."),
        epilog=exit_codes_epilog(),
    )(diagnose)
    app.command("facts", help=_("List the fact vocabulary and what settles each fact."))(facts)
    from cfdoctor.cli import commands

    app.command(
        "probe",
        help=_(
            "Probe an origin as CloudFront would (DNS, TCP, TLS, HTTP): each fact with its "
            "evidence. It contacts whatever you name, your own 127.0.0.1 included: no address "
            "policy applies on the command line."
        ),
        short_help=_("Probe an origin as CloudFront would."),
        epilog=exit_codes_epilog(),
    )(commands.probe)
    app.command(
        "lab",
        help=_(
            "Start local broken origins on 127.0.0.1, one per fault, to try `cfdoctor probe` "
            "on; runs until Ctrl-C."
        ),
        short_help=_("Start the broken-origins lab."),
    )(commands.lab)
    app.command(
        "inspect",
        help=_(
            "Lint a distribution config: findings with severity, message and JSON path. "
            "Exit code 0 without error findings, 1 with some (a CI gate), 2 for input that "
            "cannot be read or is not a distribution config."
        ),
        short_help=_("Lint a distribution config (CI-friendly exit code and SARIF)."),
        epilog=exit_codes_epilog(),
    )(commands.inspect)
    app.command(
        "runbook",
        help=_(
            "Write troubleshooting runbooks, one per symptom, from the knowledge base; "
            "prints the files written."
        ),
        short_help=_("Write troubleshooting runbooks."),
    )(commands.runbook)
    from cfdoctor.cli import servers

    app.command(
        "serve",
        help=_(
            "Serve the HTTP JSON API for chatbots and portals (needs cfdoctor[server]); "
            "its probes refuse private and internal addresses."
        ),
        short_help=_("Serve the HTTP JSON API."),
    )(servers.serve)
    app.command(
        "mcp",
        help=_(
            "Serve cfdoctor to AI assistants over the Model Context Protocol: stdio, or "
            "streamable HTTP with --http (needs cfdoctor[server])."
        ),
        short_help=_("Serve the MCP server."),
    )(servers.mcp)
    kb = typer.Typer(
        cls=ReportingGroup, help=_("Inspect and check the knowledge base."), no_args_is_help=True
    )
    kb.command("validate", help=_("Check knowledge directories; every problem as file:line."))(
        kb_validate
    )
    kb.command("show", help=_("Show a cause, check, symptom, rule or fact."))(kb_show)
    kb.command(
        "stats",
        help=_("Coverage: causes per status, translations, cases, evidence grades."),
        short_help=_("Show coverage and translation statistics."),
    )(kb_stats)
    app.add_typer(kb, name="kb")
    return app


def _lang_argument(args: Sequence[str]) -> str | None:
    """`--lang` from the command line before Typer parses it, so help texts can be translated."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """The `cfdoctor` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        lang = i18n.choose(_lang_argument(args))
    except i18n.LanguageError:
        lang = i18n.DEFAULT_LANG  # the root callback reports it with exit code 2
    i18n.activate(lang)
    i18n.route_framework_gettext(lang)
    app = build_app()
    if "_CFDOCTOR_COMPLETE" not in os.environ:  # completion lists every command
        from cfdoctor.cli import startup

        startup.prune(app, args)
    try:
        app(args=args, prog_name="cfdoctor")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_FAILURE)
    except KeyboardInterrupt:
        Console().interrupted()
        return EXIT_INTERRUPTED
    return 0
