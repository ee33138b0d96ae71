"""Hypothesis fuzzes every parser: no exception but EvidenceError, whatever the input.

Inputs are arbitrary text, fixture lines shuffled, dropped and cut, and JSON trees (arbitrary
or a real config with leaves replaced), so the parsers meet both noise and near-misses.
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cfdoctor.evidence import (
    EvidenceError,
    access_log,
    detect,
    dig,
    distribution,
    fragments,
    har,
    http_transcript,
    inspect,
    openssl,
    parse_evidence,
)
from cfdoctor.evidence.model import Context, Evidence
from cfdoctor.evidence.redact import redact
from tests.evidence.conftest import FIXTURES, fixture_files

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _lines(prefix: str) -> list[str]:
    out: list[str] = []
    for p in fixture_files():
        if p.name.startswith(prefix) and not p.name.endswith(".gz"):
            out.extend(p.read_text(errors="replace").splitlines())
    return out


def _mutated(prefix: str) -> st.SearchStrategy[str]:
    pool = _lines(prefix)
    line = st.one_of(
        st.sampled_from(pool),
        st.sampled_from(pool).flatmap(lambda s: st.integers(0, len(s)).map(lambda n: s[:n])),
        st.text(max_size=40),
    )
    return st.lists(line, max_size=60).map("\n".join)


def _must_not_crash(fn: Callable[[str], Evidence], text: str) -> None:
    try:
        ev = fn(text)
    except EvidenceError:
        return
    assert isinstance(ev.facts, dict)


TEXT = st.text(max_size=2000)

PARSERS: dict[str, tuple[str, Callable[[str], Evidence]]] = {
    "http": ("curl", lambda t: http_transcript.parse(t, "f")),
    "httpie": ("httpie", lambda t: http_transcript.parse(t, "f")),
    "openssl": ("openssl", lambda t: openssl.parse(t, "f", origin_domain="origin.example.com")),
    "dig": ("dig", lambda t: dig.parse(t, "f", origin_domain="origin.example.com")),
    "nslookup": ("nslookup", lambda t: dig.parse(t, "f")),
    "access-log": ("access-log", lambda t: access_log.parse(t, "f", path="/api/test")),
    "text": ("", lambda t: fragments.read(t, "f")),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_text_parsers(name: str) -> None:
    prefix, fn = PARSERS[name]

    @FUZZ
    @given(st.one_of(TEXT, _mutated(prefix)))
    def run(text: str) -> None:
        _must_not_crash(fn, text)

    run()


def _exists(text: str) -> bool:
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # too long a name, a NUL: not a path
        return False


@FUZZ
@given(st.one_of(TEXT, _mutated("")))
def test_detect_and_entry_point(text: str) -> None:
    # parse_evidence takes a path or '-' as well as text: '-' reads stdin, and '/' (found on
    # 3.13) would scan the whole file system as access logs. Fuzz it as text only.
    assume(text != "-" and not _exists(text))
    kind = detect(text)
    assert kind is None or isinstance(kind, str)
    try:
        parse_evidence(text)
    except EvidenceError as exc:
        assert exc.exit_code == 2


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "log",
                    "entries",
                    "request",
                    "response",
                    "status",
                    "headers",
                    "content",
                    "text",
                    "url",
                    "method",
                    "name",
                    "value",
                    "Items",
                    "Origins",
                    "DefaultCacheBehavior",
                    "DistributionConfig",
                    "encoding",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=40,
)

CONFIG = json.loads((FIXTURES / "dist-apigw-allviewer.json").read_text())
HAR = json.loads((FIXTURES / "page-load.har").read_text())


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    doc = copy.deepcopy(doc)
    if not path:
        return value
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return doc


def _near(doc: Any) -> st.SearchStrategy[Any]:
    paths = _paths(doc)
    edit = st.tuples(st.sampled_from(paths), JSON)
    return st.lists(edit, min_size=1, max_size=4).map(lambda edits: _apply(doc, edits))


def _apply(doc: Any, edits: list[tuple[tuple[Any, ...], Any]]) -> Any:
    for path, value in edits:
        try:
            doc = _replace(doc, path, value)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


@FUZZ
@given(st.one_of(JSON, _near(HAR)))
def test_har(doc: Any) -> None:
    _must_not_crash(lambda t: har.parse(t, "f", path="/ok"), json.dumps(doc))


@FUZZ
@given(st.one_of(JSON, _near(CONFIG)), st.sampled_from([None, "/api/test", "/", "*?x"]))
def test_distribution(doc: Any, path: str | None) -> None:
    ctx = Context(
        path=path,
        host="www.example.com",
        method="GET",
        api_routes=[("GET", "/test"), ("ANY", "/{proxy+}")],
        policies=[doc] if isinstance(doc, dict) else [],
    )
    _must_not_crash(lambda t: distribution.parse(t, "f", context=ctx), json.dumps(doc))
    with contextlib.suppress(EvidenceError):
        inspect(doc, path=path)


@FUZZ
@given(st.text(max_size=300))
def test_redact_is_idempotent_and_total(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


def _code_lines() -> list[str]:
    from tests.evidence.iac_writers import cloudformation_yaml, terraform_hcl
    from tests.evidence.planted import FAULTS

    out: list[str] = []
    for fault in FAULTS[:6]:
        out.extend(cloudformation_yaml(fault.config()).splitlines())
        out.extend(terraform_hcl(fault.config()).splitlines())
    return out


@pytest.mark.parametrize("prefix", ["", 'resource "aws_cloudfront_distribution" "x" {\n'])
def test_infrastructure_as_code(prefix: str) -> None:
    from cfdoctor.evidence.distribution import load_document

    pool = _code_lines()
    line = st.one_of(
        st.sampled_from(pool),
        st.sampled_from(pool).flatmap(lambda s: st.integers(0, len(s)).map(lambda n: s[:n])),
        st.text(max_size=30),
    )

    @FUZZ
    @given(st.lists(line, max_size=80).map("\n".join))
    def run(body: str) -> None:
        text = prefix + body + ("\nAWS::CloudFront::Distribution" if not prefix else "")
        with contextlib.suppress(EvidenceError):
            data, _lines, _name = load_document(text)
            with contextlib.suppress(EvidenceError):
                inspect(data)

    run()
