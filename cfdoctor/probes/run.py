"""Run the probes of one origin in order where they depend on each other, at once where not.

DNS first (nothing else can start without an address), then the address policy on every
resolved address, then one TCP connect, then the TLS handshakes and the HTTP request together.
The policy is also handed to every connection, which checks the address it actually connects to.
Progress is reported from the calling thread only, so a terminal renderer needs no locking.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import dns.resolver

from cfdoctor.engine.model import Value
from cfdoctor.probes import dns as dns_probe
from cfdoctor.probes import http as http_probe
from cfdoctor.probes import tcp as tcp_probe
from cfdoctor.probes import tls as tls_probe
from cfdoctor.probes.policy import (
    AddressPolicy,
    AddressRefusedError,
    IPAddress,
    non_public_reason,
    parse_address,
)
from cfdoctor.probes.result import (
    STEPS,
    Finding,
    Findings,
    ProbeResult,
    StepName,
    StepReport,
    StepStatus,
)
from cfdoctor.probes.target import ProbeInputError, ProbeTarget


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    step: StepName
    phase: Literal["start", "done"]
    status: StepStatus | None = None
    seconds: float = 0.0
    detail: str = ""


ProgressCallback = Callable[[ProgressEvent], None]


class _Run:
    """The state of one probe run: collected findings, step reports, progress."""

    def __init__(self, target: ProbeTarget, progress: ProgressCallback | None) -> None:
        self.target = target
        self.progress = progress
        self.parts: list[Findings] = []
        self.steps: list[StepReport] = []
        self.started: dict[str, float] = {}

    def start(self, step: StepName) -> None:
        self.started[step] = time.monotonic()
        if self.progress is not None:
            self.progress(ProgressEvent(step, "start"))

    def done(self, step: StepName, status: StepStatus, detail: str) -> None:
        seconds = time.monotonic() - self.started.get(step, time.monotonic())
        self.steps.append(StepReport(step, status, seconds, detail))
        if self.progress is not None:
            self.progress(ProgressEvent(step, "done", status, seconds, detail))

    def skip(self, steps: tuple[StepName, ...], why: str) -> None:
        for step in steps:
            self.steps.append(StepReport(step, "skipped", 0.0, why))
            if self.progress is not None:
                self.progress(ProgressEvent(step, "done", "skipped", 0.0, why))

    def result(self, began: float, refusal: str | None = None) -> ProbeResult:
        findings: list[Finding] = []
        errors: list[str] = []
        seen: dict[str, Value] = {}
        extra: dict[str, object] = {}
        for part in self.parts:
            errors.extend(part.errors)
            extra.update(part.extra)
            for f in part.items:
                if f.fact in seen:
                    if seen[f.fact] != f.value:
                        errors.append(
                            f"{f.fact}: {f.source} found {f.value!r}, kept {seen[f.fact]!r}"
                        )
                    continue
                seen[f.fact] = f.value
                findings.append(f)
        if refusal:
            errors.insert(0, refusal)
        return ProbeResult(
            target=self.target,
            findings=tuple(findings),
            steps=tuple(sorted(self.steps, key=lambda s: STEPS.index(s.step))),
            errors=tuple(errors),
            refusal=refusal,
            seconds=time.monotonic() - began,
            extra=dict(extra),
        )


def _pick(addresses: tuple[IPAddress, ...]) -> IPAddress:
    """The address CloudFront would most likely use: the first IPv4 one, else the first."""
    return next((a for a in addresses if a.version == 4), addresses[0])


def probe(
    target: ProbeTarget,
    *,
    policy: AddressPolicy | None = None,
    resolver: dns.resolver.Resolver | None = None,
    progress: ProgressCallback | None = None,
) -> ProbeResult:
    """Probe `target` as CloudFront would reach it; facts with evidence, never a diagnosis.

    `policy` defaults to allowing what the caller named (a person at a terminal); servers pass
    `AddressPolicy.public_only()`. `resolver` defaults to the system's (tests pass one that
    asks a DNS server on loopback). Every step is bounded by the target's timeouts.
    """
    began = time.monotonic()
    policy = policy or AddressPolicy.allow_all()
    run = _Run(target, progress)
    try:
        contexts = tls_probe.build_contexts(target)
    except (OSError, ValueError) as exc:
        raise ProbeInputError(f"cannot use the CA bundle {target.ca_bundle}: {exc}") from None

    # -- DNS ------------------------------------------------------------------------------
    try:
        policy.check_name(target.domain)
    except AddressRefusedError as exc:
        run.skip(("dns",), "the address policy refused the origin's name")
        return _refused(run, began, exc)
    literal = parse_address(target.domain)
    if literal is not None:
        addresses: tuple[IPAddress, ...] = (literal,)
        run.skip(("dns",), "the origin was given as an address (CloudFront needs a name)")
    else:
        run.start("dns")
        answer = dns_probe.resolve(
            target.origin_name, resolver or dns_probe.make_resolver(), target.dns_timeout
        )
        run.parts.append(dns_probe.dns_findings(target.origin_name, answer))
        private = [f"{a} ({why})" for a in answer.addresses if (why := non_public_reason(a))]
        shown = ", ".join(str(a) for a in answer.addresses) or answer.detail
        if answer.status != "resolves":
            run.done("dns", "failed", f"{answer.status}: {shown}")
            run.skip(("tcp", "tls", "http"), "the name does not resolve")
            return run.result(began)
        if private:
            run.done("dns", "failed", "not reachable from the internet: " + ", ".join(private))
        else:
            run.done("dns", "ok", f"resolves: {shown}")
        addresses = answer.addresses

    # -- policy: every address, before any contact ----------------------------------------
    try:
        policy.check(addresses)
    except AddressRefusedError as exc:
        return _refused(run, began, exc)

    # -- TCP ------------------------------------------------------------------------------
    picked = _pick(addresses)
    address, port = str(picked), target.port
    run.start("tcp")
    outcome = tcp_probe.connect(address, port, target.connect_timeout, policy)
    # origin.tcp.connect means "from the public internet": a name that resolves to a private
    # address can be reached from here, never from there; TLS and HTTP facts still hold.
    hidden = None if literal is not None else non_public_reason(picked)
    tcp_part = tcp_probe.tcp_findings(address, port, outcome, len(addresses) - 1)
    if hidden is not None:
        tcp_part.items.clear()
        tcp_part.errors.append(
            f"origin.tcp.connect not settled: {address} is a {hidden} address, so a connection "
            "from this host says nothing about connections from the internet"
        )
    run.parts.append(tcp_part)
    run.done("tcp", "ok" if outcome.status == "connects" else "failed", outcome.detail)
    if outcome.status != "connects":
        if target.protocol == "https" and outcome.status in ("refused", "timeout") and not hidden:
            tls = Findings("probe:tls")
            tls.add("origin.tls.handshake", "no-connection", f"TCP {outcome.status}")
            run.parts.append(tls)
        run.skip(("tls", "http"), f"no TCP connection ({outcome.status})")
        return run.result(began)

    # -- TLS and HTTP, concurrently -------------------------------------------------------
    _probe_connected(run, target, address, contexts, policy)
    return run.result(began)


def _refused(run: _Run, began: float, exc: AddressRefusedError) -> ProbeResult:
    run.steps.append(StepReport("tcp", "refused", 0.0, str(exc)))
    run.skip(("tls", "http"), "the address policy refused the origin's address")
    return run.result(began, refusal=str(exc))


def _probe_connected(
    run: _Run,
    target: ProbeTarget,
    address: str,
    contexts: tls_probe.TlsContexts,
    policy: AddressPolicy,
) -> None:
    port, wait = target.port, target.connect_timeout
    https = target.protocol == "https"
    with concurrent.futures.ThreadPoolExecutor(10, thread_name_prefix="cfdoctor-probe") as pool:
        hs = tls_probe.handshake
        tls_jobs: dict[str, concurrent.futures.Future[tls_probe.Handshake]] = {}
        if https:
            run.start("tls")
            name = target.server_name
            jobs = [("main", name, contexts.permissive), ("verified", name, contexts.verifying)]
            jobs += [(version, name, ctx) for version, ctx in contexts.versions.items()]
            if contexts.cipher is not None:
                jobs.append(("cipher", name, contexts.cipher))
            if target.host_header and target.host_header != name:
                jobs.append(("host", target.host_header, contexts.permissive))
            for key, server_name, ctx in jobs:
                tls_jobs[key] = pool.submit(hs, address, port, server_name, ctx, wait, policy)
        else:
            run.skip(("tls",), "CloudFront speaks plain HTTP to this origin")
        run.start("http")
        http_job = pool.submit(http_probe.probe_http, address, target, contexts, policy)
        futures: list[concurrent.futures.Future[Any]] = [*tls_jobs.values(), http_job]
        tls_left: set[concurrent.futures.Future[Any]] = set(tls_jobs.values())
        tls_part: Findings | None = None
        http_part: Findings | None = None
        http_outcome: http_probe.HttpOutcome | None = None
        for future in concurrent.futures.as_completed(futures):
            if future is http_job:
                http_outcome = http_job.result()
                http_part = http_probe.http_findings(target, http_outcome)
                run.done("http", *_http_status(target, http_outcome))
                continue
            tls_left.discard(future)
            if not tls_left:
                tls_part = _tls_part(target, tls_jobs, contexts)
                _reconcile(tls_part, http_outcome)
                run.done("tls", *_tls_status(tls_part))
    if tls_part is not None:
        _reconcile(tls_part, http_outcome)  # the HTTP answer may have come last
        run.parts.append(tls_part)
    if http_part is not None:
        run.parts.append(http_part)


def _tls_part(
    target: ProbeTarget,
    jobs: dict[str, concurrent.futures.Future[tls_probe.Handshake]],
    contexts: tls_probe.TlsContexts,
) -> Findings:
    done = {k: f.result() for k, f in jobs.items()}
    obs = tls_probe.TlsObservations(
        main=done["main"],
        verified=done.get("verified"),
        versions={v: done[v] for v in contexts.versions},
        cipher=done.get("cipher"),
        host=done.get("host"),
        contexts=contexts,
    )
    return tls_probe.tls_findings(target, obs, datetime.datetime.now(datetime.UTC))


def _reconcile(tls: Findings, http: http_probe.HttpOutcome | None) -> None:
    """A port that answered plain HTTP does not speak TLS, however the handshake failed."""
    if http is None or http.speaks != "http":
        return
    plain = f"the port answered plain HTTP ({http.detail})"
    for i, f in enumerate(tls.items):
        if f.fact == "origin.tls.handshake":
            if f.value != "not-tls":
                tls.items[i] = Finding(f.fact, "not-tls", f"{f.evidence}; {plain}", f.source)
            return
    tls.add("origin.tls.handshake", "not-tls", plain)


def _tls_status(part: Findings) -> tuple[StepStatus, str]:
    facts = {f.fact: f for f in part.items}
    handshake = facts.get("origin.tls.handshake")
    if handshake is None or handshake.value != "completed":
        return "failed", handshake.evidence if handshake else "; ".join(part.errors)
    bad = (
        ("origin.tls.verify_code", 0),
        ("origin.tls.shared_protocol", True),
        ("origin.tls.shared_cipher", True),
        ("origin.cert.chain_in_order", True),
        ("origin.cert.covers_host_header", True),
    )
    for fact, good in bad:
        f = facts.get(fact)
        if f is not None and f.value != good:
            return "failed", f"{fact}: {f.evidence}"
    return "ok", handshake.evidence


def _http_status(target: ProbeTarget, outcome: http_probe.HttpOutcome) -> tuple[StepStatus, str]:
    if outcome.speaks is not None:
        expected = "https" if outcome.speaks == "http" else "http"
        return "failed", f"port {target.port} speaks {outcome.speaks}, not {expected}"
    if outcome.kind != "answered":
        return "failed", outcome.detail
    assert outcome.status is not None and outcome.ttfb is not None
    timing = f"{outcome.detail}, first byte after {outcome.ttfb * 1000:.0f} ms"
    slow = outcome.ttfb > target.read_timeout
    return ("failed" if outcome.status >= 500 or slow else "ok"), timing
