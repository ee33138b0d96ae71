"""`cfdoctor kb validate|show|stats` and `cfdoctor facts`: what a knowledge author relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.clitools import invoke, loads, one_line_error, other_knowledge


def test_validate_bundled_knowledge_prints_one_summary_line() -> None:
    result = invoke(["kb", "validate"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1, result.output
    assert "is valid" in result.stdout, result.output


def test_validate_json_counts_units() -> None:
    report = loads(invoke(["kb", "validate", "--json"]))
    assert report["valid"] is True
    assert report["problems"] == []
    assert report["counts"]["causes"] >= 1 and report["counts"]["facts"] >= 1


def test_validate_accepts_an_extra_directory(tmp_path: Path) -> None:
    extra = other_knowledge(tmp_path)
    base = loads(invoke(["kb", "validate", "--json"]))
    more = loads(invoke(["kb", "validate", "--json", str(extra)]))
    assert more["counts"]["checks"] == base["counts"]["checks"] + 1
    assert more["kb_version"] != base["kb_version"]


def test_validate_lists_every_problem_with_file_and_line(tmp_path: Path) -> None:
    checks = tmp_path / "kb" / "checks"
    checks.mkdir(parents=True)
    (checks / "broken.yaml").write_text("fact: viewer.status\nquestion: [oops\n", encoding="utf-8")
    (checks / "Bad_Name.yaml").write_text("fact: viewer.status\n", encoding="utf-8")
    result = invoke(["kb", "validate", str(tmp_path / "kb")])
    assert result.exit_code == 3, result.output
    problems = [line for line in result.stdout.splitlines() if ".yaml:" in line]
    assert any(line.startswith(f"{checks / 'broken.yaml'}:") for line in problems), result.output
    assert any(line.startswith(f"{checks / 'Bad_Name.yaml'}:1:") for line in problems), (
        result.output
    )

    report = invoke(["kb", "validate", "--json", str(tmp_path / "kb")])
    assert report.exit_code == 3, report.output
    body = json.loads(report.stdout)
    assert body["valid"] is False
    assert {"path", "line", "field", "message", "hint"} <= body["problems"][0].keys()


@pytest.mark.parametrize(
    ("uid", "kind"),
    [
        ("origin-dns-failure", "cause"),
        ("origin-dns-resolves", "check"),
        ("http-502", "symptom"),
        ("viewer.status", "fact"),
        ("origin.dns.status", "fact"),
    ],
)
def test_show_finds_every_kind_of_unit(uid: str, kind: str) -> None:
    body = loads(invoke(["kb", "show", uid, "--json"]))
    assert [m["kind"] for m in body["matches"]] == [kind]
    text = invoke(["kb", "show", uid])
    assert text.exit_code == 0, text.output
    assert uid in text.stdout, text.output


def test_show_fact_lists_what_settles_it() -> None:
    (fact,) = loads(invoke(["kb", "show", "origin.dns.status", "--json"]))["matches"]
    assert "origin-dns-resolves" in fact["checks"]
    assert [v["value"] for v in fact["values"]][:2] == ["resolves", "nxdomain"]


def test_show_rule_of_the_dns_cause() -> None:
    (cause,) = loads(invoke(["kb", "show", "origin-dns-failure", "--json"]))["matches"]
    assert cause["rules"], cause
    rule_id = cause["rules"][0]["id"]
    (rule,) = loads(invoke(["kb", "show", rule_id, "--json"]))["matches"]
    assert rule["kind"] == "rule"
    assert any(e["cause"] == "origin-dns-failure" for e in rule["effects"])


def test_show_speaks_the_chosen_language() -> None:
    (cause,) = loads(invoke(["--lang", "ja", "kb", "show", "origin-dns-failure", "--json"]))[
        "matches"
    ]
    assert cause["title"] == "CloudFront がオリジンドメイン名を解決できない"


def test_show_unknown_id_suggests_close_ones() -> None:
    result = invoke(["kb", "show", "origin-dns-failur"])
    assert result.exit_code == 2, result.output
    line = one_line_error(result.stderr)
    assert "unknown id 'origin-dns-failur'" in line and "origin-dns-failure" in line, line


def test_stats_json() -> None:
    stats = loads(invoke(["kb", "stats", "--json"]))
    assert stats["causes_by_status"]["502"] >= 1
    dns = next(c for c in stats["causes"] if c["id"] == "origin-dns-failure")
    assert dns["positive"] >= 1 and dns["negative"] >= 1 and dns["grade"] in {"D", "C", "I"}
    for lang in ("en", "ja", "zh"):
        t = stats["translations"][lang]
        assert t["fields"] > 0 and 0 <= t["complete"] <= 1, t
    assert stats["translations"]["en"]["same_as_en"] == []
    assert sum(stats["grades"].values()) == len(stats["causes"])


def test_stats_text() -> None:
    result = invoke(["kb", "stats"])
    assert result.exit_code == 0, result.output
    assert "origin-dns-failure" in result.stdout and "Translations" in result.stdout, result.output


def test_facts_json_lists_types_values_and_settlers() -> None:
    facts = {f["name"]: f for f in loads(invoke(["facts", "--json"]))}
    status = facts["viewer.status"]
    assert status["type"] == "int" and status["derived"] is False
    assert "viewer-status" in status["checks"]
    dns = facts["origin.dns.status"]
    assert dns["type"] == "enum"
    assert {"resolves", "nxdomain", "servfail", "no-address"} <= {v["value"] for v in dns["values"]}
    assert "origin-dns-resolves" in dns["checks"]


def test_facts_text() -> None:
    result = invoke(["facts"])
    assert result.exit_code == 0, result.output
    assert "viewer.status  (int)" in result.stdout, result.output
