"""CloudFront standard access logs: counters, facts, files and directories, constant memory."""

from __future__ import annotations

import gzip
import io
import shutil
import tracemalloc
from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, parse_all, parse_evidence
from cfdoctor.evidence import access_log as parser
from cfdoctor.evidence.model import Context

EXPECTED: dict[str, dict[str, object]] = {
    "access-log-dns.log": {
        "viewer.status": 502,
        "edge_log.dominant_error": "origin-dns-error",
        "edge_log.error_time": "fast",
        "edge_log.error_percent": 67,
    },
    "access-log-connect.log.gz": {
        "edge_log.dominant_error": "origin-connect-error",
        "edge_log.errors_in_one_location": False,
    },
    "access-log-timeouts.log": {
        "viewer.status": 504,
        "edge_log.dominant_error": "origin-comm-error",
        "edge_log.error_time": "timeout",
    },
    "access-log-lambda.log": {"edge_log.dominant_error": "lambda-validation-error"},
    "access-log-one-location.log": {"edge_log.errors_in_one_location": True},
    "access-log-loop.log": {
        "viewer.status": 404,
        "apigw.request_loops_back": True,
        "edge_log.dominant_error": "error",
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(fixtures: Path, name: str) -> None:
    facts = parse_evidence(fixtures / name).facts
    expected = EXPECTED[name]
    assert {k: facts.get(k) for k in expected} == expected


def test_loop_for_the_failing_path(fixtures: Path) -> None:
    assert (
        parse_evidence(fixtures / "access-log-loop.log", path="/api/test").facts[
            "apigw.request_loops_back"
        ]
        is True
    )
    facts = parse_evidence(fixtures / "access-log-dns.log", path="/index.html").facts
    assert facts["apigw.request_loops_back"] is False


def test_configured_timeouts_change_the_verdict(fixtures: Path) -> None:
    ctx = Context(connection_timeout=40.0, read_timeout=60.0)
    facts = parse_evidence(fixtures / "access-log-timeouts.log", context=ctx).facts
    assert facts["edge_log.error_time"] == "slow"


def test_directory_and_many_files(fixtures: Path, tmp_path: Path) -> None:
    for name in ("access-log-dns.log", "access-log-connect.log.gz"):
        shutil.copy(fixtures / name, tmp_path / name)
    ev = parse_evidence(tmp_path)
    assert ev.details["files"] == 2
    assert ev.details["lines"] == 60 + 45
    assert ev.details["error_classes"] == {"origin-dns-error": 40, "origin-connect-error": 25}
    assert ev.facts["edge_log.dominant_error"] == "origin-dns-error"  # 40 of 65: over half


def test_lines_without_header_use_the_v1_layout(fixtures: Path) -> None:
    text = (fixtures / "access-log-dns.log").read_text()
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#"))
    ev = parse_evidence(body)
    assert ev.kind == "access-log"
    assert ev.facts["edge_log.dominant_error"] == "origin-dns-error"


def test_fields_header_is_followed() -> None:
    text = (
        "#Version: 1.0\n#Fields: x-edge-location sc-status time-taken x-edge-result-type "
        "cs-uri-stem\nNRT57-P2\t502\t0.1\tError\t/\nNRT57-P2\t200\t0.1\tHit\t/\n"
    )
    facts = parser.parse(text, "log").facts
    assert facts["viewer.status"] == 502 and facts["edge_log.dominant_error"] == "error"


def test_fields_header_without_required_fields() -> None:
    with pytest.raises(EvidenceError, match="lacks sc-status"):
        parser.parse("#Fields: date time x-edge-location\n2026-01-01\t00:00:00\tNRT\n", "log")


def test_no_lines_is_an_error() -> None:
    with pytest.raises(EvidenceError, match="no CloudFront access log lines"):
        parser.parse("#Version: 1.0\n#Fields: " + " ".join(parser.V1_FIELDS) + "\n", "log")


def test_broken_gzip_is_an_error(tmp_path: Path, fixtures: Path) -> None:
    data = (fixtures / "access-log-connect.log.gz").read_bytes()
    path = tmp_path / "cut.log.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(EvidenceError, match=r"cut\.log\.gz"):
        parse_evidence(path)


def _lines(fixtures: Path) -> bytes:
    text = (fixtures / "access-log-dns.log").read_bytes()
    return b"".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith(b"#"))


def _peak(data: bytes) -> int:
    tracemalloc.start()
    parser.scan([io.BytesIO(data)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_log(fixtures: Path) -> None:
    block = _lines(fixtures)
    small, large = block * 20, block * 160
    # BytesIO holds the input itself; count only what the scanner adds on top of it.
    peak_small, peak_large = _peak(small), _peak(large)
    assert peak_large < peak_small + 256 * 1024, (peak_small, peak_large)


def test_gzip_stream_counts_decompressed_bytes(fixtures: Path) -> None:
    st = parser.scan([fixtures / "access-log-connect.log.gz"])
    raw = gzip.decompress((fixtures / "access-log-connect.log.gz").read_bytes())
    assert st.byte_count == len(raw)


def test_several_log_sources_are_one_log(fixtures: Path) -> None:
    evs = parse_all(
        [
            fixtures / "access-log-dns.log",
            fixtures / "curl-i-ok.txt",
            fixtures / "access-log-connect.log.gz",
        ]
    )
    assert [e.kind for e in evs] == ["access-log", "http-transcript"]
    assert evs[0].details["files"] == 2
    assert evs[0].label.endswith(
        "access-log-dns.log, " + str(fixtures / "access-log-connect.log.gz")
    )
