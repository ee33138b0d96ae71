"""Findings as JSON and as SARIF 2.1.0, so `cfdoctor inspect` can gate a CI pipeline and GitHub
code scanning can show each finding on the line of the config that causes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cfdoctor.evidence.findings import CATALOGUE
from cfdoctor.evidence.model import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "note": "note"}

_STEP = re.compile(r"\.([A-Za-z0-9_]+)|\[(\d+)\]")


def findings_json(findings: Sequence[Finding], lang: str = "en") -> dict[str, Any]:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "note")}
    return {"findings": [f.to_dict(lang) for f in findings], "counts": counts}


def json_lines(text: str) -> dict[str, int]:
    """Line number of every value in a JSON document, by JSONPath ($.A.B[0].C)."""
    lines: dict[str, int] = {}
    pos, line, n = 0, 1, len(text)

    def skip() -> None:
        nonlocal pos, line
        while pos < n and text[pos] in " \t\r\n":
            if text[pos] == "\n":
                line += 1
            pos += 1

    def string() -> str:
        nonlocal pos
        out = []
        pos += 1
        while pos < n and text[pos] != '"':
            if text[pos] == "\\":
                pos += 1
            out.append(text[pos] if pos < n else "")
            pos += 1
        pos += 1
        return "".join(out)

    def value(path: str, depth: int) -> None:
        nonlocal pos, line
        skip()
        lines.setdefault(path, line)
        if pos >= n or depth > 200:
            return
        c = text[pos]
        if c == "{":
            pos += 1
            while True:
                skip()
                if pos >= n or text[pos] == "}":
                    pos += 1
                    return
                if text[pos] == ",":
                    pos += 1
                    continue
                if text[pos] != '"':
                    pos += 1
                    continue
                key = string()
                skip()
                if pos < n and text[pos] == ":":
                    pos += 1
                value(f"{path}.{key}", depth + 1)
        elif c == "[":
            pos += 1
            i = 0
            while True:
                skip()
                if pos >= n or text[pos] == "]":
                    pos += 1
                    return
                if text[pos] == ",":
                    pos += 1
                    continue
                value(f"{path}[{i}]", depth + 1)
                i += 1
        elif c == '"':
            string()
        else:
            while pos < n and text[pos] not in ",}]\n":
                pos += 1

    value("$", 0)
    return lines


def document_lines(text: str) -> dict[str, int]:
    """Line of every JSONPath of the config a document holds: the JSON itself, or the template
    or Terraform the config was read from."""
    from cfdoctor.evidence.distribution import load_document
    from cfdoctor.evidence.model import EvidenceError

    try:
        _data, lines, _name = load_document(text)
    except EvidenceError:
        return {}
    return json_lines(text) if lines is None else lines


def _line_of(path: str, lines: dict[str, int]) -> int:
    """The line of the JSON path, or of its nearest existing ancestor."""
    current = path
    while current:
        if current in lines:
            return lines[current]
        steps = list(_STEP.finditer(current))
        if not steps:
            break
        current = current[: steps[-1].start()]
    return 1


def findings_sarif(
    findings: Sequence[Finding],
    *,
    artifact_uri: str,
    document: str | None = None,
    version: str = "0",
    lang: str = "en",
) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; `document` (the config's text) gives line numbers."""
    lines = document_lines(document) if document else {}
    rule_ids = sorted({f.id for f in findings})
    rules = []
    for rid in rule_ids:
        severity, text = CATALOGUE.get(rid, ("note", None))
        summary = rid.replace("-", " ")
        rules.append(
            {
                "id": rid,
                "name": "".join(w.capitalize() for w in rid.split("-")),
                "shortDescription": {"text": summary},
                "fullDescription": {"text": text.get(lang) if text else summary},
                "defaultConfiguration": {"level": SARIF_LEVEL[severity]},
            }
        )
    results = []
    for f in findings:
        results.append(
            {
                "ruleId": f.id,
                "ruleIndex": rule_ids.index(f.id),
                "level": SARIF_LEVEL[f.severity],
                "message": {"text": f.message.get(lang)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri},
                            "region": {"startLine": _line_of(f.json_path, lines)},
                        },
                        "logicalLocations": [{"fullyQualifiedName": f.json_path, "kind": "member"}],
                    }
                ],
                **(
                    {"properties": {"fact": {"name": f.fact[0], "value": f.fact[1]}}}
                    if f.fact
                    else {}
                ),
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cfdoctor",
                        "version": version,
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
