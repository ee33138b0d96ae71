"""From a file, a directory, stdin or pasted text to `Evidence`: read, detect, parse.

Access logs are streamed from their files (constant memory, .gz included); everything else is
read whole (up to MAX_BYTES). `parse_all` parses several artifacts of one incident in the order
that lets each inform the next: transcripts (path, Host) and companions (policies, API routes)
first, then dig (CNAME chains), the distribution config (origin domain, timeouts), and last
openssl and the access logs that use them.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cfdoctor.evidence import access_log, dig, distribution, har, http_transcript, openssl
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


def decode(data: bytes) -> str:
    """UTF-8, or UTF-16 with a BOM (what PowerShell's `>` writes), never failing."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def _read_head(path: Path) -> bytes:
    with path.open("rb") as f:
        magic = f.read(2)
    opener = gzip.open if magic == b"\x1f\x8b" else open
    try:
        with opener(path, "rb") as f:
            return f.read(HEAD_BYTES)
    except (OSError, EOFError) as exc:
        raise EvidenceError(f"{path}: cannot read: {exc}") from None


def _not_recognised(label: str) -> EvidenceError:
    return EvidenceError.coded("evidence-not-recognised", label=label)


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
        return _from_text(decode(sys.stdin.buffer.read(MAX_BYTES + 1)), "stdin", forced)
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
        raise EvidenceError.coded("evidence-no-such-file", path=label)
    head = decode(_read_head(path))
    if forced == "access-log" or (forced is None and detect(head) == "access-log"):
        return Loaded(label, "access-log", files=(path,))
    if path.stat().st_size > MAX_BYTES:
        raise EvidenceError(f"{label}: larger than {MAX_BYTES // 2**20} MiB; is it a log?")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise EvidenceError(f"{label}: broken gzip file: {exc}") from None
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
    return Loaded(label, kind, text=text)


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
    }
    try:
        return parsers[item.kind]()
    except EvidenceError:
        raise
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
    return _parse_loaded(load(source, kind=kind), ctx)


ORDER: dict[Kind, int] = {
    "http-transcript": 0,
    "har": 0,
    "cloudfront-policy": 1,
    "apigw-routes": 1,
    "dig": 2,
    "distribution-config": 3,
    "openssl": 4,
    "access-log": 4,
}


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
    ctx = Context(path=path)
    results: dict[int, Evidence] = {}
    for i in sorted(range(len(loaded)), key=lambda n: ORDER[loaded[n].kind]):
        ev = _parse_loaded(loaded[i], ctx)
        results[i] = ev
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
        text = decode(sys.stdin.buffer.read(MAX_BYTES + 1))
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
