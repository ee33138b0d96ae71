"""The only module that imports durable_rules.

Pattern (research/durable-rules.md, "the pattern that measured fast and safe"): one Host per
knowledge base, without its dispatcher threads; each run asserts a session's inputs under a fresh
internal sid, collects what fired, and deletes that state. No durable session outlives a call, so
the 1,024-sessions cap, the 32-bit sid hash collisions and the delete-then-touch crash cannot
happen, and sessions are plain data. A lock serializes access: the C core never releases the GIL,
so threads would gain nothing anyway.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import durable.engine as durable_engine

from cfdoctor.engine.compile import NOOP_ACTION, CompiledRuleset, encode_fact
from cfdoctor.engine.errors import CfdoctorError, FactError
from cfdoctor.engine.model import Value
from cfdoctor.engine.values import MAX_FACTS, bound_problem

log = logging.getLogger("cfdoctor.engine")

# durable_rules stamps every action with datetime.utcfromtimestamp(), deprecated since Python
# 3.12; the stamp only serves action leases, which cfdoctor never uses.
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"durable\.engine")


class EngineFaultError(CfdoctorError):
    """The rule engine failed internally: a bug in cfdoctor, not in the user's input."""

    exit_code = 70


@dataclass(frozen=True, slots=True)
class Derivation:
    """A fact a rule derived."""

    fact: str
    value: Value
    rule: str


@dataclass
class Firing:
    """Everything one run of the rules produced."""

    rules: list[str] = field(default_factory=list)
    symptoms: list[str] = field(default_factory=list)
    derived: list[Derivation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class RulesetRejectedError(CfdoctorError):
    """durable_rules refused the compiled rules (one of its fixed limits): knowledge to change."""

    exit_code = 3


_ruleset_numbers = itertools.count(1)


class _Host(durable_engine.Host):  # type: ignore[misc]
    """A durable Host with actions bound by name and no dispatcher threads."""

    def __init__(self, actions: dict[str, Callable[[Any], None]]) -> None:
        self._bound_actions = actions
        super().__init__()

    def _run(self) -> None:
        """No dispatcher threads: actions run inside assert_facts, on the caller's thread."""

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._bound_actions[action_name]


class RuleRuntime:
    def __init__(self, compiled: CompiledRuleset) -> None:
        self._compiled = compiled
        self._ruleset = f"{compiled.name}_{next(_ruleset_numbers)}"
        self._lock = threading.Lock()
        self._sids = itertools.count(1)
        self._firing: Firing | None = None
        self._known: set[str] = set()
        """Facts of the current run: its inputs, then each fact as a rule first asserts it."""
        actions: dict[str, Callable[[Any], None]] = {NOOP_ACTION: lambda c: None}
        for durable_name in compiled.actions:
            actions[durable_name] = self._action(durable_name)
        self._host = _Host(actions)
        (definition,) = compiled.definition.values()
        # set_rulesets deletes the `run` key of each rule dict it is given (and nothing else):
        # hand it copies of those dicts.
        try:
            self._host.set_rulesets({self._ruleset: {n: dict(r) for n, r in definition.items()}})
        except Exception as exc:  # durable_rules_engine.error: a limit of the C core
            raise RulesetRejectedError(f"the rule engine cannot load these rules: {exc}") from None

    def _action(self, durable_name: str) -> Callable[[Any], None]:
        specs = self._compiled.actions[durable_name]

        def act(c: Any) -> None:
            firing = self._firing
            if firing is None:  # pragma: no cover - only reachable if durable ran on its own
                return
            try:
                for spec in specs:
                    if spec.kind == "symptom":
                        firing.symptoms.append(spec.rule)
                        continue
                    firing.rules.append(spec.rule)
                    log.debug("fired %s", spec.rule)
                    for assertion in spec.asserts:
                        # What the user stated, or an earlier rule implied, stands: an
                        # implication never adds a second value for one fact.
                        if assertion.fact in self._known:
                            continue
                        self._known.add(assertion.fact)
                        firing.derived.append(
                            Derivation(assertion.fact, assertion.value, spec.rule)
                        )
                        self._assert_derived(c, encode_fact(assertion.fact, assertion.value))
            except Exception as exc:  # durable would swallow it into state['exception']
                firing.errors.append(f"{durable_name}: {exc!r}")

        return act

    @staticmethod
    def _assert_derived(c: Any, fact: dict[str, Any]) -> None:
        # Already known (another rule derived it, or it was an input): nothing to add.
        with contextlib.suppress(durable_engine.MessageObservedException):
            c.assert_fact(fact)

    def run(self, facts: Sequence[tuple[str, Value]]) -> Firing:
        """Assert the facts in a fresh internal session, chain the rules, and forget the session."""
        _check_bounds(facts)
        with self._lock:
            sid = str(next(self._sids))
            firing = Firing()
            self._firing = firing
            self._known = {name for name, _ in facts}
            try:
                if facts:
                    batch = [dict(encode_fact(n, v), sid=sid) for n, v in facts]
                    self._host.assert_facts(self._ruleset, batch)
                state = self._host.get_state(self._ruleset, sid) if facts else {}
                if isinstance(state, dict) and "exception" in state:
                    firing.errors.append(str(state["exception"]))
            except (
                durable_engine.MessageNotHandledException,
                durable_engine.MessageObservedException,
            ) as exc:
                firing.errors.append(f"durable rejected the facts: {exc}")
            finally:
                self._firing = None
                if facts:
                    try:
                        self._host.delete_state(self._ruleset, sid)
                    except Exception as exc:  # pragma: no cover - defensive
                        firing.errors.append(f"cannot delete state: {exc!r}")
        if firing.errors:
            raise EngineFaultError("internal rule engine error: " + "; ".join(firing.errors))
        return firing


def _check_bounds(facts: Sequence[tuple[str, Value]]) -> None:
    """The last gate before the C core: whatever path facts took, nothing oversized passes."""
    if len(facts) > MAX_FACTS:
        raise FactError(f"{len(facts)} facts at once; the engine takes at most {MAX_FACTS}")
    for name, value in facts:
        problem = bound_problem(value) or bound_problem(name)
        if problem:
            raise FactError(f"{name[:80]}: {problem}")
