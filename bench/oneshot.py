"""Cold-process time of a one-shot diagnosis with the full knowledge base, beside `aws --version`.

Runs the installed `cfdoctor` entry point as a new process each time (the knowledge cache warm,
as it is after the first run on a machine), beside `python -c pass` for the interpreter's own
start-up and `aws --version` (awscli, the `bench` extra) as the yardstick of a Python CLI that
AWS users run every day. The runs interleave, round by round, so load from other processes hits
all of them alike; the ratio is cfdoctor's median over aws's (goal: <= 0.40). Prints medians and
p90 in milliseconds. The package is byte-compiled first, as pip does when it installs a wheel:
an editable install under PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on
every run.

    .venv/bin/pip install -e '.[bench]'      # awscli, sslyze
    .venv/bin/python bench/oneshot.py [--runs 40]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = [
    "diagnose",
    "--no-ask",
    "--json",
    "--fact",
    "viewer.status=502",
    "--fact",
    "origin.dns.status=nxdomain",
]


def timed_rounds(
    commands: dict[str, list[str]], runs: int, env: dict[str, str]
) -> dict[str, list[float]]:
    """Each command once per round, in turn, `runs` rounds: milliseconds per command."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p90_ms": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "min_ms": round(ordered[0], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    entry = Path(sys.executable).with_name("cfdoctor")
    aws = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
    if aws is None:
        sys.exit("bench/oneshot.py: aws is missing; pip install -e '.[bench]' adds awscli")
    import cfdoctor

    compileall.compile_dir(Path(cfdoctor.__file__).parent, quiet=1)
    one_shot = "cfdoctor " + " ".join(COMMAND)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, CFDOCTOR_CACHE_DIR=cache)
        subprocess.run([str(entry), *COMMAND], check=True, stdout=subprocess.DEVNULL, env=env)
        subprocess.run([aws, "--version"], check=True, stdout=subprocess.DEVNULL, env=env)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "cfdoctor --help": [str(entry), "--help"],
            one_shot: [str(entry), *COMMAND],
            "aws --version": [aws, "--version"],
        }
        samples = timed_rounds(commands, args.runs, env)
    result: dict[str, object] = {name: summary(times) for name, times in samples.items()}
    ratio = statistics.median(samples[one_shot]) / statistics.median(samples["aws --version"])
    result["ratio one-shot / aws --version (medians)"] = round(ratio, 3)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
