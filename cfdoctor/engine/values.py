"""Typed fact values: what is valid for a fact, and which values exercise its conditions."""

from __future__ import annotations

from typing import Any

from cfdoctor.engine.model import Fact, Value

MAX_TEXT_CHARS = 8192
"""The longest text fact: CloudFront's own URL limit. durable_rules' C core crashes the process
on a property of 16 MiB (MAX_OBJECT_PROPERTY_SIZE); nothing near that may reach it."""
INT_RANGE = (-(2**63), 2**63 - 1)
"""Whole numbers are 64-bit in durable_rules' JSON."""
MAX_FACTS = 2048
"""Facts in one evaluation: a session holds each fact of the vocabulary at most once."""


def bound_problem(value: Any) -> str | None:
    """Why `value` is outside what the rule engine takes safely, or None."""
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        return f"text longer than {MAX_TEXT_CHARS} characters ({len(value)})"
    if isinstance(value, int) and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        return "a whole number outside the 64-bit range"
    return None


def type_problem(fact: Fact, value: Any) -> str | None:
    """Why `value` is not a valid value of `fact`, or None when it is."""
    if fact.type == "bool":
        return None if isinstance(value, bool) else "expected true or false"
    if fact.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return bound_problem(value) if ok else "expected a whole number"
    if fact.type == "enum":
        if isinstance(value, str) and value in fact.value_ids:
            return None
        return "expected one of: " + ", ".join(fact.value_ids)
    return bound_problem(value) if isinstance(value, str) else "expected text"


def candidate_values(fact: Fact, constants: list[Value]) -> list[Value]:
    """A finite set of values that exercises every condition on the fact (for reachability)."""
    if fact.type == "bool":
        return [True, False]
    if fact.type == "enum":
        return list(fact.precise_ids)  # a coarse value never satisfies more than its members
    if fact.type == "int":
        ints = {c for c in constants if isinstance(c, int) and not isinstance(c, bool)}
        values = set(ints) | {c + 1 for c in ints} | {c - 1 for c in ints}
        return sorted(values | {max(values, default=0) + 1000})
    return sorted({str(c) for c in constants} | {"\x00other"})
