"""`cfdoctor probe`, `diagnose --probe` and `cfdoctor lab`, against the lab's broken origins.

Only 127.0.0.1 is contacted. The lab runs in this process for the in-process commands, and as
its own program for the lab's own test, which probes it with a second program.
"""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cfdoctor.lab import Lab, LabOrigin, start_lab
from tests.cli.clitools import (
    CONSOLE_SCRIPT,
    invoke,
    loads,
    one_line_error,
    program_env,
    run_program,
)

ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
"""The managed origin request policy that forwards the viewer's Host."""


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    with start_lab(timeout=1.0) as running:
        yield running


def probe_args(origin: LabOrigin) -> list[str]:
    """The lab's `cfdoctor probe ...` command as arguments after the program name."""
    words = shlex.split(origin.command())
    assert words[:2] == ["cfdoctor", "probe"], words
    return words[1:]


def diagnose_args(origin: LabOrigin) -> list[str]:
    """The same target for `diagnose --probe`: the probe options are shared."""
    return ["diagnose", "--no-ask", "--json", "--probe", *probe_args(origin)[1:]]


# -- diagnose --probe ---------------------------------------------------------------------------
def test_healthy_origin_has_no_confident_cause(lab: Lab) -> None:
    result = invoke(diagnose_args(lab.origin("healthy")))
    report = loads(result)
    assert report["confident_cause"] is None, result.output
    assert report["probe"]["steps"][0]["step"] == "dns", result.output
    sources = {f["source"] for f in report["facts"]}
    assert sources <= {"probe:dns", "probe:tcp", "probe:tls", "probe:http"}, result.output
    assert "probe:tls" in sources, result.output


@pytest.mark.parametrize("fault", ["expired", "dns-nxdomain", "port-refused"])
def test_fault_ranks_its_cause_first(lab: Lab, fault: str) -> None:
    origin = lab.origin(fault)
    status = f"viewer.status={origin.viewer_status}"
    result = invoke([*diagnose_args(origin), "--fact", status])
    report = loads(result)
    assert report["causes"][0]["id"] == origin.expected_cause, result.output


# -- cfdoctor probe -----------------------------------------------------------------------------
def test_probe_text_shows_steps_evidence_and_suggestion(lab: Lab) -> None:
    result = invoke(probe_args(lab.origin("wrong-name")))
    assert result.exit_code == 0, result.output
    out = result.stdout
    for step in ("dns: skipped", "tcp: ok", "tls: failed", "http: "):
        assert step in out, result.output
    assert "origin.cert.covers_origin_domain = no" in out, result.output
    assert "www.lab.test" in out, result.output  # the certificate's SAN as evidence
    assert "What these facts suggest" in out, result.output
    hint = next(line for line in out.splitlines() if "$ cfdoctor diagnose --probe" in line)
    words = shlex.split(hint.partition("$ ")[2])
    followed = loads(invoke([*words[1:], "--no-ask", "--json"]))
    assert followed["causes"][0]["id"] == "origin-cert-name-mismatch", hint


def test_probe_json(lab: Lab) -> None:
    origin = lab.origin("self-signed")
    result = invoke([*probe_args(origin), "--json"])
    body = loads(result)
    assert body["target"]["port"] == origin.target.port, result.output
    assert [s["step"] for s in body["steps"]] == ["dns", "tcp", "tls", "http"], result.output
    facts = {f["fact"]: f for f in body["facts"]}
    assert facts["origin.tcp.connect"]["value"] == "connects", result.output
    assert facts["origin.tcp.connect"]["evidence"], result.output
    assert body["diagnosis"]["state"] in {"confident", "uncertain", "no-known-cause"}
    ids = [c["id"] for c in body["diagnosis"]["causes"]]
    assert origin.expected_cause in ids, result.output


def _config(lab: Lab, origins: list[dict[str, Any]], host_policy: bool) -> dict[str, Any]:
    behavior: dict[str, Any] = {
        "TargetOriginId": origins[0]["Id"],
        "ViewerProtocolPolicy": "https-only",
    }
    if host_policy:
        behavior["OriginRequestPolicyId"] = ALL_VIEWER
    return {
        "ETag": "E1",
        "DistributionConfig": {
            "Aliases": {"Quantity": 1, "Items": ["healthy.lab.test"]},
            "Origins": {"Quantity": len(origins), "Items": origins},
            "DefaultCacheBehavior": behavior,
        },
    }


def _origin(lab: Lab, oid: str, fault: str) -> dict[str, Any]:
    return {
        "Id": oid,
        "DomainName": "127.0.0.1",
        "ConnectionTimeout": 1,
        "CustomOriginConfig": {
            "HTTPPort": 80,
            "HTTPSPort": lab.origin(fault).target.https_port,
            "OriginProtocolPolicy": "https-only",
            "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
            "OriginReadTimeout": 2,
        },
    }


def test_probe_as_cloudfront_would_from_a_config(lab: Lab, tmp_path: Path) -> None:
    config = tmp_path / "dist.json"
    config.write_text(json.dumps(_config(lab, [_origin(lab, "web", "healthy")], True)))
    result = invoke(["probe", "--config", str(config), "--ca-bundle", str(lab.ca_bundle), "--json"])
    body = loads(result)
    target = body["target"]
    assert (target["sni"], target["host_header"]) == ("healthy.lab.test",) * 2, result.output
    assert target["port"] == lab.origin("healthy").target.https_port, result.output
    assert (target["connect_timeout"], target["read_timeout"]) == (1, 2), result.output
    assert target["origin_ssl_protocols"] == ["TLSv1.2"], result.output
    facts = {f["fact"]: f["value"] for f in body["facts"]}
    assert facts["origin.tls.handshake"] == "completed", result.output


def test_probe_config_with_several_origins_needs_one(lab: Lab, tmp_path: Path) -> None:
    origins = [_origin(lab, "web", "healthy"), _origin(lab, "old", "expired")]
    config = tmp_path / "dist.json"
    config.write_text(json.dumps(_config(lab, origins, False)))
    result = run_program(["probe", "--config", str(config)])
    assert result.returncode == 2, result.stderr
    line = one_line_error(result.stderr)
    assert "--origin" in line and "web (127.0.0.1)" in line and "old (127.0.0.1)" in line, line
    chosen = invoke(
        [
            "probe",
            "--config",
            str(config),
            "--origin",
            "old",
            "--ca-bundle",
            str(lab.ca_bundle),
            "--json",
        ]
    )
    assert loads(chosen)["target"]["port"] == lab.origin("expired").target.https_port
    data = _config(lab, origins, False)
    data["DistributionConfig"]["CacheBehaviors"] = {
        "Quantity": 1,
        "Items": [{"PathPattern": "/old/*", "TargetOriginId": "old"}],
    }
    config.write_text(json.dumps(data))
    served = invoke(
        [
            "probe",
            "--config",
            str(config),
            "--path",
            "/old/a",
            "--ca-bundle",
            str(lab.ca_bundle),
            "--json",
        ]
    )
    target = loads(served)["target"]
    assert (target["port"], target["path"]) == (lab.origin("expired").target.https_port, "/old/a")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["probe", "127.0.0.1", "--port", "70000"], "port"),
        (["probe", "127.0.0.1", "--host-header", "a.test\r\nX-Evil: 1"], "host header"),
        (["probe", "127.0.0.1", "--protocol", "ftp"], "protocol"),
        (["probe", "127.0.0.1", "--dns-server", "resolver.test"], "DNS server"),
        (["probe", "127.0.0.1", "--ca-bundle", "/nonexistent/ca.pem"], "CA bundle"),
        (["probe"], "ORIGIN"),
        (["diagnose", "--no-ask", "--probe", "bad..name"], "not a valid domain name"),
    ],
)
def test_probe_input_errors_are_exit_2(args: list[str], needle: str) -> None:
    result = run_program(args)
    assert result.returncode == 2, result.stderr
    assert needle in one_line_error(result.stderr), result.stderr


# -- cfdoctor lab -------------------------------------------------------------------------------
def _read_json(stream: Any) -> Any:
    """One indented JSON document from a pipe that stays open: read up to its closing brace."""
    lines: list[str] = []
    for line in stream:
        lines.append(line)
        if line.rstrip("\n") == "}":
            return json.loads("".join(lines))
    raise AssertionError("the lab ended before printing its origins: " + "".join(lines))


def test_lab_program_serves_until_ctrl_c() -> None:
    lab = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "lab", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=program_env(),
    )
    try:
        assert lab.stdout is not None
        shown = _read_json(lab.stdout)
        origins = {o["fault"]: o for o in shown["origins"]}
        assert origins["healthy"]["expected_cause"] is None, shown
        assert origins["expired"]["title"] == "Expired certificate", shown
        words = shlex.split(origins["expired"]["command"])
        assert words[:2] == ["cfdoctor", "probe"], words
        probed = run_program([*words[1:], "--json"])
        assert probed.returncode == 0, probed.stderr
        facts = {f["fact"]: f["value"] for f in json.loads(probed.stdout)["facts"]}
        assert facts["origin.cert.expired"] is True, probed.stdout
        assert lab.poll() is None, "the lab must keep running"
        lab.send_signal(signal.SIGINT)
        assert lab.wait(timeout=5) == 0, lab.stderr.read() if lab.stderr else ""
        assert not Path(shown["ca_bundle"]).exists(), "stopping removes the lab's files"
    finally:
        if lab.poll() is None:
            lab.kill()
            lab.wait()


def test_diagnose_probes_with_the_origin_settings_of_a_config_given_as_evidence(
    lab: Lab, tmp_path: Path
) -> None:
    origin = _origin(lab, "web", "healthy")
    origin["CustomOriginConfig"]["OriginSslProtocols"] = {"Quantity": 1, "Items": ["TLSv1"]}
    config = tmp_path / "dist.json"
    config.write_text(json.dumps(_config(lab, [origin], True)))
    args = ["diagnose", "--no-ask", "--json", "--evidence", str(config)]
    result = invoke([*args, "--probe", "127.0.0.1", "--ca-bundle", str(lab.ca_bundle)])
    report = loads(result)
    target = report["probe"]["target"]
    assert target["origin_ssl_protocols"] == ["TLSv1"], result.output
    assert target["port"] == lab.origin("healthy").target.https_port, result.output
    assert (target["connect_timeout"], target["read_timeout"]) == (1, 2), result.output
    facts = {f["fact"]: f["value"] for f in report["facts"]}
    assert facts.get("origin.tls.shared_protocol") is not True, result.output  # only TLS 1.0
