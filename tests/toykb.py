"""A small knowledge base written into a temporary folder, for tests that need exact numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def text(s: str) -> dict[str, str]:
    return {"en": s, "ja": f"{s}（ja）", "zh": f"{s}（zh）"}


def _cause(prior: float, positive: dict[str, Any], negative: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": text("title"),
        "summary": text("summary"),
        "status": [500],
        "symptoms": ["s-500"],
        "grade": "D",
        "prior": prior,
        "fixes": [
            {
                "title": text("fix"),
                "steps": [text("step")],
                "success_rate": 0.9,
                "rate_origin": text("estimate"),
            }
        ],
        "sources": [{"url": "https://example.com/doc", "lang": "en"}],
        "cases": {
            "positive": [{"name": "p", "facts": positive}],
            "negative": [{"name": "n", "facts": negative}],
        },
    }


def toy_units() -> dict[str, dict[str, Any]]:
    """Relative path -> unit data. Two causes of one symptom, one derived fact in a chain."""
    return {
        "facts/toy.yaml": {
            "facts": {
                "t.status": {"type": "int", "label": text("status")},
                "t.port": {
                    "type": "enum",
                    "label": text("port"),
                    "values": {"open": text("open"), "refused": text("refused")},
                },
                "t.dns_ok": {"type": "bool", "label": text("dns ok")},
                "t.broken_name": {"type": "bool", "label": text("broken name"), "derived": True},
            }
        },
        "checks/t-status.yaml": {
            "fact": "t.status",
            "question": text("status?"),
            "how_to_read": text("read"),
            "cost": 1,
        },
        "checks/t-port.yaml": {
            "fact": "t.port",
            "question": text("port?"),
            "how_to_read": text("read"),
            "cost": 2,
            "commands": [{"run": "nc -zv {ORIGIN_DOMAIN} {PORT}"}],
        },
        "checks/t-dns.yaml": {
            "fact": "t.dns_ok",
            "question": text("dns?"),
            "how_to_read": text("read"),
            "cost": 2,
        },
        "symptoms/s-500.yaml": {
            "title": text("500"),
            "description": text("500"),
            "when": {"all": [{"fact": "t.status", "eq": 500}]},
        },
        "causes/500/c-port.yaml": _cause(
            0.5, {"t.status": 500, "t.port": "refused"}, {"t.status": 500, "t.port": "open"}
        ),
        "causes/500/c-dns.yaml": _cause(
            0.5, {"t.status": 500, "t.dns_ok": False}, {"t.status": 500, "t.dns_ok": True}
        ),
        "rules/port-refused.yaml": {
            "because": text("refused"),
            "when": {"all": [{"fact": "t.port", "eq": "refused"}]},
            "then": [{"cause": "c-port", "effect": "strong"}],
        },
        "rules/port-open.yaml": {
            "because": text("open"),
            "when": {"all": [{"fact": "t.port", "eq": "open"}]},
            "then": [{"cause": "c-port", "effect": "rules_out"}],
        },
        "rules/dns-bad.yaml": {
            "because": text("dns bad"),
            "when": {"all": [{"fact": "t.dns_ok", "eq": False}]},
            "then": [{"assert": {"fact": "t.broken_name", "value": True}}],
        },
        "rules/broken-name.yaml": {
            "because": text("broken"),
            "when": {"all": [{"fact": "t.broken_name", "eq": True}]},
            "then": [{"cause": "c-dns", "effect": "strong"}],
        },
        "rules/dns-good.yaml": {
            "because": text("dns good"),
            "when": {"all": [{"fact": "t.dns_ok", "eq": True}]},
            "then": [{"cause": "c-dns", "effect": "rules_out"}],
        },
    }


def write_kb(root: Path, units: dict[str, dict[str, Any]]) -> Path:
    for rel, data in units.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root
