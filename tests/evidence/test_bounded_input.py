"""Evidence files cannot make cfdoctor inflate or buffer without bound (issue 13: items 4, 5)."""

from __future__ import annotations

import contextlib
import gzip
import io
import tracemalloc
import zlib
from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, bounded, ingest, parse_evidence
from cfdoctor.evidence import access_log as parser


def _bomb(path: Path, line: bytes, total: int) -> Path:
    """A gzip file that inflates to `total` bytes of `line` repeated, written as a stream."""
    out = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = line * (1024 * 1024 // len(line))
    with path.open("wb") as f:
        for _ in range(total // len(block)):
            f.write(out.compress(block))
        f.write(out.flush())
    return path


def _peak(call: object) -> int:
    tracemalloc.start()
    with contextlib.suppress(EvidenceError):
        call()  # type: ignore[operator]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_a_gzip_bomb_stops_at_the_cap_instead_of_inflating_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_BYTES", 1024 * 1024)
    bomb = _bomb(
        tmp_path / "bomb.txt.gz", b"HTTP/1.1 200 OK\r\nX: " + b"a" * 100 + b"\r\n", 48 << 20
    )
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(EvidenceError, match="once inflated"):
        parse_evidence(bomb)
    assert _peak(lambda: parse_evidence(bomb)) < 8 << 20


def test_a_gzip_bomb_of_log_lines_is_refused_at_the_ratio_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounded, "GZIP_FLOOR", 1024 * 1024)
    fields = "\t".join(["2024-01-01", "00:00:00"] + ["-"] * 31)
    head = "#Version: 1.0\n#Fields: " + " ".join(parser.V1_FIELDS) + "\n"
    bomb = tmp_path / "E123.2024-01-01-00.abc.gz"
    data = head.encode() + (fields + "\n").encode() * 400_000
    bomb.write_bytes(gzip.compress(data, 9))
    assert len(data) > bounded.GZIP_RATIO * bomb.stat().st_size
    with pytest.raises(EvidenceError, match="gzip bomb"):
        parse_evidence(bomb)


def test_ordinary_gzip_logs_still_read(fixtures: Path) -> None:
    ev = parse_evidence(fixtures / "access-log-connect.log.gz")
    assert ev.kind == "access-log"


def test_one_endless_log_line_is_skipped_not_buffered(fixtures: Path) -> None:
    text = (fixtures / "access-log-dns.log").read_bytes()
    head, _, rest = text.partition(b"\n#Fields")
    huge = head + b"\n#Fields" + rest.split(b"\n", 1)[0] + b"\n" + b"x" * (32 << 20) + b"\n"
    data = huge + b"".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith(b"#"))
    stream = io.BytesIO(data)
    tracemalloc.start()
    st = parser.scan([stream])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 4 << 20, peak
    assert st.malformed >= 1 and st.lines > 0
