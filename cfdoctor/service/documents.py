"""Documents the front-ends read and write besides the session: evidence (files or text),
distribution configs (for `inspect` and `probe --config`), the single-diagnosis report and the
runbooks.

Every input goes through `cfdoctor.evidence.load`, so `-` (stdin), gzip files and the
"name the file in the error" rule work the same for `diagnose --evidence`, `inspect` and
`probe --config`. An unreadable file is an EvidenceError (exit 2), like an unrecognised one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cfdoctor.i18n import gettext as _

if TYPE_CHECKING:
    from cfdoctor.engine.diagnosis import Diagnosis
    from cfdoctor.engine.reasoner import Reasoner
    from cfdoctor.engine.session import Session
    from cfdoctor.evidence import Evidence, Finding
    from cfdoctor.evidence.model import Context
    from cfdoctor.runbook.site import Format

STDIN = "-"
REPORT_FORMATS: tuple[str, ...] = ("md", "html")
INSPECT_FORMATS: tuple[str, ...] = ("text", "json", "sarif")


def source_of(arg: str) -> str | Path:
    """An option value as an evidence source: `-` is stdin, anything else a file (never text)."""
    return arg if arg == STDIN else Path(arg)


def _unreadable(exc: OSError) -> Exception:
    from cfdoctor.evidence import EvidenceError

    where = f"{exc.filename}: " if exc.filename else ""
    return EvidenceError(where + (exc.strerror or str(exc)))


def ingest_sources(
    session: Session, sources: Sequence[str | Path], path: str | None = None
) -> list[Evidence]:
    """Turn pasted output or files (curl, HAR, openssl, dig, distribution config, access logs)
    into facts of `session`, all or nothing. Several artifacts of one incident inform each other
    (the transcript's path picks the cache behavior in the config, and so on).

    This lives here, not in the engine: the parsers feed the engine, never the reverse.
    """
    from cfdoctor.engine.session import Session
    from cfdoctor.evidence import parse_all

    evidence = parse_all(list(sources), path=path)
    trial = Session(session.reasoner)  # each value is checked on its own: a dry run first
    for ev in evidence:
        trial.observe_many(ev.facts.items(), source=ev.source)
    for ev in evidence:
        session.observe_many(ev.facts.items(), source=ev.source)
    return evidence


def ingest(session: Session, files: Sequence[str], path: str | None) -> list[Evidence]:
    """Read every evidence file (`-`: stdin) into `session`, all or nothing."""
    if not files:
        return []
    try:
        return ingest_sources(session, [source_of(f) for f in files], path)
    except OSError as exc:  # permissions, a file vanishing: unreadable is exit 2 as well
        raise _unreadable(exc) from None


def read_document(source: str) -> tuple[Any, str, str]:
    """A config from a file or `-`: (get-distribution-config data, its text, its label)."""
    from cfdoctor.evidence import EvidenceError, load

    try:
        item = load(source_of(source), kind="distribution-config")
    except OSError as exc:
        raise _unreadable(exc) from None
    from cfdoctor.evidence.distribution import load_document

    try:  # get-distribution-config JSON, or a CloudFormation template or Terraform defining one
        return load_document(item.text)[0], item.text, item.label
    except EvidenceError as exc:
        raise EvidenceError(f"{item.label}: {exc}") from None


def inspect_context(policy_files: Sequence[str], path: str | None) -> Context:
    """Policies (and API routes) given beside the config, and the failing path."""
    from cfdoctor.evidence import EvidenceError, detect
    from cfdoctor.evidence import distribution as dist
    from cfdoctor.evidence.model import Context

    policies: list[Any] = []
    routes: list[tuple[str, str]] = []
    for name in policy_files:
        data, text, label = read_document(name)
        kind = detect(text)
        if kind == "cloudfront-policy":
            policies.append(data)
        elif kind == "apigw-routes":
            routes.extend(dist.routes_from(data))
        else:
            raise EvidenceError(
                _(
                    "{file}: not a cache or origin request policy (aws cloudfront "
                    "get-cache-policy / get-origin-request-policy) nor API routes"
                ).format(file=label)
            )
    return Context(path=path, policies=tuple(policies), api_routes=tuple(routes))


def inspect_config(data: Any, label: str, context: Context) -> list[Finding]:
    """`cfdoctor.evidence.inspect`, its error naming the file."""
    from cfdoctor.evidence import EvidenceError, inspect

    try:
        return inspect(data, context=context)
    except EvidenceError as exc:
        raise EvidenceError(f"{label}: {exc}") from None


def report_text(diagnosis: Diagnosis, lang: str, fmt: str) -> str:
    """The single-diagnosis report (Markdown or a self-contained HTML page), dated today."""
    from cfdoctor.runbook import diagnosis_html, diagnosis_markdown
    from cfdoctor.runbook.site import build_date

    render = diagnosis_html if fmt == "html" else diagnosis_markdown
    return render(diagnosis, lang, generated=build_date())


def write_runbooks(
    reasoner: Reasoner,
    targets: Sequence[str],
    lang: str,
    fmt: str,
    out_dir: Path,
    progress: Callable[[str], None] | None,
) -> list[Path]:
    """The runbooks of `targets` (symptoms or statuses; none: all) in `lang` (or `all`)."""
    from cfdoctor.runbook.site import RunbookError, write_runbooks

    if fmt not in REPORT_FORMATS:
        raise RunbookError(_("unsupported format '{format}'; choose md or html").format(format=fmt))
    chosen: Format = "html" if fmt == "html" else "md"
    return write_runbooks(reasoner, targets, [lang], chosen, out_dir, progress)
