"""An origin that trickles, never ends its head, or sends a huge one is failing, as CloudFront
would see it, never "ok, 200" (issue 13, item 10). Loopback servers only."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from cfdoctor.probes import ProbeTarget
from cfdoctor.probes.http import exchange, http_findings


def _serve(send: Callable[[socket.socket], None]) -> Iterator[int]:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def run() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                try:
                    conn.recv(4096)
                    send(conn)
                except OSError:
                    pass

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def trickle(conn: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nServer: slow\r\n\r\n":
        conn.sendall(bytes([byte]))
        time.sleep(0.15)


def endless(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for n in range(100_000):
        conn.sendall(b"X-Filler-%d: %s\r\n" % (n, b"a" * 100))


def huge(conn: socket.socket) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nX-Big: ")
    block = b"b" * 65536
    for _ in range(1600):  # 100 MB
        conn.sendall(block)


def target(port: int) -> ProbeTarget:
    return ProbeTarget(
        "127.0.0.1", protocol="http", http_port=port, connect_timeout=1.0, read_timeout=1.0
    )


@pytest.fixture()
def trickling() -> Iterator[int]:
    yield from _serve(trickle)


@pytest.fixture(params=[endless, huge], ids=["endless", "100MB"])
def oversized(request: pytest.FixtureRequest) -> Iterator[int]:
    yield from _serve(request.param)


def test_a_trickled_head_is_a_timeout_not_status_2(trickling: int) -> None:
    t = target(trickling)
    outcome = exchange("127.0.0.1", trickling, t, None)
    assert outcome.kind == "slow", outcome
    assert outcome.status is None
    found = {f.fact: f.value for f in http_findings(t, outcome).items}
    assert found == {"origin.http.ttfb_exceeds_read_timeout": True}


def test_an_endless_or_huge_head_is_too_large_not_ok_200(oversized: int) -> None:
    t = target(oversized)
    began = time.monotonic()
    outcome = exchange("127.0.0.1", oversized, t, None)
    assert time.monotonic() - began < 10
    assert outcome.kind == "head-too-large", outcome
    found = {f.fact: f.value for f in http_findings(t, outcome).items}
    assert found.get("origin.http.head_too_large") is True
    assert "origin.http.status" not in found
