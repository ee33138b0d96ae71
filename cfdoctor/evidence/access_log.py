"""CloudFront standard access logs (W3C, tab-separated, #Version/#Fields headers; plain or .gz;
one file, many, or a directory), scanned in constant memory.

Per line only counters move: (status, result type, detailed result type, edge location) tuples,
a fixed histogram of time-taken for 5xx lines, and a small time-bounded window of recent failing
paths to spot the edge-optimized API loop. The mapping from x-edge-detailed-result-type to
causes is the catalog's, graded [I] where AWS states none; the rules say how strong each is.
"""

from __future__ import annotations

import gzip
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cfdoctor.engine.model import Value
from cfdoctor.evidence.bounded import lines, open_evidence
from cfdoctor.evidence.model import Evidence, EvidenceError
from cfdoctor.evidence.redact import redact

V1_FIELDS = [
    "date",
    "time",
    "x-edge-location",
    "sc-bytes",
    "c-ip",
    "cs-method",
    "cs(Host)",
    "cs-uri-stem",
    "sc-status",
    "cs(Referer)",
    "cs(User-Agent)",
    "cs-uri-query",
    "cs(Cookie)",
    "x-edge-result-type",
    "x-edge-request-id",
    "x-host-header",
    "cs-protocol",
    "cs-bytes",
    "time-taken",
    "x-forwarded-for",
    "ssl-protocol",
    "ssl-cipher",
    "x-edge-response-result-type",
    "cs-protocol-version",
    "fle-status",
    "fle-encrypted-fields",
    "c-port",
    "time-to-first-byte",
    "x-edge-detailed-result-type",
    "sc-content-type",
    "sc-content-len",
    "sc-range-start",
    "sc-range-end",
]
"""The standard log (legacy) v1.0 field order, used when a file has no #Fields line."""

REQUIRED = ("sc-status", "x-edge-result-type", "x-edge-location", "time-taken", "cs-uri-stem")

ERROR_CLASSES: dict[str, str] = {
    "OriginDnsError": "origin-dns-error",
    "OriginConnectError": "origin-connect-error",
    "OriginCommError": "origin-comm-error",
    "OriginReadError": "origin-read-error",
    "OriginInvalidResponseError": "origin-invalid-response-error",
    "OriginHeaderTooBigError": "origin-header-too-big-error",
    "OriginContentRangeLengthError": "origin-invalid-response-error",
    "OriginZeroSizeObjectError": "origin-invalid-response-error",
    "OriginWriteError": "origin-comm-error",
    "SlowReaderOriginError": "origin-comm-error",
    "OriginError": "origin-error",
    "AbortedOrigin": "aborted-origin",
    "LambdaValidationError": "lambda-validation-error",
    "LambdaExecutionError": "lambda-execution-error",
    "LambdaLimitExceeded": "lambda-limit-exceeded",
    "FunctionExecutionError": "function-execution-error",
    "FunctionThrottledError": "function-throttled-error",
    "ClientGeoBlocked": "client-geo-blocked",
    "InvalidRequest": "invalid-request",
    "InvalidRequestBlocked": "invalid-request",
    "InvalidRequestCertificate": "invalid-request",
    "InvalidRequestHeader": "invalid-request",
    "InvalidRequestMethod": "invalid-request",
    "CapacityExceeded": "capacity-exceeded",
    "LimitExceeded": "limit-exceeded",
    "Error": "error",
}
"""x-edge-detailed-result-type (or x-edge-result-type when it is not Error) -> edge_log value."""

DOMINANT_SHARE = 0.5
BUCKET = 0.1  # seconds per time-taken histogram bucket
BUCKETS = 3000  # up to 300 s; longer lands in the last bucket
LOOP_WINDOW = 10  # seconds between a viewer request and its looped twin
WINDOW_CAP = 20_000  # entries kept in the loop window before old ones are dropped


@dataclass
class LogStats:
    """Everything the scan keeps: counters only, so memory does not grow with the log."""

    files: int = 0
    byte_count: int = 0
    lines: int = 0
    malformed: int = 0
    cells: Counter[tuple[bytes, bytes, bytes, bytes]] = field(default_factory=Counter)
    """(sc-status, x-edge-result-type, x-edge-detailed-result-type, x-edge-location) -> lines."""
    slow_hist: list[int] = field(default_factory=lambda: [0] * BUCKETS)
    """time-taken of 5xx lines."""
    path_requests: int = 0
    loop_pairs: int = 0
    path_loops: int = 0
    loop_stages: Counter[str] = field(default_factory=Counter)


def _open(path: Path) -> IO[bytes]:
    return open_evidence(path)  # gzip inflated as a stream, capped against bombs


def log_files(paths: Iterable[Path]) -> list[Path]:
    """Files to scan: each path, or every non-hidden file under a directory, in name order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
            )
        else:
            out.append(p)
    return out


def _seconds(date: bytes, time: bytes) -> int:
    """A comparable second count (days since an epoch-ish origin are enough for windows)."""
    try:
        y, mo, d = int(date[0:4]), int(date[5:7]), int(date[8:10])
        h, mi, s = int(time[0:2]), int(time[3:5]), int(time[6:8])
    except ValueError:
        return 0
    return ((y * 12 + mo) * 31 + d) * 86400 + h * 3600 + mi * 60 + s


class Scanner:
    """Feed it streams of log bytes; read the counters from `stats`."""

    def __init__(self, *, path: str | None = None) -> None:
        self.stats = LogStats()
        self.path = path.encode("utf-8", "replace") if path else None
        self._recent: dict[bytes, int] = {}
        self._tails: dict[bytes, tuple[int, bytes]] = {}
        self._index(V1_FIELDS)

    def _index(self, names: Iterable[str]) -> None:
        pos = {n: i for i, n in enumerate(names)}
        missing = [n for n in REQUIRED if n not in pos]
        if missing:
            raise EvidenceError(
                "the log's #Fields line lacks " + ", ".join(missing) + " (a CloudFront standard "
                "log has them)"
            )
        self.i_status, self.i_result = pos["sc-status"], pos["x-edge-result-type"]
        self.i_loc, self.i_taken = pos["x-edge-location"], pos["time-taken"]
        self.i_stem = pos["cs-uri-stem"]
        self.i_date, self.i_time = pos.get("date", -1), pos.get("time", -1)
        self.i_detail = pos.get("x-edge-detailed-result-type", self.i_result)
        self.need = (
            max(
                self.i_status,
                self.i_result,
                self.i_loc,
                self.i_taken,
                self.i_stem,
                self.i_detail,
                self.i_date,
                self.i_time,
            )
            + 1
        )

    def feed(self, stream: IO[bytes]) -> None:
        st = self.stats
        st.files += 1
        cells = st.cells
        hist = st.slow_hist
        self._index(V1_FIELDS)
        i_status, i_result, i_detail, i_loc = (
            self.i_status,
            self.i_result,
            self.i_detail,
            self.i_loc,
        )
        need = self.need
        for raw in lines(stream):  # one endless line must not fill memory
            if raw is None:
                st.malformed += 1
                continue
            st.byte_count += len(raw)
            if raw[:1] == b"#":
                if raw.startswith(b"#Fields:"):
                    self._index(raw[8:].decode("ascii", "replace").split())
                    i_status, i_result, i_detail = self.i_status, self.i_result, self.i_detail
                    i_loc, need = self.i_loc, self.need
                continue
            parts = raw.rstrip(b"\r\n").split(b"\t", need)
            if len(parts) < need:
                if raw.strip():
                    st.malformed += 1
                continue
            st.lines += 1
            status = parts[i_status]
            key = (status, parts[i_result], parts[i_detail], parts[i_loc])
            cells[key] += 1
            first = status[:1]
            if first == b"5":
                try:
                    taken = float(parts[self.i_taken])
                except ValueError:
                    taken = 0.0
                finite = 0 < taken < 1e9  # "inf" and "nan" parse as floats too
                hist[min(int(taken / BUCKET), BUCKETS - 1) if finite else 0] += 1
            if first in (b"4", b"5") or self.path is not None:
                self._loop(parts, status)

    def _loop(self, parts: list[bytes], status: bytes) -> None:
        stem = parts[self.i_stem]
        if self.path is not None and stem == self.path:
            self.stats.path_requests += 1
        if status[:1] not in (b"4", b"5"):
            return
        now = _seconds(parts[self.i_date], parts[self.i_time]) if self.i_date >= 0 else 0
        segs = stem.split(b"/", 2)  # b"", b"stage", b"rest..."
        tail = b"/" + segs[2] if len(segs) == 3 and segs[1] and segs[2] else None
        looped: tuple[bytes, bytes] | None = None  # (viewer stem, looped stem)
        if tail is not None:
            seen = self._recent.get(tail)
            if seen is not None and abs(now - seen) <= LOOP_WINDOW:
                looped = (tail, stem)
        twin = self._tails.get(stem)
        if (
            looped is None
            and twin is not None
            and abs(now - twin[0]) <= LOOP_WINDOW
            and twin[1] != stem
        ):
            looped = (stem, twin[1])
        if looped is not None:
            st = self.stats
            st.loop_pairs += 1
            st.loop_stages[looped[1].split(b"/", 2)[1].decode("utf-8", "replace")] += 1
            if self.path is not None and looped[0] == self.path:
                st.path_loops += 1
        if len(self._recent) > WINDOW_CAP:
            self._recent = {k: v for k, v in self._recent.items() if abs(now - v) <= LOOP_WINDOW}
            self._tails = {k: v for k, v in self._tails.items() if abs(now - v[0]) <= LOOP_WINDOW}
        self._recent[stem] = now
        if tail is not None:
            self._tails[tail] = (now, stem)


def scan(sources: Iterable[Path | IO[bytes]], *, path: str | None = None) -> LogStats:
    scanner = Scanner(path=path)
    for src in sources:
        if isinstance(src, Path):
            with _open(src) as stream:
                scanner.feed(stream)
        else:
            scanner.feed(src)
    return scanner.stats


def _class(result: bytes, detailed: bytes) -> str:
    name = detailed if result == b"Error" and detailed not in (b"", b"-") else result
    return ERROR_CLASSES.get(name.decode("ascii", "replace"), "other")


def _median(hist: list[int]) -> float | None:
    total = sum(hist)
    if not total:
        return None
    run = 0
    for i, n in enumerate(hist):
        run += n
        if run * 2 >= total:
            return (i + 0.5) * BUCKET
    return None


@dataclass(frozen=True)
class Timeouts:
    connection: float = 10.0
    read: float = 30.0


def summarise(
    st: LogStats, timeouts: Timeouts | None = None
) -> tuple[dict[str, Value], dict[str, object]]:
    """Facts and a JSON-ready summary from the counters."""
    timeouts = timeouts or Timeouts()
    statuses: Counter[int] = Counter()
    classes: Counter[str] = Counter()
    results: Counter[str] = Counter()
    detailed: Counter[str] = Counter()
    locations: Counter[str] = Counter()
    error_locations: Counter[str] = Counter()
    ok_locations: Counter[str] = Counter()
    for (status, result, detail, loc), n in st.cells.items():
        code = int(status) if status.isdigit() else 0
        statuses[code] += n
        results[result.decode("ascii", "replace")] += n
        detailed[detail.decode("ascii", "replace")] += n
        where = loc.decode("ascii", "replace")
        locations[where] += n
        if code >= 400:
            classes[_class(result, detail)] += n
            error_locations[where] += n
        elif 200 <= code < 400:
            ok_locations[where] += n
    errors = sum(classes.values())
    facts: dict[str, Value] = {}
    if st.lines:
        facts["edge_log.error_percent"] = round(100 * errors / st.lines)
    if errors:
        top_status = max((s for s in statuses if s >= 400), key=lambda s: (statuses[s], -s))
        facts["viewer.status"] = top_status
        facts["edge_log.error_status"] = top_status
        top, count = max(classes.items(), key=lambda kv: (kv[1], kv[0]))
        facts["edge_log.dominant_error"] = top if count >= DOMINANT_SHARE * errors else "mixed"
        if len(locations) >= 2:
            facts["edge_log.errors_in_one_location"] = len(error_locations) == 1 and any(
                ok_locations[loc] for loc in locations if loc not in error_locations
            )
    median = _median(st.slow_hist)
    if median is not None:
        threshold = 0.9 * min(timeouts.connection, timeouts.read)
        if median >= threshold:
            facts["edge_log.error_time"] = "timeout"
        elif median < min(2.0, threshold):
            facts["edge_log.error_time"] = "fast"
        else:
            facts["edge_log.error_time"] = "slow"
    if st.loop_pairs and (st.path_loops or st.loop_pairs >= 3):
        facts["apigw.request_loops_back"] = True
    elif st.path_requests >= 3 and not st.path_loops:
        facts["apigw.request_loops_back"] = False
    details: dict[str, object] = {
        "files": st.files,
        "bytes": st.byte_count,
        "lines": st.lines,
        "malformed_lines": st.malformed,
        "error_lines": errors,
        "sc_status": {str(k): v for k, v in statuses.most_common()},
        "x_edge_result_type": dict(results.most_common(20)),
        "x_edge_detailed_result_type": dict(detailed.most_common(20)),
        "error_classes": dict(classes.most_common()),
        "edge_locations": {
            k: {"requests": v, "errors": error_locations[k]} for k, v in locations.most_common(50)
        },
        "median_5xx_time_taken": median,
        "timeouts": {"connection": timeouts.connection, "read": timeouts.read},
        "loops": {"pairs": st.loop_pairs, "stages": dict(st.loop_stages.most_common(5))},
    }
    return facts, details


def parse_stream(
    sources: Iterable[Path | IO[bytes]],
    label: str,
    *,
    path: str | None = None,
    timeouts: Timeouts | None = None,
) -> Evidence:
    try:
        st = scan(sources, path=path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise EvidenceError(redact(f"{label}: cannot read the log: {exc}")) from None
    except EvidenceError as exc:
        raise EvidenceError(f"{label}: {exc}") from None
    if not st.lines:
        raise EvidenceError(
            f"{label}: no CloudFront access log lines found ({st.malformed} lines do not have the "
            "standard log's tab-separated fields)"
        )
    facts, details = summarise(st, timeouts)
    return Evidence("access-log", label, facts, details=details)


def parse(
    text: str, label: str, *, path: str | None = None, timeouts: Timeouts | None = None
) -> Evidence:
    return parse_stream(
        [io.BytesIO(text.encode("utf-8", "replace"))], label, path=path, timeouts=timeouts
    )


def iter_lines(text: str) -> Iterator[str]:
    """Non-comment lines (for detection)."""
    return (ln for ln in text.splitlines() if ln and not ln.startswith("#"))
