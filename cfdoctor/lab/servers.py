"""Small origin servers on loopback, each broken in one way, each stopping cleanly.

Threads, not asyncio: each server is a few lines of blocking socket code, its accept loop
polls a stop event, and every connection it accepted is closed on stop.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path

_POLL = 0.05
_HEAD_TIMEOUT = 5.0
BODY = b"cfdoctor lab origin\n"


@dataclass(frozen=True, slots=True)
class TlsSettings:
    cert_file: Path
    key_file: Path
    minimum: ssl.TLSVersion = ssl.TLSVersion.TLSv1_2
    maximum: ssl.TLSVersion = ssl.TLSVersion.MAXIMUM_SUPPORTED
    ciphers: str | None = None

    def context(self) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_file, self.key_file)
        ctx.minimum_version = self.minimum
        ctx.maximum_version = self.maximum
        if self.ciphers:
            ctx.set_ciphers(self.ciphers)
        return ctx


class Server:
    """A listening socket on 127.0.0.1 and what it does with each connection."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.port: int = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        self.sock.listen(16)
        self.sock.settimeout(_POLL)
        self._spawn(self._accept_loop, "accept")

    def _spawn(self, target: object, name: str, *args: object) -> None:
        thread = threading.Thread(
            target=target,  # type: ignore[arg-type]
            args=args,
            name=f"cfdoctor-lab-{self.port}-{name}",
            daemon=True,
        )
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # the listening socket was closed by stop()
            with self._lock:
                self._conns.append(conn)
            self._spawn(self._serve, "conn", conn)

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            conn.settimeout(_HEAD_TIMEOUT)
            self.handle(conn)

    def handle(self, conn: socket.socket) -> None:
        """Answer one connection (override)."""

    def stop(self) -> None:
        self.stopping.set()
        with contextlib.suppress(OSError):
            self.sock.close()
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.close()
        for thread in threads:
            thread.join(timeout=2.0)


def read_head(conn: socket.socket) -> bytes:
    """The request head, bounded in size and time; b"" for anything that is not HTTP."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 16384:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
        if not data[:1].isalpha():  # a TLS ClientHello, say: refuse at once, as web servers do
            respond(conn, "400 Bad Request")
            return b""
    return data


def respond(conn: socket.socket, status: str = "200 OK") -> None:
    conn.sendall(
        (
            f"HTTP/1.1 {status}\r\nServer: cfdoctor-lab\r\nContent-Type: text/plain\r\n"
            f"Content-Length: {len(BODY)}\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n"
            "\r\n"
        ).encode("ascii")
        + BODY
    )


class HttpServer(Server):
    """An origin that answers HTTP, over TLS when `tls` is given, after `delay` seconds."""

    def __init__(self, tls: TlsSettings | None = None, delay: float = 0.0) -> None:
        super().__init__()
        self.context = tls.context() if tls is not None else None
        self.delay = delay

    def handle(self, conn: socket.socket) -> None:
        if self.context is None:
            self._answer(conn)
            return
        try:
            stream = self.context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            return  # the client gave up or the handshake failed: that is the fault shown
        with stream:  # wrapping detached `conn`: the TLS socket now owns the descriptor
            self._answer(stream)

    def _answer(self, stream: socket.socket) -> None:
        if not read_head(stream):
            return
        if self.delay and self.stopping.wait(self.delay):
            return
        respond(stream)


class DroppingServer(Server):
    """A port that never answers a SYN, as behind a firewall that silently drops packets.

    Without root there is no packet filter on loopback; but Linux drops the SYNs of a listener
    whose accept queue is full, so a listener with a backlog of 0, one connection queued and
    nobody accepting shows a client exactly what a silent drop shows: no SYN-ACK, then a
    connect timeout. (The queued filler is the lab's own connection, never a probe's.)
    """

    def __init__(self) -> None:
        super().__init__()
        self._fillers: list[socket.socket] = []

    def start(self) -> None:
        self.sock.listen(0)
        filler = socket.create_connection((self.host, self.port), timeout=2.0)
        self._fillers.append(filler)

    def stop(self) -> None:
        for filler in self._fillers:
            with contextlib.suppress(OSError):
                filler.close()
        super().stop()


class RefusingServer(Server):
    """A port that refuses connections: bound (so nobody else takes it) but never listening."""

    def start(self) -> None:
        pass
