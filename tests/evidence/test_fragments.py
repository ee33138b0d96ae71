"""The fragment corpus: pieces of evidence people pasted in public reports, each with the facts it
must settle, read alone and with the report's own words around it (en / ja / zh).

Each file under fragments/ names its source. Nothing in the corpus may be refused, and every
expected fact must be settled with its value; more facts are allowed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.engine.values import type_problem
from cfdoctor.evidence import EvidenceError, parse_all, parse_evidence

CORPUS = Path(__file__).parent / "fragments"


def corpus() -> list[Path]:
    return sorted(CORPUS.glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(doc, dict)
    return doc


def _in_context(doc: dict[str, Any]) -> str:
    return "\n\n".join(p for p in (doc["before"], doc["fragment"], doc["after"]) if p.strip())


def test_the_corpus_is_large_and_sourced() -> None:
    docs = [_load(p) for p in corpus()]
    assert len(docs) >= 80
    assert {d["lang"] for d in docs} == {"en", "ja", "zh"}
    for d in docs:
        assert d["source"].startswith("https://") and d["facts"], d


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_fragment_settles_its_facts(kb: KnowledgeBase, path: Path) -> None:
    doc = _load(path)
    for text in (doc["fragment"], _in_context(doc)):
        facts = parse_evidence(text).facts
        for name, value in doc["facts"].items():
            assert facts.get(name) == value, (name, value, facts)
        for name, value in facts.items():
            assert type_problem(kb.facts[name], value) is None, (name, value)


@pytest.mark.parametrize("path", corpus()[:10], ids=lambda p: p.stem)
def test_fragment_in_a_session_input_list(path: Path) -> None:
    """parse_all (what Session.ingest uses) settles the same facts from the same paste."""
    doc = _load(path)
    merged: dict[str, Any] = {}
    for ev in parse_all([_in_context(doc)]):
        merged.update(ev.facts)
    for name, value in doc["facts"].items():
        assert merged.get(name) == value, (name, value, merged)


FIXTURES = Path(__file__).parent / "fixtures"


def test_several_artifacts_pasted_together_are_each_read() -> None:
    paste = "\n\n".join(
        (FIXTURES / name).read_text(encoding="utf-8")
        for name in ("curl-i-cf-origin-dns.txt", "dig-nope.txt", "openssl-expired.txt")
    )
    evidence = parse_all([paste])
    kinds = [ev.kind for ev in evidence]
    assert {"http-transcript", "dig", "openssl"} <= set(kinds), kinds
    facts: dict[str, Any] = {}
    for ev in evidence:
        facts.update(ev.facts)
    assert facts["viewer.status"] == 502
    assert facts["viewer.cloudfront_phrase"] == "origin-dns"
    assert facts["origin.dns.status"] == "nxdomain"
    assert facts["origin.cert.expired"] is True
    merged = parse_evidence(paste)
    assert merged.kind == "text" and merged.facts["origin.dns.status"] == "nxdomain"


def test_one_artifact_is_not_cut_into_pieces() -> None:
    for name in ("curl-v-cf-origin-dns.txt", "openssl-ok-showcerts.txt", "dig-origin.txt"):
        evidence = parse_all([(FIXTURES / name).read_text(encoding="utf-8")])
        assert len(evidence) == 1, (name, [e.kind for e in evidence])


@pytest.mark.parametrize(
    "text",
    [
        "hello, my site is slow today",
        "We deployed on Tuesday and nothing works since.\nAny ideas?",
        "<html><body><h1>Welcome</h1></body></html>",
    ],
)
def test_text_without_a_signal_gets_one_line_saying_what_was_looked_for(text: str) -> None:
    with pytest.raises(EvidenceError) as err:
        parse_evidence(text)
    message = str(err.value)
    assert "\n" not in message
    assert "no known signal" in message and "x-edge result type" in message


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("Status Code: 403 Forbidden\nx-cache\nError from cloudfront\n", {"viewer.status": 403}),
        (
            ":status: 502\nserver: CloudFront\nx-cache: Error from cloudfront\n",
            {"viewer.status": 502},
        ),
        ("HTTP/2 504", {"viewer.status": 504}),
        (
            "<Error><Code>KMS.KMSInvalidStateException</Code><Message>x</Message>"
            "<RequestId>A</RequestId></Error>",
            {"viewer.error_source": "s3", "viewer.s3_error_code": "other", "viewer.status": 400},
        ),
        ('{"message":"Endpoint request timed out"}', {"viewer.status": 504}),
        (
            "x-edge-detailed-result-type: OriginDnsError",
            {"edge_log.dominant_error": "origin-dns-error"},
        ),
        (
            '2024-01-01T00:00:00.000Z\tabc\tERROR\tInvoke Error\t{"errorType":"Error"}\n'
            "/aws/lambda/us-east-1.my-edge-fn",
            {"lambda_edge.function_log": "exception"},
        ),
        ("Task timed out after 5.01 seconds", {"lambda_edge.function_log": "timeout"}),
        ('{"Message":null}', {"lambda_url.is_origin": True, "viewer.status": 403}),
        (
            "FunctionExecutionError from cloudfront",
            {"viewer.x_cache": "function-execution-error", "cf_function.execution_errors": True},
        ),
    ],
)
def test_pieces_people_paste_settle_what_they_show(text: str, facts: dict[str, Any]) -> None:
    got = parse_evidence(text).facts
    assert {k: got.get(k) for k in facts} == facts, got
