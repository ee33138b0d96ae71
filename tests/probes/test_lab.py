"""The lab users start with `cfdoctor lab`: it lists how to probe each fault and stops cleanly."""

from __future__ import annotations

import shlex
import socket
import threading

from cfdoctor.lab import start_lab
from cfdoctor.lab.lab import FAULTS
from cfdoctor.probes import target_from_options


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_lab_lists_every_fault_and_stops_cleanly() -> None:
    before = threading.active_count()
    lab = start_lab(timeout=1.0)
    try:
        assert [o.fault for o in lab] == list(FAULTS)
        text = lab.instructions()
        assert str(lab.ca_bundle) in text
        for origin in lab:
            assert origin.command() in text
            assert origin.target.address in (None, "127.0.0.1")
        healthy = lab.origin("healthy")
        port = healthy.target.https_port
        assert _port_open(port)
        assert lab.ca_bundle.is_file()
    finally:
        lab.stop()
    lab.stop()  # idempotent
    assert not _port_open(port)
    assert not lab.directory.exists()
    assert threading.active_count() <= before + 1  # daemon handler threads end with their sockets


def test_commands_parse_back_into_the_same_target() -> None:
    """What the lab prints is what `cfdoctor probe` will build (options as the CLI maps them)."""
    with start_lab(timeout=2.0) as lab:
        for origin in lab:
            words = shlex.split(origin.command())
            assert words[:2] == ["cfdoctor", "probe"]
            options: dict[str, str] = dict(zip(words[3::2], words[4::2], strict=True))
            rebuilt = target_from_options(
                words[2],
                port=int(options["--port"]) if "--port" in options else None,
                sni=options.get("--sni"),
                ca_bundle=options.get("--ca-bundle"),
                timeout=float(options["--timeout"]),
            )
            assert rebuilt == origin.target, origin.fault
            assert ("--dns-server" in options) == (origin.nameserver is not None)


def test_wait_returns_when_stopped() -> None:
    lab = start_lab()
    stopper = threading.Timer(0.2, lab.stop)
    stopper.start()
    lab.wait()
    stopper.join()
    assert lab.stopped and not lab.directory.exists()
