"""From a file, a directory, stdin or pasted text to `Evidence`: read, detect, parse.

Access logs are streamed from their files (constant memory, .gz included); everything else is
read whole (up to MAX_BYTES). `parse_all` parses several artifacts of one incident in the order
that lets each inform the next: transcripts (path, Host) and companions (policies, API routes)
first, then dig (CNAME chains), the distribution config (origin domain, timeouts), and last
openssl and the access logs that use them.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cfdoctor.engine.model import Value
from cfdoctor.evidence import (
    access_log,
    dig,
    distribution,
    fragments,
    har,
    http_transcript,
    openssl,
)
from cfdoctor.evidence.bounded import open_evidence, read_capped
from cfdoctor.evidence.detect import detect
from cfdoctor.evidence.model import KINDS, Context, Evidence, EvidenceError, Kind
from cfdoctor.evidence.redact import redact

log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024 * 1024
HEAD_BYTES = 64 * 1024
STDIN = "-"


@dataclass(frozen=True)
class Loaded:
    """An artifact ready to parse: its text, or (for logs) the files to stream."""

    label: str
    kind: Kind
    text: str = ""
    files: tuple[Path, ...] = ()
    forced: bool = False
    """The kind was named by the caller: no other reading is tried."""


def decode(data: bytes) -> str:
    """UTF-8, or UTF-16 with a BOM (what PowerShell's `>` writes), never failing."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _read_stdin() -> bytes:
    """Standard input, at most MAX_BYTES + 1; a closed stdin (`<&-`) is the user's error."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise EvidenceError("stdin: standard input is closed; give a file instead of '-'")
    try:
        return bytes(stream.read(MAX_BYTES + 1))
    except (OSError, ValueError) as exc:
        raise EvidenceError(f"stdin: cannot read standard input: {exc}") from None


def _read_head(path: Path) -> bytes:
    try:
        with open_evidence(path) as f:
            return f.read(HEAD_BYTES)
    except (OSError, EOFError) as exc:
        raise EvidenceError(f"{path}: cannot read: {exc}") from None


def _not_recognised(label: str) -> EvidenceError:
    looked_for = EvidenceError.coded("evidence-looked-for")
    return EvidenceError.coded("evidence-not-recognised", label=label, looked_for=looked_for)


def _check_kind(kind: str | None) -> Kind | None:
    if kind is None:
        return None
    if kind not in KINDS:
        raise EvidenceError(f"unknown evidence kind '{kind}'; known: {', '.join(KINDS)}")
    return kind


def _existing(text: str, test: str = "exists") -> Path | None:
    """`text` as a path if it names an existing file (or directory); None for any other text.

    Pasted evidence reaches here too: a line too long for a file name, or with a NUL byte,
    makes the OS refuse the lookup, which only means "not a path".
    """
    if "\n" in text or not text.strip():
        return None
    path = Path(text)
    try:
        return path if getattr(path, test)() else None
    except (OSError, ValueError):
        return None


def load(source: str | Path, *, kind: str | None = None) -> Loaded:
    """Resolve a source (Path, path string, '-' for stdin, or the text itself) and its kind."""
    forced = _check_kind(kind)
    if isinstance(source, str) and source == STDIN:
        return _from_text(decode(_read_stdin()), "stdin", forced)
    if isinstance(source, str):
        one_line = "\n" not in source and len(source) < 4096
        existing = _existing(source) if one_line else None
        if existing is not None:
            source = existing
        elif one_line and _looks_like_path(source):
            raise EvidenceError.coded("evidence-no-such-file", path=redact(source))
        else:
            return _from_text(source, "text", forced)
    path = source
    label = str(path)
    if path.is_dir():
        files = tuple(access_log.log_files([path]))
        if not files:
            raise EvidenceError(f"{label}: the directory has no files")
        if forced not in (None, "access-log"):
            raise EvidenceError(f"{label}: a directory can only hold access logs")
        head = decode(_read_head(files[0]))
        if forced is None and detect(head) != "access-log":
            raise EvidenceError(f"{label}: {files[0].name} is not a CloudFront access log")
        return Loaded(label, "access-log", files=files)
    if not path.is_file():
        if path.exists():
            raise EvidenceError(f"{label}: not a regular file")
        raise EvidenceError.coded("evidence-no-such-file", path=label)
    head = decode(_read_head(path))
    if forced == "access-log" or (forced is None and detect(head) == "access-log"):
        return Loaded(label, "access-log", files=(path,))
    if path.stat().st_size > MAX_BYTES:
        raise EvidenceError(f"{label}: larger than {MAX_BYTES // 2**20} MiB; is it a log?")
    try:
        data = read_capped(path, MAX_BYTES)  # inflated as a stream: a bomb stops at the cap
    except (OSError, EOFError) as exc:
        raise EvidenceError(f"{label}: broken gzip file: {exc}") from None
    if data is None:
        raise EvidenceError(f"{label}: larger than {MAX_BYTES // 2**20} MiB once inflated")
    return _from_text(decode(data), label, forced)


def _looks_like_path(s: str) -> bool:
    t = s.strip()
    return bool(t) and " " not in t and t[0] not in "{[<#;*" and ("/" in t or "." in t[-6:])


def _from_text(text: str, label: str, forced: Kind | None) -> Loaded:
    if len(text) > MAX_BYTES:
        raise EvidenceError(f"{label}: larger than {MAX_BYTES // 2**20} MiB")
    kind = forced or detect(text)
    if kind is None:
        raise _not_recognised(label)
    return Loaded(label, kind, text=text, forced=forced is not None)


def _timeouts(ctx: Context) -> access_log.Timeouts:
    return access_log.Timeouts(ctx.connection_timeout, ctx.read_timeout)


def _parse_loaded(item: Loaded, ctx: Context) -> Evidence:
    label, text = item.label, item.text
    parsers: dict[Kind, Callable[[], Evidence]] = {
        "http-transcript": lambda: http_transcript.parse(text, label),
        "har": lambda: har.parse(text, label, path=ctx.path),
        "openssl": lambda: openssl.parse(text, label, origin_domain=ctx.origin_domain),
        "dig": lambda: dig.parse(text, label, origin_domain=ctx.origin_domain),
        "distribution-config": lambda: distribution.parse(text, label, context=ctx),
        "access-log": lambda: (
            access_log.parse_stream(list(item.files), label, path=ctx.path, timeouts=_timeouts(ctx))
            if item.files
            else access_log.parse(text, label, path=ctx.path, timeouts=_timeouts(ctx))
        ),
        "cloudfront-policy": lambda: _companion(item),
        "apigw-routes": lambda: _companion(item),
        "text": lambda: fragments.read(text, label),
    }
    try:
        return parsers[item.kind]()
    except EvidenceError:
        if item.files or item.forced or item.kind == "text" or not fragments.has_signal(text):
            raise
        return fragments.read(text, label)  # a trimmed artifact: what the scan finds in it
    except Exception as exc:  # the contract: users see one clear error, never a traceback
        log.debug("parser %s failed on %s", item.kind, label, exc_info=True)
        raise EvidenceError(
            redact(
                f"{label}: could not read it as {item.kind} ({type(exc).__name__}); "
                "please report this with the file"
            )
        ) from None


def _companion(item: Loaded) -> Evidence:
    try:
        data = json.loads(item.text)
    except (ValueError, RecursionError) as exc:
        raise EvidenceError(f"{item.label}: not valid JSON ({exc})") from None
    return Evidence(item.kind, item.label, {}, details={"document": data})


def parse_evidence(
    source: str | Path,
    *,
    kind: str | None = None,
    path: str | None = None,
    context: Context | None = None,
) -> Evidence:
    """Read one artifact and turn it into facts of the knowledge base's vocabulary.

    `source` is a Path, a path string, '-' (stdin) or the text itself; `kind` forces the parser;
    `path` is the failing URL path (which cache behavior / HAR entry / log lines to look at).
    """
    ctx = context or Context()
    if path is not None:
        ctx = dataclasses.replace(ctx, path=path)
    item = load(source, kind=kind)
    if kind is not None:
        return _parse_loaded(item, ctx)
    read = [ev for group in _parse_ordered(pieces(item), ctx) for ev in group]
    return read[0] if len(read) == 1 else merge(item.label, read)


def merge(label: str, evidence: Sequence[Evidence]) -> Evidence:
    """Several artifacts of one paste as one Evidence (facts of later pieces win)."""
    kinds = {ev.kind for ev in evidence}
    facts: dict[str, Value] = {}
    hints: dict[str, str] = {}
    for ev in evidence:
        facts.update(ev.facts)
        hints.update(ev.hints)
    return Evidence(
        kinds.pop() if len(kinds) == 1 else "text",
        label,
        facts,
        tuple(f for ev in evidence for f in ev.findings),
        hints,
        {"pieces": [{"kind": ev.kind, "label": ev.label} for ev in evidence]},
    )


ORDER: dict[Kind, int] = {
    "http-transcript": 0,
    "har": 0,
    "cloudfront-policy": 1,
    "apigw-routes": 1,
    "dig": 2,
    "distribution-config": 3,
    "openssl": 4,
    "access-log": 4,
    "text": 0,
}


def pieces(item: Loaded) -> list[Loaded]:
    """A pasted text of several artifacts as one Loaded per artifact (else the item itself)."""
    if item.files or item.forced or item.kind in ("text", "har", "distribution-config"):
        return [item]
    cut = fragments.split(item.text, detect)
    if not cut:
        return [item]
    return [Loaded(f"{item.label} [{i}]", kind, text=t) for i, (kind, t) in enumerate(cut, 1)]


SUPPLEMENTED: dict[Kind, str] = {"http-transcript": "*", "openssl": "origin.tls.verify_code"}
"""Parsers whose artifacts people trim, and what the scan may add: a transcript's body may be a
copied page; an s_client paste cut before its last line still shows `verify error:num=N`."""


def _supplement(item: Loaded, ev: Evidence) -> Evidence | None:
    """What the scan finds in a pasted artifact beyond what its parser read (a `text` Evidence)."""
    if item.files or ev.kind not in SUPPLEMENTED:
        return None  # the other parsers read their whole artifact
    found = fragments.scan(item.text)
    extra = {
        k: v
        for k, v in found.facts.items()
        if k not in ev.facts and SUPPLEMENTED[ev.kind] in ("*", k)
    }
    if not extra:
        return None
    return Evidence("text", f"{item.label} (scan)", extra, details={"signals": found.signals[:20]})


def parse_all(sources: Sequence[str | Path], *, path: str | None = None) -> list[Evidence]:
    """Parse the artifacts of one incident, each informed by the others, in input order.

    Access logs given as several sources are scanned together as one log (one Evidence, at the
    place of the first), so their counts add up instead of overriding each other.
    """
    loaded: list[Loaded] = []
    logs: int | None = None
    for source in sources:
        item = load(source)
        if item.kind == "access-log" and item.files and logs is not None:
            first = loaded[logs]
            loaded[logs] = Loaded(
                f"{first.label}, {item.label}", "access-log", files=first.files + item.files
            )
            continue
        if item.kind == "access-log" and item.files:
            logs = len(loaded)
        loaded.append(item)
    expanded = [p for item in loaded for p in pieces(item)]
    return [ev for group in _parse_ordered(expanded, Context(path=path)) for ev in group]


def _parse_ordered(loaded: Sequence[Loaded], ctx: Context) -> list[list[Evidence]]:
    """Parse in the order that lets each inform the next; results in input order."""
    results: dict[int, list[Evidence]] = {}
    for i in sorted(range(len(loaded)), key=lambda n: ORDER[loaded[n].kind]):
        ev = _parse_loaded(loaded[i], ctx)
        extra = _supplement(loaded[i], ev)
        results[i] = [ev] if extra is None else [ev, extra]
        ctx = _learn(ctx, ev)
    return [results[i] for i in range(len(loaded))]


def _learn(ctx: Context, ev: Evidence) -> Context:
    """What later parsers may use from this evidence."""
    h = ev.hints
    changes: dict[str, object] = {}
    if ev.kind in ("http-transcript", "har"):
        if ctx.path is None and "path" in h:
            changes["path"] = h["path"]
        if ctx.host is None and "host" in h:
            changes["host"] = h["host"]
        if ctx.method is None and "method" in h:
            changes["method"] = h["method"]
    elif ev.kind == "cloudfront-policy":
        changes["policies"] = (*ctx.policies, ev.details["document"])
    elif ev.kind == "apigw-routes":
        changes["api_routes"] = (*ctx.api_routes, *distribution.routes_from(ev.details["document"]))
    elif ev.kind == "dig" and h.get("dns_name"):
        chains = dict(ctx.cname_chains)
        chains[h["dns_name"]] = tuple(h.get("cname_chain", "").split())
        changes["cname_chains"] = chains
    elif ev.kind == "distribution-config":
        if "origin_domain" in h:
            changes["origin_domain"] = h["origin_domain"]
        for key, attr in (
            ("connection_timeout", "connection_timeout"),
            ("read_timeout", "read_timeout"),
        ):
            if key in h:
                changes[attr] = float(h[key])
    return dataclasses.replace(ctx, **changes) if changes else ctx  # type: ignore[arg-type]


def read_json(source: str | Path) -> object:
    """A JSON document from a path, '-' or text (for `cfdoctor inspect CONFIG.json`)."""
    if isinstance(source, str) and source == STDIN:
        text = decode(_read_stdin())
        label = "stdin"
    elif isinstance(source, Path) or (isinstance(source, str) and _existing(source, "is_file")):
        p = Path(source)
        label = str(p)
        try:
            text = decode(p.read_bytes())
        except OSError as exc:
            raise EvidenceError(f"{label}: cannot read: {exc}") from None
    else:
        text, label = str(source), "text"
    try:
        return json.load(io.StringIO(text.lstrip("\ufeff")))
    except (ValueError, RecursionError) as exc:
        raise EvidenceError(f"{label}: not valid JSON ({exc})") from None
