"""Answers as coarse as people give them: "S3", "API Gateway", "a 5xx"."""

from __future__ import annotations

import pytest

from cfdoctor.engine.errors import FactError
from cfdoctor.engine.hierarchy import expand, truth
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import Condition
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session

_BUNDLED = Reasoner(load_knowledge())
ORIGIN = _BUNDLED.kb.facts["origin.type"]


@pytest.mark.parametrize(
    ("cond", "value", "expected"),
    [
        (Condition("origin.type", "in", ("s3-rest", "s3-website")), "s3", True),
        (Condition("origin.type", "eq", "s3-rest"), "s3", None),
        (Condition("origin.type", "eq", "custom"), "s3", False),
        (Condition("origin.type", "ne", "s3-rest"), "s3", None),
        (Condition("origin.type", "not_in", ("s3-rest", "s3-website")), "api-gateway", True),
        (Condition("origin.type", "eq", "s3-rest"), "s3-rest", True),
    ],
)
def test_a_coarse_value_satisfies_a_condition_only_when_all_it_stands_for_would(
    cond: Condition, value: str, expected: bool | None
) -> None:
    assert truth(ORIGIN, cond, value) is expected


def test_the_compiled_condition_matches_coarse_values_that_certainly_satisfy_it() -> None:
    both = expand(ORIGIN, Condition("origin.type", "in", ("s3-rest", "s3-website")))
    assert both.holds("s3") and both.holds("s3-rest") and not both.holds("api-gateway")
    rest = expand(ORIGIN, Condition("origin.type", "eq", "s3-rest"))
    assert rest.holds("s3-rest") and not rest.holds("s3")
    not_rest = expand(ORIGIN, Condition("origin.type", "ne", "s3-rest"))
    assert not not_rest.holds("s3") and not_rest.holds("api-gateway")


def test_a_coarse_origin_fires_what_every_member_implies() -> None:
    s = Session(_BUNDLED)
    s.observe_many([("viewer.status", 403), ("origin.type", "API Gateway")], "test")
    ruled_out = {f.cause.id for f in s.diagnosis(with_question=False).ruled_out}
    # every API Gateway origin rules out the S3 bucket causes, whatever the API type
    assert {"s3-private-bucket-no-oac", "s3-oac-or-oai-policy-mismatch"} <= ruled_out
    # but nothing specific to edge-optimized APIs has fired on a guess
    fired = set(s.evaluation().rules)
    assert "apigw-bad-request-page-with-edge-api" not in fired


def test_a_status_class_is_taken_where_a_status_is_asked() -> None:
    s = Session(_BUNDLED)
    status_check = _BUNDLED.kb.checks_by_fact["viewer.status"][0]
    s.answer(status_check, "5xx")
    assert s.facts == {"viewer.status_class": "5xx"}
    assert "viewer.status" in s.settled  # never asked again
    statuses = {st for f in s.diagnosis(with_question=False).findings for st in f.cause.status}
    assert statuses and all(500 <= st <= 599 for st in statuses)


def test_an_answer_neither_precise_nor_coarse_says_what_is_accepted() -> None:
    s = Session(_BUNDLED)
    with pytest.raises(FactError, match=r"whole number, or one of: 4xx, 5xx"):
        s.observe("viewer.status", "abc")


def test_before_the_status_is_known_the_ranking_is_one_probability() -> None:
    ranking = _BUNDLED.evaluate({"origin.type": "s3-rest"}).ranking
    total = sum(s.posterior for s in ranking.scores) + ranking.unexplained
    assert total == pytest.approx(1.0)
    # symptoms weigh by their priors: 403 causes outweigh 421 causes before the status is known
    prior = {s.cause: s.prior for s in ranking.scores}
    assert prior["s3-oac-or-oai-policy-mismatch"] > prior["sni-host-account-mismatch"]
