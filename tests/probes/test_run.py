"""The probe as a whole: facts of the vocabulary only, evidence, steps, progress, bounds."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from cfdoctor.api import new_session
from cfdoctor.engine.errors import FactError
from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.values import type_problem
from cfdoctor.lab import Lab
from cfdoctor.lab.lab import FAULTS
from cfdoctor.lab.servers import Server
from cfdoctor.probes import (
    PROVIDERS,
    Finding,
    ProbeInputError,
    ProbeResult,
    ProbeTarget,
    ProgressEvent,
    probe,
)
from tests.probes.conftest import LAB_TIMEOUT


@pytest.mark.parametrize("fault", FAULTS)
def test_probes_speak_the_vocabulary_exactly(
    kb: KnowledgeBase, probed: Callable[[str], ProbeResult], fault: str
) -> None:
    result = probed(fault)
    assert result.findings, f"{fault}: no facts ({result.errors})"
    for f in result.findings:
        fact = kb.facts.get(f.fact)
        assert fact is not None, f"{fault}: unknown fact {f.fact}"
        assert not fact.derived, f"{fault}: {f.fact} is derived"
        assert type_problem(fact, f.value) is None, f"{fault}: {f.fact}={f.value!r}"
        assert f.source in PROVIDERS and f.source in fact.settled_by, f"{fault}: {f}"
        assert f.evidence.strip(), f"{fault}: {f.fact} has no evidence"
    assert len({f.fact for f in result.findings}) == len(result.findings)
    assert [s.step for s in result.steps] == ["dns", "tcp", "tls", "http"]
    json.dumps(result.to_dict())


def test_a_healthy_origin_is_probed_in_well_under_a_second(lab: Lab) -> None:
    events: list[ProgressEvent] = []
    threads: set[int] = set()

    def progress(event: ProgressEvent) -> None:
        events.append(event)
        threads.add(threading.get_ident())

    result = probe(lab.origin("healthy").target, progress=progress)
    assert result.seconds < 1.0, result.steps
    assert all(s.status in ("ok", "skipped") for s in result.steps), result.steps
    assert not result.errors and result.refusal is None
    assert threads == {threading.get_ident()}, "progress must come from the calling thread"
    done = {(e.step, e.status) for e in events if e.phase == "done"}
    assert done == {("dns", "skipped"), ("tcp", "ok"), ("tls", "ok"), ("http", "ok")}
    starts = [e.step for e in events if e.phase == "start"]
    assert starts == ["tcp", "tls", "http"]
    assert result.facts["origin.tls.verify_code"] == 0
    assert result.extra["certificate"]["names"] == ["healthy.lab.test"]


def test_timeouts_bound_the_slow_faults(probed: Callable[[str], ProbeResult]) -> None:
    for fault in ("port-drops", "slow-first-byte"):
        result = probed(fault)
        assert result.seconds < LAB_TIMEOUT + 0.5, (fault, result.steps)
    drop = probed("port-drops")
    assert drop.facts["origin.tcp.connect"] == "timeout"
    assert probed("port-refused").facts["origin.tcp.connect"] == "refused"
    assert probed("slow-first-byte").facts["origin.http.ttfb_exceeds_read_timeout"] is True


def test_host_header_other_than_sni_gets_its_own_handshake(lab: Lab) -> None:
    origin = lab.origin("wrong-name")  # its certificate covers www.lab.test only
    target = dataclasses.replace(origin.target, sni="www.lab.test", host_header="api.lab.test")
    result = probe(target)
    assert result.facts["origin.cert.covers_origin_domain"] is True
    assert result.facts["origin.cert.covers_host_header"] is False
    assert (
        "api.lab.test is not covered by www.lab.test"
        in result.evidence["origin.cert.covers_host_header"]
    )
    same = probe(dataclasses.replace(target, host_header="www.lab.test"))
    assert same.facts["origin.cert.covers_host_header"] is True


@pytest.mark.parametrize(
    ("protocols", "expected"),
    [(("TLSv1.2",), True), (("TLSv1", "TLSv1.1"), False), (("SSLv3",), None)],
)
def test_shared_protocol_follows_origin_ssl_protocols(
    lab: Lab, protocols: tuple[str, ...], expected: bool | None
) -> None:
    target = dataclasses.replace(lab.origin("healthy").target, origin_ssl_protocols=protocols)
    result = probe(target)
    assert result.facts.get("origin.tls.shared_protocol") == expected
    if expected is None:  # SSLv3 cannot be offered by OpenSSL 3: unknown, and said so
        assert "origin.tls.shared_cipher" not in result.facts
        assert any("SSLv3" in e for e in result.errors), result.errors


def test_http_port_that_speaks_tls_and_one_that_speaks_http(lab: Lab) -> None:
    tls_port = lab.origin("healthy").target.https_port
    plain_port = lab.origin("plain-http-on-https-port").target.https_port
    base = lab.origin("healthy").target
    to_tls = probe(dataclasses.replace(base, protocol="http", http_port=tls_port))
    assert to_tls.facts["origin.listener.http_port_protocol"] == "https"
    assert "origin.tls.handshake" not in to_tls.facts
    to_plain = probe(dataclasses.replace(base, protocol="http", http_port=plain_port))
    assert to_plain.facts["origin.listener.http_port_protocol"] == "http"
    assert to_plain.facts["origin.http.status"] == 200


def test_observe_into_is_all_or_nothing(
    reasoner: Reasoner, probed: Callable[[str], ProbeResult]
) -> None:
    good = probed("healthy")
    session = new_session(reasoner)
    good.observe_into(session)
    assert session.facts == good.facts
    assert {i.source for i in session.inputs} == {"probe:tcp", "probe:tls", "probe:http"}
    bad = dataclasses.replace(
        good,
        findings=(
            *good.findings,
            Finding("origin.listener.answered", True, "derived", "probe:http"),
        ),
    )
    fresh = new_session(reasoner)
    with pytest.raises(FactError, match="derived"):
        bad.observe_into(fresh)
    assert fresh.facts == {}


class _AlertingServer(Server):
    """Answers every ClientHello with a fatal handshake_failure alert, whatever it offers."""

    def handle(self, conn: socket.socket) -> None:
        if conn.recv(4096):
            conn.sendall(b"\x15\x03\x01\x00\x02\x02\x28")


def test_an_origin_that_refuses_every_handshake(reasoner: Reasoner) -> None:
    server = _AlertingServer()
    server.start()
    try:
        target = ProbeTarget("127.0.0.1", https_port=server.port, sni="a.test", connect_timeout=1)
        result = probe(target)
    finally:
        server.stop()
    assert result.facts["origin.tls.handshake"] == "alert"
    assert result.facts["origin.tls.shared_protocol"] is False
    assert "origin.tls.shared_cipher" not in result.facts
    assert "origin.cert.expired" not in result.facts
    session = new_session(reasoner)
    result.observe_into(session)
    session.observe("viewer.status", 502)
    lead = session.evaluation().ranking.leader
    assert lead is not None and lead.cause == "origin-tls-protocol-or-cipher-mismatch"


def test_a_bundle_that_is_not_pem_is_a_usage_error(tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    with pytest.raises(ProbeInputError, match="CA bundle"):
        probe(ProbeTarget("127.0.0.1", https_port=9, ca_bundle=str(bundle)))
