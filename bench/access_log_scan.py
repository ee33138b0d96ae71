"""Access-log scan throughput and memory: is the scanner fast (>= 50 MB/s) and flat in memory?

Writes CloudFront standard logs (v1.0 fields) of two sizes into a temporary directory, then for
each size runs, in a fresh process, `wc -l` and cfdoctor's scanner on the same file, and reports
MB/s and the scanner process's peak RSS (resource.getrusage) beside its RSS before the scan.
Flat memory shows as the same peak for both sizes.

    .venv/bin/python bench/access_log_scan.py [--sizes 50 200] [--gzip]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cfdoctor.evidence.access_log import V1_FIELDS

POPS = ["NRT57-P2", "NRT20-C1", "HND50-C1", "KIX56-P1", "IAD89-C3", "FRA56-P5", "SIN2-C1"]
OUTCOMES = [  # (weight, status, result type, detailed result type, time-taken range)
    (80, "200", "Hit", "Hit", (0.001, 0.02)),
    (12, "200", "Miss", "Miss", (0.02, 0.4)),
    (3, "304", "RefreshHit", "RefreshHit", (0.01, 0.1)),
    (2, "404", "Error", "Error", (0.01, 0.2)),
    (2, "502", "Error", "OriginConnectError", (0.05, 0.5)),
    (1, "504", "Error", "OriginCommError", (30.0, 30.9)),
]


def make_lines(rng: random.Random, n: int) -> list[bytes]:
    """A pool of distinct, realistic lines; the files repeat it (the scanner cannot tell)."""
    weights = [o[0] for o in OUTCOMES]
    lines = []
    for i in range(n):
        _, status, result, detailed, (lo, hi) = rng.choices(OUTCOMES, weights)[0]
        taken = f"{rng.uniform(lo, hi):.3f}"
        fields = [
            "2026-11-20",
            f"{9 + i // 3600 % 10:02d}:{i // 60 % 60:02d}:{i % 60:02d}",
            rng.choice(POPS),
            str(rng.randint(300, 90000)),
            f"198.51.100.{rng.randint(1, 254)}",
            "GET",
            "d111111abcdef8.cloudfront.net",
            f"/assets/{rng.randint(1, 5000)}/app.{rng.choice(['js', 'css', 'png'])}",
            status,
            "https://www.example.com/",
            "Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36",
            "-",
            "-",
            result,
            "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789") for _ in range(56))
            + "==",
            "www.example.com",
            "https",
            str(rng.randint(100, 900)),
            taken,
            "-",
            "TLSv1.3",
            "TLS_AES_128_GCM_SHA256",
            result,
            "HTTP/2.0",
            "-",
            "-",
            str(rng.randint(1024, 65535)),
            taken,
            detailed,
            "application/javascript",
            str(rng.randint(300, 90000)),
            "-",
            "-",
        ]
        lines.append(("\t".join(fields) + "\n").encode())
    return lines


def write_log(path: Path, megabytes: int, pool: list[bytes], compress: bool) -> None:
    header = b"#Version: 1.0\n#Fields: " + " ".join(V1_FIELDS).encode() + b"\n"
    chunk = b"".join(pool)
    target = megabytes * 1024 * 1024
    raw = path.with_suffix(".log")
    with raw.open("wb") as f:
        f.write(header)
        written = len(header)
        while written < target:
            f.write(chunk)
            written += len(chunk)
    if compress:
        with raw.open("rb") as src, gzip.open(path, "wb", compresslevel=1) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        raw.unlink()


CHILD = """
import json, resource, sys, time
from pathlib import Path
from cfdoctor.evidence import access_log
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
stats = access_log.scan([Path(sys.argv[1])])
facts, _ = access_log.summarise(stats)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "bytes": stats.byte_count, "lines": stats.lines,
                  "rss_before_kib": before, "rss_peak_kib": peak, "facts": facts}))
"""


def scan_in_child(path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], check=True, capture_output=True, text=True
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def wc_seconds(path: Path, compressed: bool) -> float:
    start = time.perf_counter()
    if compressed:
        zcat = subprocess.Popen(["zcat", str(path)], stdout=subprocess.PIPE)
        subprocess.run(["wc", "-l"], stdin=zcat.stdout, check=True, capture_output=True)
        zcat.wait()
    else:
        subprocess.run(["wc", "-l", str(path)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200], help="MB per file")
    parser.add_argument("--gzip", action="store_true", help="scan .gz files (MB uncompressed)")
    args = parser.parse_args()
    pool = make_lines(random.Random(1), 20_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / (f"E1EXAMPLE.{size}mb.log" + (".gz" if args.gzip else ""))
            write_log(path, size, pool, args.gzip)
            wc_s = wc_seconds(path, args.gzip)
            child = scan_in_child(path)
            mb = float(child["bytes"]) / 1e6  # type: ignore[arg-type]
            seconds = float(child["seconds"])  # type: ignore[arg-type]
            rows.append((size, mb, seconds, wc_s, child))
            path.unlink()
    print(
        f"{'file':>8} {'MB':>8} {'scan s':>8} {'MB/s':>8} {'wc -l s':>8} {'wc MB/s':>8} "
        f"{'RSS before':>11} {'RSS peak':>10}"
    )
    for size, mb, seconds, wc_s, child in rows:
        print(
            f"{size:>6}MB {mb:>8.1f} {seconds:>8.2f} {mb / seconds:>8.1f} {wc_s:>8.2f} "
            f"{mb / wc_s:>8.1f} {int(child['rss_before_kib']) / 1024:>9.1f}MB "  # type: ignore[call-overload]
            f"{int(child['rss_peak_kib']) / 1024:>8.1f}MB"  # type: ignore[call-overload]
        )
    print("facts (last file):", json.dumps(rows[-1][4]["facts"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
