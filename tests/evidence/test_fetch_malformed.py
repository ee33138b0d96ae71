"""A CloudFront API endpoint answering malformed XML is an EvidenceError, not an internal error
(issue 13, item 14). The endpoint is a loopback server; boto3 is pointed at it."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, fetch_config

pytest.importorskip("boto3")


class _Broken(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<?xml version='1.0'?><DistributionConfig><Origins><Items><<<"
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("ETag", "E1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def endpoint() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_malformed_xml_from_the_api_is_an_evidence_error(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    with pytest.raises(EvidenceError, match="could not read the CloudFront API's answer"):
        fetch_config("E1A2B3C4D5E6F7")
