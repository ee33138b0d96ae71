"""Reading evidence files with limits: a gzip bomb or one endless line stops at a cap.

A 2 MB `.gz` can inflate to gigabytes, and a log line can be as long as the file; both are read
as streams here, counted as they come, and refused (EvidenceError) when they pass the cap, so
memory stays bounded by the cap whatever the file holds.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from cfdoctor.evidence.model import EvidenceError

GZIP_RATIO = 200
"""Logs compress 10-30 times; a member inflating 200 times its size and more is a bomb."""
GZIP_FLOOR = 64 * 1024 * 1024
"""Small files may inflate to this much whatever their ratio."""
MAX_LINE_BYTES = 64 * 1024
"""The longest log line read: a CloudFront log line is a few KB (the URL is at most 8 KB)."""
_CHUNK = 64 * 1024


class _Capped(io.RawIOBase):
    """A decompressing stream that raises once more than `cap` bytes came out."""

    def __init__(self, inner: IO[bytes], cap: int, label: str) -> None:
        self._inner, self._cap, self._label, self._out = inner, cap, label, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(min(len(buffer), _CHUNK))
        self._out += len(data)
        if self._out > self._cap:
            raise EvidenceError(
                f"{self._label}: gzip data inflates past {self._cap // 2**20} MiB "
                f"({GZIP_RATIO} times the file); refusing what looks like a gzip bomb"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


def gzip_cap(compressed_size: int) -> int:
    return max(GZIP_FLOOR, compressed_size * GZIP_RATIO)


def open_evidence(path: Path, cap: int | None = None) -> IO[bytes]:
    """The file's bytes, inflated as a stream if it is gzip, with the inflation capped."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic != b"\x1f\x8b":
        return path.open("rb")
    limit = cap if cap is not None else gzip_cap(path.stat().st_size)
    inflating = cast(IO[bytes], gzip.open(path, "rb"))  # noqa: SIM115 - closed by _Capped
    raw = _Capped(inflating, limit, str(path))
    return cast(IO[bytes], io.BufferedReader(raw, _CHUNK))


def read_capped(path: Path, limit: int) -> bytes | None:
    """The whole (inflated) content, or None when it is longer than `limit` bytes."""
    with open_evidence(path, cap=None) as f:
        data = f.read(limit + 1)
    return None if len(data) > limit else data


def lines(stream: IO[bytes], max_line: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """The stream's lines; a line longer than `max_line` yields None, its rest skipped unread
    into memory (read and dropped in chunks)."""
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if len(line) <= max_line or line.endswith(b"\n"):
            yield line
            continue
        while True:
            rest = stream.readline(_CHUNK)
            if not rest or rest.endswith(b"\n"):
                break
        yield None
