"""Auto-detection names every fixture's kind and refuses what is none of them, naming the file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from cfdoctor.evidence import EvidenceError, detect, load, parse_evidence
from cfdoctor.evidence.ingest import decode
from tests.evidence.conftest import expected_kind, fixture_files


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_every_fixture_is_detected(path: Path) -> None:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    assert detect(decode(data)) == expected_kind(path)
    assert load(path).kind == expected_kind(path)


NOT_EVIDENCE = {
    "empty": "",
    "blank": "   \n\n\t\n",
    "prose": "The quick brown fox jumps over the lazy dog.\nNothing to see here: really.\n",
    "python": Path(__file__).read_text(),
    "json-object": '{"name": "cfdoctor", "version": 1, "tags": ["a", "b"]}',
    "json-list": "[1, 2, 3]",
    "json-broken": '{"log": {"entries": [',
    "yaml": "facts:\n  viewer.status:\n    type: int\n",
    "csv": "date,time,status\n2026-11-20,09:00:00,502\n",
    "html-page": "<html><head><title>Hello</title></head><body>Welcome</body></html>",
    "binary-ish": "\x00\x01\x02garbage\x7f",
}


@pytest.mark.parametrize("name", sorted(NOT_EVIDENCE))
def test_non_evidence_is_not_recognised(name: str, tmp_path: Path) -> None:
    text = NOT_EVIDENCE[name]
    assert detect(text) is None
    path = tmp_path / f"{name}.txt"
    path.write_text(text)
    with pytest.raises(EvidenceError) as err:
        parse_evidence(path)
    assert str(path) in str(err.value)
    assert "not recognised" in str(err.value) or "no files" in str(err.value)
    assert err.value.exit_code == 2


def test_text_source_is_labelled_and_refused() -> None:
    with pytest.raises(EvidenceError, match=r"^text: not recognised"):
        parse_evidence("hello there\nthis is not evidence\n")


def test_missing_file_is_named() -> None:
    with pytest.raises(EvidenceError, match=r"nope/dist\.json: no such file"):
        parse_evidence("nope/dist.json")


def test_forced_kind_must_exist(fixtures: Path) -> None:
    with pytest.raises(EvidenceError, match="unknown evidence kind 'pcap'"):
        parse_evidence(fixtures / "dig-origin.txt", kind="pcap")


def test_forced_kind_overrides_detection(fixtures: Path) -> None:
    with pytest.raises(EvidenceError, match="no DNS answer"):
        parse_evidence(fixtures / "curl-i-ok.txt", kind="dig")


def test_utf16_paste_from_powershell(fixtures: Path, tmp_path: Path) -> None:
    text = (fixtures / "nslookup-nope.txt").read_text()
    path = tmp_path / "nslookup.txt"
    path.write_bytes(text.encode("utf-16"))
    assert parse_evidence(path).facts == {"origin.dns.status": "nxdomain"}


def test_directory_of_non_logs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    with pytest.raises(EvidenceError, match="is not a CloudFront access log"):
        parse_evidence(tmp_path)
