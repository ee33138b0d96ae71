"""A tiny authoritative DNS server on loopback UDP, for the lab's name-resolution faults.

It answers from a dict, follows CNAMEs inside its zone (so a CNAME to a missing name comes back
as NXDOMAIN with the CNAME in the answer, as real authoritative servers do), and can be told to
answer SERVFAIL or nothing at all for a name.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Mapping
from typing import Literal

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

Behaviour = Literal["servfail", "silent"]
Records = Mapping[str, Mapping[str, tuple[str, ...]]]
"""name → record type → values, e.g. {"a.lab.test": {"A": ("127.0.0.1",)}}."""


class DnsServer:
    def __init__(
        self,
        zone: str,
        records: Records,
        behaviours: Mapping[str, Behaviour] | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.zone = dns.name.from_text(zone)
        self.records = {
            dns.name.from_text(n): {t.upper(): v for t, v in types.items()}
            for n, types in records.items()
        }
        self.behaviours = {dns.name.from_text(n): b for n, b in (behaviours or {}).items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((host, 0))
        self.sock.settimeout(0.05)
        self.host = host
        self.port: int = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cfdoctor-lab-dns", daemon=True)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)
        with contextlib.suppress(OSError):
            self.sock.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                wire, client = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(wire)
            except dns.exception.DNSException:
                continue
            response = self.answer(query)
            if response is not None:
                with contextlib.suppress(OSError, dns.exception.DNSException):
                    self.sock.sendto(response.to_wire(), client)

    def answer(self, query: dns.message.Message) -> dns.message.Message | None:
        """The response to `query`, or None to stay silent."""
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if not query.question:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        name, rdtype = question.name, dns.rdatatype.to_text(question.rdtype)
        if not name.is_subdomain(self.zone):
            response.set_rcode(dns.rcode.REFUSED)
            return response
        for _ in range(8):  # CNAME chains inside the zone, bounded
            behaviour = self.behaviours.get(name)
            if behaviour == "silent":
                return None
            if behaviour == "servfail":
                response.set_rcode(dns.rcode.SERVFAIL)
                return response
            types = self.records.get(name)
            if types is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
                return response
            if "CNAME" in types and rdtype != "CNAME":
                target = dns.name.from_text(types["CNAME"][0])
                response.answer.append(
                    dns.rrset.from_text(name, 60, "IN", "CNAME", target.to_text())
                )
                name = target
                continue
            if rdtype in types:
                response.answer.append(dns.rrset.from_text(name, 60, "IN", rdtype, *types[rdtype]))
            return response  # NOERROR, with or without an answer
        response.set_rcode(dns.rcode.SERVFAIL)
        return response
