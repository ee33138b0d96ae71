"""Cross-reference checks that a schema cannot express: the knowledge base as a whole must hold up.

Each problem names the file, line and field, and says what to write instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cfdoctor.engine.errors import Problem, similar
from cfdoctor.engine.model import Condition, Fact, KnowledgeBase, Value, When
from cfdoctor.engine.values import candidate_values, type_problem
from cfdoctor.engine.yaml_source import JsonPath, YamlDocument

SUPPORTING = frozenset({"confirms", "strong", "moderate", "weak"})
NEAR_DUPLICATE = 0.8
"""Share of supporting facts two causes of the same symptoms may have in common."""

PROVIDERS = frozenset(
    {
        "parser:http-transcript",
        "parser:har",
        "parser:openssl",
        "parser:dig",
        "parser:distribution-config",
        "parser:access-log",
        "probe:dns",
        "probe:tcp",
        "probe:tls",
        "probe:http",
    }
)
"""Evidence parsers and live probes a fact may name in `settled_by` (typos are caught); a test
keeps it equal to what cfdoctor.evidence and cfdoctor.probes implement. A fact used by rules
needs one of them, or a check that can ask it."""


def _conditions(when: dict[str, Any], base: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    for part in ("all", "any", "not"):
        for i, cond in enumerate(when.get(part, ())):
            yield (*base, part, i), cond


class _Checker:
    def __init__(self, kb: KnowledgeBase, docs: dict[str, YamlDocument]) -> None:
        self.kb = kb
        self.docs = docs
        self.problems: list[Problem] = []
        self.asserted: dict[str, set[Value]] = {}
        for rule in kb.rules.values():
            for a in rule.asserts:
                self.asserted.setdefault(a.fact, set()).add(a.value)
        self.coarse_of = {f.coarse: f.name for f in kb.facts.values() if f.coarse}
        """Facts that take another fact's too-coarse answers are settled through its check."""

    def add(self, doc: YamlDocument, path: JsonPath, message: str, hint: str = "") -> None:
        field = ".".join(str(p) for p in path)
        self.problems.append(Problem(doc.path, doc.line_of(path), field, message, hint))

    def fact(self, doc: YamlDocument, path: JsonPath, name: str) -> Fact | None:
        fact = self.kb.facts.get(name)
        if fact is None:
            close = similar(name, self.kb.facts)
            hint = (
                ("did you mean: " + ", ".join(close))
                if close
                else "define it in facts/<group>.yaml"
            )
            self.add(doc, path, f"unknown fact '{name}'", hint)
        return fact

    def value(self, doc: YamlDocument, path: JsonPath, fact: Fact, value: Any) -> None:
        why = type_problem(fact, value)
        if why:
            self.add(doc, path, f"{value!r} is not a valid value of {fact.name} ({fact.type})", why)

    def condition(self, doc: YamlDocument, path: JsonPath, cond: dict[str, Any]) -> None:
        fact = self.fact(doc, (*path, "fact"), cond["fact"])
        if fact is None:
            return
        op = next(k for k in cond if k != "fact")
        if op in ("gt", "gte", "lt", "lte") and fact.type != "int":
            self.add(
                doc,
                (*path, op),
                f"'{op}' needs a number fact; {fact.name} is {fact.type}",
                "use eq, ne, in or not_in",
            )
            return
        values = cond[op] if isinstance(cond[op], list) else [cond[op]]
        for v in values:
            self.value(doc, (*path, op), fact, v)
        if fact.derived and fact.name not in self.asserted:
            self.add(
                doc,
                (*path, "fact"),
                f"derived fact {fact.name} is asserted by no rule",
                "add a rule that asserts it",
            )
        elif (
            not fact.derived
            and not self.kb.checks_by_fact.get(fact.name)
            and not PROVIDERS.intersection(fact.settled_by)
            and fact.name not in self.asserted
            and fact.name not in self.coarse_of
        ):
            self.add(
                doc,
                (*path, "fact"),
                f"fact {fact.name} is used but no check, parser or probe settles it",
                f"add checks/<id>.yaml with `fact: {fact.name}`",
            )

    def groups(self, doc: YamlDocument, name: str, spec: dict[str, Any]) -> None:
        """Coarse values name values of their own fact; a coarse fact is an enum."""
        values = set(spec.get("values", {}))
        groups = spec.get("groups", {})
        if groups and spec["type"] != "enum":
            self.add(doc, ("facts", name, "groups"), "only enum facts have coarse values")
        for group, members in groups.items():
            path = ("facts", name, "groups", group)
            if group not in values:
                self.add(doc, path, f"coarse value '{group}' is not in values", "label it there")
            for member in members:
                if member not in values or member in groups:
                    self.add(
                        doc, path, f"'{member}' is not a precise value of {name}", "list values"
                    )
        coarse = spec.get("coarse")
        if coarse is not None:
            target = self.kb.facts.get(coarse)
            if target is None or target.type != "enum" or target.derived:
                self.add(
                    doc,
                    ("facts", name, "coarse"),
                    f"'{coarse}' is not an enum fact a user can state",
                    "define it in facts/<group>.yaml",
                )

    def when(self, doc: YamlDocument, base: JsonPath, when: dict[str, Any]) -> None:
        for path, cond in _conditions(when, base):
            self.condition(doc, path, cond)

    def satisfiable(self, conditions: list[Condition]) -> str | None:
        """The fact whose conditions can never hold together, or None if all can."""
        by_fact: dict[str, list[Condition]] = {}
        for c in conditions:
            by_fact.setdefault(c.fact, []).append(c)
        for name, conds in by_fact.items():
            fact = self.kb.facts.get(name)
            if fact is None:
                continue  # reported as an unknown fact already
            constants: list[Value] = []
            for c in conds:
                constants.extend(c.value if isinstance(c.value, tuple) else (c.value,))
            pool = candidate_values(fact, constants)
            if fact.derived:
                pool = [v for v in pool if v in self.asserted.get(name, set())] or list(
                    self.asserted.get(name, ())
                )
            if not any(all(c.holds(v) for c in conds) for v in pool):
                return name
        return None

    def run(self) -> list[Problem]:
        kb = self.kb
        for key, doc in self.docs.items():
            kind, _, uid = key.partition("/")
            data = doc.data
            if kind == "facts":
                for name, spec in data["facts"].items():
                    self.groups(doc, name, spec)
                    for i, provider in enumerate(spec.get("settled_by", ())):
                        if provider not in PROVIDERS:
                            self.add(
                                doc,
                                ("facts", name, "settled_by", i),
                                f"unknown provider '{provider}'",
                                "known: " + ", ".join(sorted(PROVIDERS)),
                            )
            elif kind == "checks":
                for i, command in enumerate(data.get("commands", ())):
                    self.command(
                        doc, ("commands", i, "run"), command["run"], command.get("platform", "any")
                    )
                fact = self.fact(doc, ("fact",), data["fact"])
                if fact is not None and fact.derived:
                    self.add(
                        doc,
                        ("fact",),
                        f"{fact.name} is derived by rules and cannot be asked",
                        "ask for the facts it is derived from",
                    )
                if "applies_when" in data:
                    self.when(doc, ("applies_when",), data["applies_when"])
            elif kind == "symptoms":
                self.when(doc, ("when",), data["when"])
                for i, cond in enumerate(data.get("requires", ())):
                    self.condition(doc, ("requires", i), cond)
                self.reachable(doc, kb.symptoms[uid].when)
            elif kind == "rules":
                self.when(doc, ("when",), data["when"])
                self.reachable(doc, kb.rules[uid].when)
                for i, item in enumerate(data["then"]):
                    if "assert" in item:
                        fact = self.fact(doc, ("then", i, "assert", "fact"), item["assert"]["fact"])
                        if fact is not None:
                            self.value(
                                doc, ("then", i, "assert", "value"), fact, item["assert"]["value"]
                            )
                    elif item["cause"] not in kb.causes:
                        self.add(
                            doc,
                            ("then", i, "cause"),
                            f"unknown cause '{item['cause']}'",
                            "use the file name of a cause under causes/",
                        )
            elif kind == "causes":
                for f, fix in enumerate(data["fixes"]):
                    for i, run in enumerate(fix.get("commands", ())):
                        self.command(doc, ("fixes", f, "commands", i), run, "any")
                for i, sid in enumerate(data["symptoms"]):
                    if sid not in kb.symptoms:
                        self.add(
                            doc,
                            ("symptoms", i),
                            f"unknown symptom '{sid}'",
                            "known: " + ", ".join(sorted(kb.symptoms)),
                        )
                for polarity in ("positive", "negative"):
                    for i, case in enumerate(data["cases"][polarity]):
                        for name, value in case["facts"].items():
                            path = ("cases", polarity, i, "facts", name)
                            fact = self.fact(doc, path, name)
                            if fact is None:
                                continue
                            if fact.derived:
                                self.add(
                                    doc,
                                    path,
                                    f"{name} is derived; cases give observed facts",
                                    "give the facts it is derived from",
                                )
                            self.value(doc, path, fact, value)
        self.near_duplicates()
        if not self.problems:
            self.engine_limits()
        supported = {
            e.cause for r in kb.rules.values() for e in r.effects if e.effect in SUPPORTING
        }
        for cause in kb.causes.values():
            if cause.id not in supported:
                doc = self.docs[f"causes/{cause.id}"]
                self.add(
                    doc,
                    (),
                    f"no rule supports cause '{cause.id}'",
                    "add a rule with `then: [{cause: ..., effect: strong}]`",
                )
        return self.problems

    def command(self, doc: YamlDocument, path: JsonPath, run: str, platform: str) -> None:
        # shell.py is pure text handling that imports nothing of cfdoctor's
        from cfdoctor.runbook.shell import unsafe_placeholders

        unsafe = unsafe_placeholders(run, platform)
        if unsafe:
            self.add(
                doc,
                path,
                "placeholder(s) "
                + ", ".join("{" + n + "}" for n in unsafe)
                + " where no quoting keeps a value from running as code "
                "(backticks, ${...}, $((...)), a here-document, or an unclosed quote)",
                "use $( ... ) instead of backticks, and keep placeholders out of ${...}, "
                "arithmetic and here-documents",
            )

    def engine_limits(self) -> None:
        """Knowledge the rule engine would refuse at load time is a knowledge problem here."""
        from cfdoctor.engine.compile import BETA_LIST_LENGTH, compile_knowledge, engine_fan_out
        from cfdoctor.engine.runtime import RuleRuntime, RulesetRejectedError

        compiled = compile_knowledge(self.kb, "validate")
        for pattern, count, units in engine_fan_out(compiled):
            doc = next((self.docs[u] for u in reversed(units) if u in self.docs), None)
            if doc is None:
                continue
            self.add(
                doc,
                ("when",),
                f"{count} rules start with the same condition {pattern}; the rule engine links "
                f"at most {BETA_LIST_LENGTH} rules to one condition, and cfdoctor allows half that",
                "merge rules that share this condition, or give them a second one first",
            )
        if self.problems:
            return
        try:
            RuleRuntime(compiled)
        except RulesetRejectedError as exc:
            root = self.kb.roots[-1] if self.kb.roots else "<none>"
            self.problems.append(Problem(root, 1, "", str(exc), "simplify the rules"))

    def near_duplicates(self) -> None:
        """Two causes of the same symptoms supported by (nearly) the same facts are one cause
        written twice, or two causes the checks cannot tell apart: either way, a problem."""
        evidence: dict[str, set[str]] = {c: set() for c in self.kb.causes}
        for rule in self.kb.rules.values():
            for effect in rule.effects:
                if effect.effect in SUPPORTING and effect.cause in evidence:
                    evidence[effect.cause].update(c.fact for c in rule.when.conditions())
        ids = sorted(evidence)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                ca, cb = self.kb.causes[a], self.kb.causes[b]
                if set(ca.symptoms) != set(cb.symptoms) or not evidence[a]:
                    continue
                overlap = len(evidence[a] & evidence[b]) / len(evidence[a] | evidence[b])
                if overlap >= NEAR_DUPLICATE:
                    doc = self.docs[f"causes/{b}"]
                    self.add(
                        doc,
                        (),
                        f"near-duplicate of cause '{a}': same symptoms, "
                        f"{overlap:.0%} of the same supporting facts",
                        "merge them, or add a check that tells them apart",
                    )

    def reachable(self, doc: YamlDocument, when: When) -> None:
        for branch in when.branches():
            bad = self.satisfiable(list(branch))
            if bad is not None:
                self.add(
                    doc,
                    ("when",),
                    f"can never fire: the conditions on {bad} contradict each other",
                    "remove or correct one of them",
                )
                return


def validate_knowledge(kb: KnowledgeBase, docs: dict[str, YamlDocument]) -> list[Problem]:
    if not kb.causes:
        return [
            Problem(
                kb.roots[0] if kb.roots else "<none>", 1, "", "the knowledge base has no causes"
            )
        ]
    return _Checker(kb, docs).run()
