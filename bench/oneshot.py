"""Cold-process time of a one-shot diagnosis with the full knowledge base.

Runs the installed `cfdoctor` entry point as a new process each time (the knowledge cache warm,
as it is after the first run on a machine), beside `python -c pass` for the interpreter's own
start-up. Prints medians and p90 in milliseconds. The package is byte-compiled first, as pip
does when it installs a wheel: an editable install under PYTHONDONTWRITEBYTECODE=1 would
otherwise recompile every module on every run.

    .venv/bin/python bench/oneshot.py [--runs 40]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
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


def timed(argv: list[str], runs: int, env: dict[str, str]) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
        samples.append((time.perf_counter() - start) * 1000)
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
    import cfdoctor

    compileall.compile_dir(Path(cfdoctor.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, CFDOCTOR_CACHE_DIR=cache)
        subprocess.run([str(entry), *COMMAND], check=True, stdout=subprocess.DEVNULL, env=env)
        result = {
            "python -c pass": summary(timed([sys.executable, "-c", "pass"], args.runs, env)),
            "cfdoctor --help": summary(timed([str(entry), "--help"], args.runs, env)),
            "cfdoctor " + " ".join(COMMAND): summary(timed([str(entry), *COMMAND], args.runs, env)),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
