"""Knowledge directories (YAML) -> validated KnowledgeBase, with every problem named by file:line.

A knowledge directory holds one unit per file, its id being the file name:
``facts/<group>.yaml``, ``checks/<id>.yaml``, ``symptoms/<id>.yaml``, ``causes/<status>/<id>.yaml``
and ``rules/<id>.yaml``. Directories given later add units to the bundled one; reusing an id is an
error, so a user directory never silently replaces bundled knowledge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, cast

from cfdoctor import __version__
from cfdoctor.engine.errors import KnowledgeError, Problem
from cfdoctor.engine.layout import KINDS, bundled_root, knowledge_digest, unit_files
from cfdoctor.engine.model import (
    Assertion,
    Case,
    Cause,
    CauseEffect,
    Check,
    Command,
    Condition,
    DeadEnd,
    Fact,
    Fix,
    KnowledgeBase,
    Op,
    Origin,
    Rule,
    Source,
    Symptom,
    Text,
    When,
)
from cfdoctor.engine.yaml_source import JsonPath, YamlDocument, YamlSyntaxError, read_yaml

_SCHEMA_OF = {
    "facts": "fact-group",
    "checks": "check",
    "symptoms": "symptom",
    "causes": "cause",
    "rules": "rule",
}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_OPS = ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte")


@cache
def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schema_dir = bundled_root() / "schema"
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in schema_dir.glob("*.json")}
    registry: Registry[Any] = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )
    return {
        kind: Draft202012Validator(schemas[f"{name}.schema.json"], registry=registry)
        for kind, name in _SCHEMA_OF.items()
    }


def _hint(error: Any) -> str:
    validator = error.validator
    if validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        return f"add `{missing[0]}:`" if missing else ""
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return "remove it or fix its spelling; allowed here: " + ", ".join(allowed)
    if validator == "enum":
        return "use one of: " + ", ".join(map(str, error.validator_value))
    if validator == "pattern":
        return f"must match {error.validator_value}"
    if validator in ("minProperties", "maxProperties") and "fact" in error.instance:
        return "a condition is `fact:` plus exactly one of " + ", ".join(_OPS)
    if validator == "minItems":
        return f"needs at least {error.validator_value} item(s)"
    if validator == "type":
        return f"expected {error.validator_value}"
    return ""


def _schema_problems(doc: YamlDocument, kind: str) -> list[Problem]:
    from jsonschema.exceptions import best_match

    problems: list[Problem] = []
    for error in sorted(_validators()[kind].iter_errors(doc.data), key=lambda e: list(e.path)):
        if error.context:
            error = best_match(error.context)
        path: JsonPath = tuple(error.absolute_path)
        field = ".".join(str(p) for p in path)
        message = error.message
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            if extra:
                path = (*path, extra[0])
                field = ".".join(str(p) for p in path)
                message = f"unknown field '{extra[0]}'"
        if len(message) > 200:
            message = message[:200] + "..."
        problems.append(Problem(doc.path, doc.line_of(path), field, message, _hint(error)))
    return problems


def _text(d: dict[str, str]) -> Text:
    return Text(en=d["en"], ja=d["ja"], zh=d["zh"])


def _condition(d: dict[str, Any]) -> Condition:
    op = cast(Op, next(k for k in d if k != "fact"))  # the schema allows only the operators
    value = d[op]
    if isinstance(value, list):
        value = tuple(value)
    return Condition(fact=d["fact"], op=op, value=value)


def _when(d: dict[str, Any]) -> When:
    return When(
        all=tuple(_condition(c) for c in d.get("all", ())),
        any=tuple(_condition(c) for c in d.get("any", ())),
        not_=tuple(_condition(c) for c in d.get("not", ())),
    )


def _case(d: dict[str, Any]) -> Case:
    return Case(name=d["name"], facts=tuple(sorted(d["facts"].items())))


def _build(kind: str, uid: str, d: dict[str, Any], origin: Origin) -> Any:
    if kind == "checks":
        return Check(
            id=uid,
            fact=d["fact"],
            question=_text(d["question"]),
            how_to_read=_text(d["how_to_read"]),
            commands=tuple(
                Command(c["run"], c.get("platform", "any")) for c in d.get("commands", ())
            ),
            cost=float(d["cost"]),
            origin=origin,
            applies_when=_when(d["applies_when"]) if "applies_when" in d else None,
        )
    if kind == "symptoms":
        return Symptom(
            uid,
            _text(d["title"]),
            _text(d["description"]),
            _when(d["when"]),
            origin,
            prior=float(d.get("prior", 1.0)),
            requires=tuple(_condition(c) for c in d.get("requires", ())),
        )
    if kind == "rules":
        then = d["then"]
        return Rule(
            id=uid,
            because=_text(d["because"]),
            when=_when(d["when"]),
            asserts=tuple(
                Assertion(t["assert"]["fact"], t["assert"]["value"]) for t in then if "assert" in t
            ),
            effects=tuple(CauseEffect(t["cause"], t["effect"]) for t in then if "cause" in t),
            origin=origin,
        )
    if kind == "causes":
        return Cause(
            id=uid,
            title=_text(d["title"]),
            summary=_text(d["summary"]),
            status=tuple(d["status"]),
            symptoms=tuple(d["symptoms"]),
            grade=d["grade"],
            prior=float(d["prior"]),
            fixes=tuple(
                Fix(
                    title=_text(f["title"]),
                    steps=tuple(_text(s) for s in f["steps"]),
                    commands=tuple(f.get("commands", ())),
                    success_rate=float(f["success_rate"]),
                    rate_origin=_text(f["rate_origin"]),
                )
                for f in d["fixes"]
            ),
            dead_ends=tuple(
                DeadEnd(
                    title=_text(x["title"]),
                    why=_text(x["why"]),
                    fail_rate=x.get("fail_rate"),
                    rate_origin=_text(x["rate_origin"]) if "rate_origin" in x else None,
                )
                for x in d.get("dead_ends", ())
            ),
            sources=tuple(Source(s["url"], s["lang"], s.get("title", "")) for s in d["sources"]),
            positive=tuple(_case(c) for c in d["cases"]["positive"]),
            negative=tuple(_case(c) for c in d["cases"]["negative"]),
            origin=origin,
        )
    raise AssertionError(kind)


def _facts(d: dict[str, Any], doc: YamlDocument) -> list[Fact]:
    out = []
    for name, f in d["facts"].items():
        out.append(
            Fact(
                name=name,
                type=f["type"],
                label=_text(f["label"]),
                values=tuple((v, _text(t)) for v, t in f.get("values", {}).items()),
                derived=bool(f.get("derived", False)),
                settled_by=tuple(f.get("settled_by", ())),
                origin=Origin(doc.path, doc.line_of(("facts", name))),
                groups=tuple((g, tuple(m)) for g, m in f.get("groups", {}).items()),
                coarse=f.get("coarse"),
            )
        )
    return out


def parse_units(
    roots: Sequence[Path],
) -> tuple[dict[str, dict[str, Any]], dict[str, YamlDocument], list[Problem]]:
    """Read and schema-check every unit; returns units by kind, documents by unit key, problems."""
    units: dict[str, dict[str, Any]] = {k: {} for k in KINDS}
    docs: dict[str, YamlDocument] = {}
    problems: list[Problem] = []
    for root in roots:
        if not root.is_dir():
            problems.append(
                Problem(
                    str(root),
                    1,
                    "",
                    "not a knowledge directory",
                    "give a folder with facts/, checks/, causes/ ...",
                )
            )
    for kind, _root, path in unit_files(roots):
        uid = path.stem
        try:
            doc = read_yaml(path)
        except YamlSyntaxError as exc:
            problems.append(Problem(exc.path, exc.line, "", exc.message))
            continue
        if not _ID.match(uid):
            problems.append(
                Problem(
                    doc.path,
                    1,
                    "",
                    f"file name '{uid}' is not a valid id",
                    "use kebab-case: lower-case letters, digits and '-'",
                )
            )
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Problem(
                    doc.path,
                    1,
                    "",
                    "expected a mapping of fields",
                    f"see schema/{_SCHEMA_OF[kind]}.schema.json",
                )
            )
            continue
        schema_problems = _schema_problems(doc, kind)
        if schema_problems:
            problems.extend(schema_problems)
            continue
        if kind == "facts":
            for fact in _facts(doc.data, doc):
                if fact.name in units["facts"]:
                    first = units["facts"][fact.name].origin
                    problems.append(
                        Problem(
                            doc.path,
                            fact.origin.line,
                            f"facts.{fact.name}",
                            f"fact already defined at {first}",
                            "facts are one vocabulary: use the existing one or pick another name",
                        )
                    )
                else:
                    units["facts"][fact.name] = fact
            docs[f"facts/{uid}"] = doc
            continue
        if uid in units[kind]:
            first = units[kind][uid].origin
            problems.append(
                Problem(
                    doc.path,
                    1,
                    "",
                    f"{kind[:-1]} id '{uid}' is already defined at {first}",
                    "rename the file: ids are never reused",
                )
            )
            continue
        units[kind][uid] = _build(kind, uid, doc.data, Origin(doc.path, 1))
        docs[f"{kind}/{uid}"] = doc
    return units, docs, problems


def load_knowledge(
    extra_dirs: Sequence[Path] = (),
    *,
    include_bundled: bool = True,
) -> KnowledgeBase:
    """Load and fully validate; raises KnowledgeError listing every problem found."""
    from cfdoctor.engine.validate import validate_knowledge

    roots = ([bundled_root()] if include_bundled else []) + [Path(d) for d in extra_dirs]
    units, docs, problems = parse_units(roots)
    checks_by_fact: dict[str, list[str]] = {}
    for check in units["checks"].values():
        checks_by_fact.setdefault(cast(Check, check).fact, []).append(check.id)
    kb = KnowledgeBase(
        facts=units["facts"],
        checks=units["checks"],
        symptoms=units["symptoms"],
        causes=units["causes"],
        rules=units["rules"],
        version=f"{__version__}+{knowledge_digest(unit_files(roots))}",
        roots=tuple(str(r) for r in roots),
        checks_by_fact={k: tuple(v) for k, v in checks_by_fact.items()},
    )
    if not problems:
        problems = validate_knowledge(kb, docs)
    if problems:
        raise KnowledgeError(problems)
    return kb
