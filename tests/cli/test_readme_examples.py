"""Every command line in the README's "Quick start" and "Using it" runs as written.

Each line is taken from README.md itself, `bin/cfdoctor` replaced by the installed `cfdoctor`
(the same program: bin/cfdoctor only sets up the venv first), and run as a real process in a
directory holding the files it names (copies of the evidence fixtures). A README line with no
case here fails the test, so a new example cannot go untested.

Four examples reach the network as written; here they run against loopback stand-ins, with
these options added to the README's words (and nothing removed):
- `curl -sv https://example.com/`: curl fetches a loopback HTTP server instead;
- `--probe origin.example.com` and `probe origin.example.com`: `--dns-server` points at a
  loopback DNS server that answers origin.example.com with 127.0.0.1, `--port` at a closed
  loopback port, so the probe runs every step and finds the connection refused;
- `probe --config dist.json`: `--dns-server` at the same stand-in, which refuses the config's
  load balancer name, so the probe reports that DNS step.

Two need what no test machine has, and run exactly as written: `diagnose URL` (the public
internet) and `--distribution-id` (AWS credentials). The test holds them to what a user without
either meets: one clear line naming what is missing, exit 2, no traceback.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cfdoctor.lab.dnsserver import DnsServer
from cfdoctor.lab.servers import HttpServer
from tests.cli.clitools import CONSOLE_SCRIPT, other_knowledge, program_env

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "evidence" / "fixtures"
PLANTED = ROOT / "tests" / "evidence" / "planted_configs"


def readme_examples() -> list[str]:
    """The command lines of the README's first two shell blocks, comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)[:2]
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if "bin/cfdoctor" in line]


class World:
    """A working directory with the README's files, loopback stand-ins, and a runner."""

    def __init__(self, cwd: Path, dns: DnsServer, web: HttpServer) -> None:
        self.cwd, self.dns, self.web = cwd, dns, web
        shutil.copy(FIXTURES / "curl-v-cf-origin-dns.txt", cwd / "curl-v.txt")
        shutil.copy(FIXTURES / "dig-origin.txt", cwd / "dig.txt")
        shutil.copy(FIXTURES / "dist-alb-ports.json", cwd / "dist.json")
        template = PLANTED / "control-app-behind-alb" / "cloudformation.yaml"
        shutil.copy(template, cwd / "template.yaml")
        (cwd / "access-logs").mkdir()
        shutil.copy(FIXTURES / "access-log-dns.log", cwd / "access-logs" / "E1.log")
        shutil.copytree(other_knowledge(cwd / "kb-src"), cwd / "my-knowledge")
        with socket.socket() as s:  # a loopback port nobody listens on
            s.bind(("127.0.0.1", 0))
            self.closed_port = s.getsockname()[1]

    def args(self, line: str) -> list[str]:
        words = shlex.split(line)
        assert words[0] == "bin/cfdoctor", line
        return [str(CONSOLE_SCRIPT), *words[1:]]

    def run(self, argv: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            cwd=self.cwd,
            capture_output=True,
            text=True,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            env=program_env(),
            timeout=120,
            check=False,
        )

    def stand_in_probe(self) -> list[str]:
        return ["--dns-server", self.dns.address, "--port", str(self.closed_port), "--timeout", "2"]


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    return result


def case_interactive(w: World, line: str) -> None:
    # No terminal on stdin: diagnose reports instead of asking (as in a script).
    assert ok(w.run(w.args(line))).stdout.strip()


def case_lang_ja(w: World, line: str) -> None:
    out = ok(w.run(w.args(line))).stdout
    assert "診断" in out, out


def case_one_shot(w: World, line: str) -> None:
    diagnosis = json.loads(ok(w.run(w.args(line))).stdout)
    assert diagnosis["causes"][0]["id"] == "origin-dns-failure", diagnosis["causes"][:2]


def case_evidence_files(w: World, line: str) -> None:
    out = ok(w.run(w.args(line))).stdout
    assert "curl-v.txt" in out and "dig.txt" in out, out


def case_curl_pipe(w: World, line: str) -> None:
    curl, _, cfdoctor = line.partition("2>&1 |")
    assert shlex.split(curl) == ["curl", "-sv", "https://example.com/"], line
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    local = subprocess.run(
        ["curl", "-sv", f"http://127.0.0.1:{w.web.port}/"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    transcript = local.stderr + local.stdout  # 2>&1
    out = ok(w.run(w.args(cfdoctor.strip()), stdin=transcript)).stdout
    assert "200" in out, out


def case_config_and_logs(w: World, line: str) -> None:
    out = ok(w.run(w.args(line))).stdout
    assert "dist.json" in out and "access-logs" in out, out


def case_probe_in_diagnose(w: World, line: str) -> None:
    out = ok(w.run([*w.args(line), *w.stand_in_probe()])).stdout
    assert "refused" in out.lower(), out


def case_report(w: World, line: str) -> None:
    ok(w.run(w.args(line)))
    report = (w.cwd / "incident.md").read_text(encoding="utf-8")
    assert report.startswith("#") and "403" in report, report[:200]


def case_session_start(w: World, line: str) -> None:
    ok(w.run(w.args(line)))
    assert json.loads((w.cwd / "s.json").read_text())


def case_session_answer(w: World, line: str) -> None:
    case_session_start(w, line.replace("--answer origin-dns-resolves=resolves --json", ""))
    step = json.loads(ok(w.run(w.args(line))).stdout)
    assert step["session"] == "s.json", step


def case_probe(w: World, line: str) -> None:
    out = ok(w.run([*w.args(line), *w.stand_in_probe()])).stdout
    assert "refused" in out.lower(), out


def case_probe_config(w: World, line: str) -> None:
    result = w.run([*w.args(line), "--dns-server", w.dns.address, "--timeout", "2"])
    assert "Traceback" not in result.stderr, result.stderr
    assert "my-alb-1234567890.us-east-1.elb.amazonaws.com" in result.stdout, result.stdout


def case_lab(w: World, line: str) -> None:
    lab = subprocess.Popen(
        w.args(line),
        cwd=w.cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=program_env(),
    )
    try:
        assert lab.stdout is not None
        first = lab.stdout.readline()
        assert first.strip(), "the lab says what it started"
        lab.send_signal(signal.SIGINT)
        assert lab.wait(timeout=10) in (0, 130), lab.stderr.read() if lab.stderr else ""
    finally:
        if lab.poll() is None:
            lab.kill()
            lab.wait()


def case_sarif(w: World, line: str) -> None:
    command, _, target = line.partition(">")
    result = w.run(w.args(command.strip()))
    assert result.returncode in (0, 1), result.stderr  # 1: error findings (the CI gate)
    (w.cwd / target.strip()).write_text(result.stdout)
    assert json.loads(result.stdout)["version"] == "2.1.0"


def case_template_sarif(w: World, line: str) -> None:
    result = w.run(w.args(line))
    assert result.returncode in (0, 1), result.stderr
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0" and "template.yaml" in result.stdout, result.stdout[:300]


def _clear_refusal(w: World, line: str, says: str) -> None:
    result = w.run(w.args(line))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and says in result.stderr, result.stderr


def case_fetch_url(w: World, line: str) -> None:
    _clear_refusal(w, line, "https://www.example.com/api/orders: request failed")


def case_distribution_id(w: World, line: str) -> None:
    _clear_refusal(w, line, "AWS credentials")


def case_runbook(w: World, line: str) -> None:
    ok(w.run(w.args(line)))
    assert list((w.cwd / "site").rglob("*.html")), "no pages written"


def case_facts(w: World, line: str) -> None:
    assert "viewer.status" in ok(w.run(w.args(line))).stdout


def case_kb_validate(w: World, line: str) -> None:
    ok(w.run(w.args(line)))


def case_kb_diagnose(w: World, line: str) -> None:
    assert ok(w.run(w.args(line))).stdout.strip()


def case_kb_stats(w: World, line: str) -> None:
    assert "502" in ok(w.run(w.args(line))).stdout


CASES: dict[str, Callable[[World, str], None]] = {
    "bin/cfdoctor diagnose": case_interactive,
    "bin/cfdoctor diagnose --lang ja": case_lang_ja,
    "bin/cfdoctor diagnose --no-ask --json --fact viewer.status=502 --fact "
    "origin.dns.status=nxdomain": case_one_shot,
    "bin/cfdoctor diagnose --evidence curl-v.txt --evidence dig.txt": case_evidence_files,
    "curl -sv https://example.com/ 2>&1 | bin/cfdoctor diagnose --evidence -": case_curl_pipe,
    "bin/cfdoctor diagnose --evidence dist.json --evidence access-logs/ --path /api/orders": (
        case_config_and_logs
    ),
    "bin/cfdoctor diagnose https://www.example.com/api/orders -X POST": case_fetch_url,
    "bin/cfdoctor diagnose --distribution-id E1ABC --path /api/orders": case_distribution_id,
    "bin/cfdoctor inspect template.yaml --format sarif": case_template_sarif,
    "bin/cfdoctor diagnose --probe origin.example.com --host-header www.example.com": (
        case_probe_in_diagnose
    ),
    "bin/cfdoctor diagnose --fact viewer.status=403 --report md --report-out incident.md": (
        case_report
    ),
    "bin/cfdoctor diagnose --session s.json --fact viewer.status=502": case_session_start,
    "bin/cfdoctor diagnose --session s.json --answer origin-dns-resolves=resolves --json": (
        case_session_answer
    ),
    "bin/cfdoctor probe origin.example.com --sni origin.example.com": case_probe,
    "bin/cfdoctor probe --config dist.json --path /api/x": case_probe_config,
    "bin/cfdoctor lab": case_lab,
    "bin/cfdoctor inspect dist.json --format sarif > findings.sarif": case_sarif,
    "bin/cfdoctor runbook 502 403 --lang all --format html --out site": case_runbook,
    "bin/cfdoctor facts": case_facts,
    "bin/cfdoctor kb validate ./my-knowledge": case_kb_validate,
    "bin/cfdoctor --kb ./my-knowledge diagnose": case_kb_diagnose,
    "bin/cfdoctor kb stats": case_kb_stats,
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    dns = DnsServer("example.com", {"origin.example.com": {"A": ("127.0.0.1",)}})
    web = HttpServer()
    dns.start()
    web.start()
    try:
        yield World(tmp_path, dns, web)
    finally:
        web.stop()
        dns.stop()


def test_every_readme_example_has_a_case() -> None:
    examples = readme_examples()
    assert len(examples) == len(set(examples))
    assert set(examples) == set(CASES), set(examples) ^ set(CASES)


@pytest.mark.slow
@pytest.mark.parametrize("line", readme_examples())
def test_readme_example_runs_as_written(world: World, line: str) -> None:
    CASES[line](world, line)
