"""Coarse answers: what a condition means when a person can only say "S3" or "API Gateway".

A coarse value stands for a set of precise values. It satisfies a condition only when every
precise value it stands for would (the knowledge's rules never fire on a guess), and it rules a
condition out only when none would. Everything that evaluates conditions goes through here, so
the rule engine, question selection and applicability agree on the same three-valued logic.
"""

from __future__ import annotations

from cfdoctor.engine.model import Condition, Fact, Value


def truth(fact: Fact, cond: Condition, value: Value) -> bool | None:
    """True when `value` certainly satisfies `cond`, False when it certainly does not, None when
    it is a coarse value some of whose members do and some do not."""
    outcomes = {cond.holds(member) for member in fact.members(value)}
    if len(outcomes) == 1:
        return outcomes.pop()
    return None


def satisfying(fact: Fact, cond: Condition) -> tuple[Value, ...]:
    """Every value of an enum fact, coarse ones included, that certainly satisfies `cond`."""
    return tuple(v for v in fact.value_ids if truth(fact, cond, v) is True)


def expand(fact: Fact, cond: Condition) -> Condition:
    """The condition restated over coarse values too, for an engine that compares constants.

    Applied after `not` has been turned into its negation, so "known and not s3-rest" does not
    match the coarse `s3` (which may well be s3-rest).
    """
    if not fact.groups:
        return cond
    values = satisfying(fact, cond)
    others = tuple(v for v in fact.value_ids if v not in values)
    if len(values) == 1:
        return Condition(cond.fact, "eq", values[0])
    if len(values) <= len(others) or not others:
        return Condition(cond.fact, "in", values)
    if len(others) == 1:
        return Condition(cond.fact, "ne", others[0])
    return Condition(cond.fact, "not_in", others)
