"""Typed fact values: what is valid for a fact, and which values exercise its conditions."""

from __future__ import annotations

from typing import Any

from cfdoctor.engine.model import Fact, Value


def type_problem(fact: Fact, value: Any) -> str | None:
    """Why `value` is not a valid value of `fact`, or None when it is."""
    if fact.type == "bool":
        return None if isinstance(value, bool) else "expected true or false"
    if fact.type == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "expected a whole number"
    if fact.type == "enum":
        if value in fact.value_ids:
            return None
        return "expected one of: " + ", ".join(fact.value_ids)
    return None if isinstance(value, str) else "expected text"


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
