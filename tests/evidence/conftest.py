"""Fixture files for the evidence tests: real tool outputs made by fixtures/make_fixtures.py."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

KIND_BY_PREFIX = {
    "access-log": "access-log",
    "apigw-resources": "apigw-routes",
    "curl": "http-transcript",
    "dig": "dig",
    "dist": "distribution-config",
    "httpie": "http-transcript",
    "nslookup": "dig",
    "openssl": "openssl",
    "page-load": "har",
    "policy": "cloudfront-policy",
}


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_file() and p.suffix not in (".py", ".md"))


def expected_kind(path: Path) -> str:
    for prefix, kind in KIND_BY_PREFIX.items():
        if path.name.startswith(prefix):
            return kind
    raise AssertionError(f"no expected kind for fixture {path.name}")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
