"""Wall time of a full `cfdoctor` probe of the lab's healthy origin, beside sslyze on it.

Both run against the same local origin on 127.0.0.1 (the broken-origins lab, started here and
stopped at the end), trusting the lab's CA. sslyze is asked the questions the probe answers
about TLS: the certificate and its chain, and which protocol versions and cipher suites the
origin accepts (it enumerates every suite per version, where the probe makes one handshake per
version plus one with CloudFront's cipher list). The probe also resolves nothing here (the
origin is an address) but does its TCP connect and HTTP request. Not a timed test: run it on an
otherwise idle machine.

    .venv/bin/python bench/probe_vs_sslyze.py [--runs 10] [--sslyze-runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from pathlib import Path

from cfdoctor.lab import start_lab
from cfdoctor.probes import ProbeTarget, probe


def time_probe(target: ProbeTarget, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = probe(target)
        samples.append(time.perf_counter() - start)
        assert result.facts.get("origin.tls.verify_code") == 0, result.errors
    return samples


def time_sslyze(target: ProbeTarget, runs: int) -> list[float]:
    from sslyze.plugins.certificate_info.implementation import CertificateInfoExtraArgument
    from sslyze.plugins.scan_commands import ScanCommand
    from sslyze.scanner.models import (
        ScanCommandsExtraArguments,
        ServerScanRequest,
        ServerScanStatusEnum,
    )
    from sslyze.scanner.scanner import Scanner
    from sslyze.server_setting import ServerNetworkConfiguration, ServerNetworkLocation

    warnings.filterwarnings("ignore", message="Parsed a serial number")  # sslyze's trust store
    assert target.ca_bundle is not None and target.address is not None
    commands = {
        ScanCommand.CERTIFICATE_INFO,
        ScanCommand.SSL_3_0_CIPHER_SUITES,
        ScanCommand.TLS_1_0_CIPHER_SUITES,
        ScanCommand.TLS_1_1_CIPHER_SUITES,
        ScanCommand.TLS_1_2_CIPHER_SUITES,
        ScanCommand.TLS_1_3_CIPHER_SUITES,
    }
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        request = ServerScanRequest(
            server_location=ServerNetworkLocation(
                hostname=target.server_name, port=target.port, ip_address=target.address
            ),
            network_configuration=ServerNetworkConfiguration(
                tls_server_name_indication=target.server_name
            ),
            scan_commands=commands,
            scan_commands_extra_arguments=ScanCommandsExtraArguments(
                certificate_info=CertificateInfoExtraArgument(custom_ca_file=Path(target.ca_bundle))
            ),
        )
        scanner = Scanner()
        scanner.queue_scans([request])
        results = list(scanner.get_results())
        samples.append(time.perf_counter() - start)
        assert results and results[0].scan_status == ServerScanStatusEnum.COMPLETED
    return samples


def _ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples) * 1000:8.1f} ms   "
        f"min {min(samples) * 1000:8.1f} ms   max {max(samples) * 1000:8.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="probe runs (default 10)")
    parser.add_argument("--sslyze-runs", type=int, default=3, help="sslyze runs (default 3)")
    args = parser.parse_args()
    with start_lab() as lab:
        target = lab.origin("healthy").target
        probe(target)  # warm: trust store parsed, modules imported
        probe_samples = time_probe(target, args.runs)
        sslyze_samples = time_sslyze(target, args.sslyze_runs)
    print(f"origin: 127.0.0.1:{target.port} (SNI {target.server_name}), lab CA trusted")
    print(f"cfdoctor probe ({args.runs} runs):  {_ms(probe_samples)}")
    print(f"sslyze         ({args.sslyze_runs} runs):  {_ms(sslyze_samples)}")
    ratio = statistics.median(sslyze_samples) / statistics.median(probe_samples)
    print(f"ratio sslyze / probe (medians): {ratio:.1f}x")


if __name__ == "__main__":
    main()
