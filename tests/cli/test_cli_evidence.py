"""`diagnose --evidence`, `inspect`, `diagnose --report` and `runbook`: documents in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.cli.clitools import invoke, loads, one_line_error, run_program

FIXTURES = Path(__file__).resolve().parents[1] / "evidence" / "fixtures"
CURL_DNS = str(FIXTURES / "curl-i-cf-origin-dns.txt")
DIG_NOPE = str(FIXTURES / "dig-nope.txt")
CONFIGS = sorted(FIXTURES.glob("dist-*.json"))


# -- diagnose --evidence --------------------------------------------------------------------------
def test_curl_transcript_ranks_dns_failure_first_with_sources() -> None:
    result = invoke(["diagnose", "--no-ask", "--json", "--evidence", CURL_DNS])
    report = loads(result)
    assert report["causes"][0]["id"] == "origin-dns-failure", result.output
    sources = {f["fact"]: f["source"] for f in report["facts"]}
    assert sources["viewer.status"] == f"evidence:{CURL_DNS}", result.output
    assert sources["viewer.cloudfront_phrase"] == f"evidence:{CURL_DNS}", result.output
    assert [e["kind"] for e in report["evidence"]] == ["http-transcript"], result.output


def test_dig_and_a_status_given_as_fact() -> None:
    result = invoke(
        ["diagnose", "--no-ask", "--json", "-e", DIG_NOPE, "--fact", "viewer.status=502"]
    )
    report = loads(result)
    facts = {f["fact"]: f for f in report["facts"]}
    assert facts["origin.dns.status"] == {
        "fact": "origin.dns.status",
        "value": "nxdomain",
        "source": f"evidence:{DIG_NOPE}",
    }, result.output
    assert facts["viewer.status"]["source"] == "cli", result.output
    assert report["causes"][0]["id"] == "origin-dns-failure", result.output


def test_fact_given_on_the_command_line_overrides_evidence() -> None:
    result = invoke(
        ["diagnose", "--no-ask", "--json", "-e", CURL_DNS, "--fact", "viewer.status=504"]
    )
    facts = {f["fact"]: f for f in loads(result)["facts"]}
    assert (facts["viewer.status"]["value"], facts["viewer.status"]["source"]) == (504, "cli")


def test_evidence_from_stdin() -> None:
    text = Path(CURL_DNS).read_text(encoding="utf-8")
    result = run_program(["diagnose", "--json", "--evidence", "-"], input=text)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["causes"][0]["id"] == "origin-dns-failure", result.stdout
    assert {f["source"] for f in report["facts"]} == {"evidence:stdin"}, result.stdout


def test_text_report_shows_where_facts_came_from() -> None:
    result = run_program(["diagnose", "--no-ask", "-e", DIG_NOPE, "-f", "viewer.status=502"])
    assert result.returncode == 0, result.stderr
    assert f"file {DIG_NOPE}: origin.dns.status = nxdomain" in result.stdout, result.stdout
    assert "command line: viewer.status = 502" in result.stdout, result.stdout
    assert f"Read {DIG_NOPE} as dig: 1 fact" in result.stdout, result.stdout


def test_path_selects_the_cache_behavior_of_a_config() -> None:
    config = str(FIXTURES / "dist-apigw-allviewer.json")
    api = loads(invoke(["diagnose", "--no-ask", "--json", "-e", config, "--path", "/api/test"]))
    default = loads(invoke(["diagnose", "--no-ask", "--json", "-e", config]))
    value = {f["fact"]: f["value"] for f in api["facts"]}
    assert value["behavior.forwards_host_header"] is True
    assert value["behavior.allowed_methods"] == "all"
    value = {f["fact"]: f["value"] for f in default["facts"]}
    assert value["behavior.forwards_host_header"] is False
    assert value["behavior.allowed_methods"] == "get-head"


def test_not_evidence_is_one_line_naming_the_file_and_session_untouched(tmp_path: Path) -> None:
    state = tmp_path / "step.json"
    first = invoke(["diagnose", "--session", str(state), "--json", "-f", "viewer.status=502"])
    assert first.exit_code == 0, first.output
    before = state.read_bytes()
    junk = tmp_path / "notes.txt"
    junk.write_text("nothing cfdoctor could read here\n", encoding="utf-8")
    result = run_program(
        ["diagnose", "--session", str(state), "-e", DIG_NOPE, "-e", str(junk), "-f", "x.y=1"]
    )
    assert result.returncode == 2, result.stderr
    line = one_line_error(result.stderr)
    assert str(junk) in line and "not recognised" in line, line
    assert state.read_bytes() == before


@pytest.mark.parametrize("name", ["missing.txt", "missing"])
def test_missing_evidence_file_is_exit_2(tmp_path: Path, name: str) -> None:
    missing = tmp_path / name
    result = run_program(["diagnose", "--no-ask", "-e", str(missing)])
    assert result.returncode == 2, result.stderr
    assert str(missing) in one_line_error(result.stderr), result.stderr


# -- inspect ------------------------------------------------------------------------------------
@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_inspect_json_findings(config: Path) -> None:
    result = invoke(["inspect", str(config), "--json"])
    report = json.loads(result.stdout)
    assert report["config"] == str(config), result.output
    assert report["findings"], result.output
    for finding in report["findings"]:
        assert finding["severity"] in ("error", "warning", "note"), finding
        assert finding["json_path"].startswith("$"), finding
        assert finding["message"], finding
    errors = report["counts"]["error"]
    assert result.exit_code == (1 if errors else 0), result.output


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_inspect_sarif_has_lines(config: Path) -> None:
    result = invoke(["inspect", str(config), "--format", "sarif"])
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0", result.output
    results = sarif["runs"][0]["results"]
    assert results, result.output
    lines = len(config.read_text(encoding="utf-8").splitlines())
    for item in results:
        assert item["ruleId"] and item["level"] in ("error", "warning", "note"), item
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == str(config), item
        assert 1 <= location["region"]["startLine"] <= lines, item
    assert any(i["locations"][0]["physicalLocation"]["region"]["startLine"] > 1 for i in results)
    assert result.exit_code == (1 if any(i["level"] == "error" for i in results) else 0)


def test_inspect_exit_code_gates_on_errors() -> None:
    api = FIXTURES / "dist-apigw-allviewer.json"
    failing = invoke(["inspect", str(api), "--path", "/api/test"])
    assert failing.exit_code == 1, failing.output
    assert "host-forwarded-to-api-gateway" in failing.stdout, failing.output
    assert "$.DistributionConfig.CacheBehaviors.Items[0]" in failing.stdout, failing.output


def test_inspect_reads_stdin_and_speaks_japanese() -> None:
    text = (FIXTURES / "dist-alb-ports.json").read_text(encoding="utf-8")
    result = run_program(["--lang", "ja", "inspect", "-", "--json"], input=text)
    report = json.loads(result.stdout)
    assert report["config"] == "stdin", result.stdout
    ports = next(f for f in report["findings"] if f["id"] == "https-to-port-80")
    assert "ポート" in ports["message"], ports


def test_inspect_policy_decides_host_forwarding() -> None:
    config = str(FIXTURES / "dist-website-legacy.json")
    policy = str(FIXTURES / "policy-origin-request.json")
    without = loads_any(invoke(["inspect", config, "--path", "/api/x", "--json"]))
    given = loads_any(invoke(["inspect", config, "--path", "/api/x", "--json", "--policy", policy]))
    assert "policy-not-given" in {f["id"] for f in without["findings"]}
    assert "host-forwarded-to-api-gateway" in {f["id"] for f in given["findings"]}


def loads_any(result: Result) -> Any:
    """JSON on stdout whatever the exit code (inspect exits 1 when it finds errors)."""
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["inspect", str(FIXTURES / "curl-i-ok.txt")], "not valid JSON"),
        (["inspect", str(FIXTURES / "page-load.har")], "not a usable distribution config"),
        (["inspect", "/nonexistent/config.json"], "/nonexistent/config.json"),
        (["inspect"], "exactly one"),
        (["inspect", str(FIXTURES / "dist-alb-ports.json"), "--format", "xml"], "--format"),
    ],
)
def test_inspect_bad_input_is_exit_2(args: list[str], needle: str) -> None:
    result = run_program(args)
    assert result.returncode == 2, result.stderr
    assert needle in one_line_error(result.stderr), result.stderr


# -- reports and runbooks -----------------------------------------------------------------------
def test_diagnose_report_md_on_stdout_after_the_diagnosis() -> None:
    result = invoke(["diagnose", "--no-ask", "-e", CURL_DNS, "--report", "md"])
    assert result.exit_code == 0, result.output
    diagnosis, _, report = result.stdout.partition("\n# ")
    assert "Diagnosis" in diagnosis, result.output
    assert "## Conclusion" in report, result.output


def test_diagnose_report_html_to_a_file_with_json(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke(
        [
            "diagnose",
            "--no-ask",
            "--json",
            "-e",
            CURL_DNS,
            "--report",
            "html",
            "--report-out",
            str(out),
        ]
    )
    assert loads(result)["causes"][0]["id"] == "origin-dns-failure", result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "origin-dns-failure" in page, page[:300]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--report", "pdf"], "--report"),
        (["--report-out", "x.md"], "--report-out"),
        (["--report", "md", "--json"], "--report-out"),
        (["--port", "8443"], "--probe"),
    ],
)
def test_diagnose_option_misuse_is_exit_2(args: list[str], needle: str) -> None:
    result = run_program(["diagnose", "--no-ask", "-f", "viewer.status=502", *args])
    assert result.returncode == 2, result.stderr
    assert needle in one_line_error(result.stderr), result.stderr


def test_runbook_md_and_html_for_one_status_in_two_languages(tmp_path: Path) -> None:
    for lang in ("en", "ja"):
        for fmt in ("md", "html"):
            out = tmp_path / fmt
            result = invoke(["runbook", "504", "--lang", lang, "--format", fmt, "--out", str(out)])
            assert result.exit_code == 0, result.output
            written = [Path(line) for line in result.stdout.splitlines()]
            page = out / lang / f"http-504.{fmt}"
            assert page in written and page.is_file(), result.output
            assert all(p.is_file() for p in written), result.output
    assert "CloudFront" in (tmp_path / "md" / "ja" / "http-504.md").read_text(encoding="utf-8")
    listed = loads(invoke(["runbook", "504", "--lang", "zh", "--out", str(tmp_path), "--json"]))
    assert str(tmp_path / "zh" / "http-504.md") in listed["written"]


def test_runbook_unknown_status_is_exit_2(tmp_path: Path) -> None:
    result = run_program(["runbook", "999", "--out", str(tmp_path)])
    assert result.returncode == 2, result.stderr
    assert "999" in one_line_error(result.stderr), result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--distribution-id", "E2QWRUHEXAMPLE"],
        [str(FIXTURES / "dist-alb-ports.json"), "--distribution-id", "E2QWRUHEXAMPLE"],
        [str(FIXTURES / "dist-alb-ports.json"), "--profile", "prod"],
    ],
)
def test_inspect_distribution_id_without_aws_is_exit_2(args: list[str], tmp_path: Path) -> None:
    """No boto3, or no credentials (an empty home): one line saying what to do instead."""
    result = run_program(
        ["inspect", *args],
        HOME=str(tmp_path),
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    assert result.returncode == 2, result.stderr
    one_line_error(result.stderr)


def test_evidence_directory_of_access_logs(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "E1.2026-11-21-09.abc.gz").write_bytes(
        (FIXTURES / "access-log-connect.log.gz").read_bytes()
    )
    report = loads(invoke(["diagnose", "--no-ask", "--json", "-e", str(logs)]))
    assert [e["kind"] for e in report["evidence"]] == ["access-log"]
    assert {f["source"] for f in report["facts"]} == {f"evidence:{logs}"}


def test_a_page_copied_from_the_browser_is_read_from_stdin() -> None:
    page = (
        "403 ERROR\nThe request could not be satisfied.\nRequest blocked. We can't connect to the "
        "server for this app or website at this time.\nGenerated by cloudfront (CloudFront)\n"
    )
    result = run_program(["diagnose", "--json", "--evidence", "-"], input=page)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    facts = {f["fact"]: f["value"] for f in report["facts"]}
    assert facts["viewer.status"] == 403 and facts["viewer.cloudfront_phrase"] == "request-blocked"
    assert report["evidence"][0]["kind"] == "http-transcript", result.stdout  # a bare body


def test_text_without_a_signal_is_one_line_and_exit_2() -> None:
    result = run_program(["diagnose", "--json", "--evidence", "-"], input="it is broken again\n")
    assert result.returncode == 2, result.stdout
    assert "no known signal" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- infrastructure as code -----------------------------------------------------------------------
def _planted_text(fault_id: str, writer: str) -> str:
    from tests.evidence import iac_writers
    from tests.evidence.planted import FAULTS

    fault = next(f for f in FAULTS if f.id == fault_id)
    return str(getattr(iac_writers, writer)(fault.config()))


@pytest.mark.parametrize(
    ("name", "writer"), [("template.yaml", "cloudformation_yaml"), ("main.tf", "terraform_hcl")]
)
def test_inspect_reads_a_template_and_terraform_and_gates_ci(
    tmp_path: Path, name: str, writer: str
) -> None:
    path = tmp_path / name
    path.write_text(_planted_text("apigw-host-forwarded", writer), encoding="utf-8")
    result = run_program(["inspect", str(path), "--format", "sarif"])
    assert result.returncode == 1, result.stderr  # an error-level finding fails the gate
    sarif = json.loads(result.stdout)
    hits = [
        r for r in sarif["runs"][0]["results"] if r["ruleId"] == "host-forwarded-to-api-gateway"
    ]
    assert hits and hits[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 1


def test_diagnose_reads_terraform_as_evidence(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text(_planted_text("s3-without-oac", "terraform_hcl"), encoding="utf-8")
    report = loads(
        invoke(["diagnose", "--no-ask", "--json", "-e", str(path), "-f", "viewer.status=403"])
    )
    assert report["causes"][0]["id"] == "s3-private-bucket-no-oac", report["causes"][:2]
    facts = {f["fact"]: f["value"] for f in report["facts"]}
    assert facts["origin.s3_access_control"] == "none"


def test_broken_terraform_is_one_line_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text('resource "aws_cloudfront_distribution" "x" {\n  origin {\n', encoding="utf-8")
    result = run_program(["inspect", str(path)])
    assert result.returncode == 2, result.stdout
    assert str(path) in result.stderr and len(result.stderr.strip().splitlines()) == 1
