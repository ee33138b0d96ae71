"""schemathesis against the server's own OpenAPI document: generated requests, bounded in
number, must never cause a 5xx and every answer must match the documented schema."""

from __future__ import annotations

from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cfdoctor.server.openapi import document
from tests.server.conftest import Server

schema = schemathesis.openapi.from_dict(document())


def test_the_served_document_is_the_tested_one(server: Server) -> None:
    assert httpx.get(server.url + "/openapi.json").json() == document()


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_keeps_its_contract(case: schemathesis.Case[Any], server: Server) -> None:
    # Schema-valid is not always meaningful (an unknown fact name, text that is no evidence):
    # those get a 422 problem, so "valid data is accepted" is the one check left out.
    case.call_and_validate(
        base_url=server.url, timeout=30, excluded_checks=[positive_data_acceptance]
    )
