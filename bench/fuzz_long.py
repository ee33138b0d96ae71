"""A long fuzz run, outside CI: >= 100,000 mutated inputs per parser and loader.

Every target must answer each input with a result or with cfdoctor's own error (what the CLI
turns into a documented exit code). Anything else is counted:

- `internal`: another exception, which the CLI would report as exit 70;
- `hang`: no answer within --timeout seconds (a per-input alarm);
- `crash`: the worker process died (a segfault in a C extension, the OOM killer, ...).

Each target runs in a worker process the parent supervises: when a worker dies, the input it
was on is saved and a new worker resumes after it. Inputs are seeded mutations (bit flips,
splices, cuts, duplications, dictionary tokens such as YAML aliases, `.nan`, deep nesting, huge
numbers, escape sequences) of real fixtures, knowledge units and sessions, so they stay near
the formats and reach deep code. Failing inputs are written under --out.

    nice .venv/bin/python bench/fuzz_long.py                 # every target, 100,000 each
    .venv/bin/python bench/fuzz_long.py --count 2000 http    # a quick look at one target
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "evidence" / "fixtures"
TOKENS = [
    b"*a", b"&a ", b"&a [*a, *a]", b".nan", b".inf", b"-.inf", b"!!python/object:os.system",
    b"9" * 5000, b"[" * 3000, b"{" * 3000, b"\x00", b"\x1b]0;pwned\x07\x1b[2J", b"\r\n",
    b"\xff\xfe", b"\xef\xbb\xbf", b"%3FSignature%3D", b"user:pw@", b'"', b"'", b"\\",
    b"$(id)", b"`id`", b"{ORIGIN_DOMAIN}", b"\t", b"\n" * 50, b"x" * 70000, b"1e999",
    b"-9223372036854775809", b"NaN", b"Infinity", b"null", b"[]", b"{}", b'"fact": 1',
    b"Content-Length: 99999999999", b"HTTP/1.1 ", b"#Fields: ", b"<<: *a",
]  # fmt: skip


def mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.choice((1, 1, 2, 3, 5, 8))):
        op = rng.randrange(7)
        pos = rng.randrange(len(data) + 1)
        if op == 0 and data:  # flip bits of a byte
            data[min(pos, len(data) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:  # insert a dictionary token
            data[pos:pos] = rng.choice(TOKENS)
        elif op == 2:  # delete a span
            del data[pos : pos + rng.randrange(1, 200)]
        elif op == 3:  # duplicate a span
            end = min(len(data), pos + rng.randrange(1, 400))
            data[pos:pos] = data[pos:end] * rng.randrange(1, 4)
        elif op == 4:  # splice another seed
            other = rng.choice(seeds)
            cut = rng.randrange(len(other) + 1)
            data[pos:] = other[cut:]
        elif op == 5:  # truncate
            del data[pos:]
        else:  # random bytes
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    return bytes(data)


# -- targets: (seeds, call) --------------------------------------------------------------------


def _fixtures(*prefixes: str) -> list[bytes]:
    out = []
    for p in sorted(FIXTURES.iterdir()):
        if p.is_file() and p.name.startswith(prefixes) and p.suffix not in (".md", ".py"):
            out.append(p.read_bytes())
    return out


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def target_evidence(kind: str) -> tuple[list[bytes], Callable[[bytes], object]]:
    """Text through `parse_evidence`, the boundary the CLI and the library use, with the parser
    forced (or, for "entry", detected)."""
    from cfdoctor.evidence import parse_evidence
    from cfdoctor.evidence.model import Context

    context = Context(origin_domain="o.example", path="/api/x")
    forced = {
        "http": (("curl", "httpie"), "http-transcript"),
        "openssl": (("openssl",), "openssl"),
        "dig": (("dig", "nslookup"), "dig"),
        "access-log": (("access-log",), "access-log"),
        "har": (("page", "har"), "har"),
        "config": (("dist",), "distribution-config"),
        "entry": (("",), None),
    }
    prefixes, parser = forced[kind]
    seeds = [s for s in _fixtures(*prefixes) if not s.startswith(b"\x1f\x8b")]

    def call(data: bytes) -> object:
        return parse_evidence(_text(data) + "\n", kind=parser, context=context)

    return seeds, call


def target_gzip() -> tuple[list[bytes], Callable[[bytes], object]]:
    """Whole files through the file path of the entry point, gzip-compressed first."""
    import gzip

    from cfdoctor.evidence import parse_evidence

    seeds = [s for s in _fixtures("access-log", "curl", "dig") if not s.startswith(b"\x1f\x8b")]
    folder = Path(tempfile.mkdtemp(prefix="cfdoctor-fuzz-gz-"))

    def call(data: bytes) -> object:
        path = folder / "input.gz"
        packed = gzip.compress(data, 1)
        if data[:1] == b"!":  # sometimes a damaged stream
            packed = packed[: len(packed) // 2]
        path.write_bytes(packed)
        return parse_evidence(path)

    return seeds, call


def target_knowledge() -> tuple[list[bytes], Callable[[bytes], object]]:
    """One mutated unit beside the toy vocabulary, loaded and validated in full."""
    import yaml

    from cfdoctor.engine.loader import load_knowledge
    from tests.toykb import toy_units

    units = toy_units()
    seeds = [yaml.safe_dump(d, allow_unicode=True).encode() for d in units.values()]
    bundled = ROOT / "cfdoctor" / "knowledge"
    seeds += [p.read_bytes() for p in sorted(bundled.glob("causes/50*/*.yaml"))[:20]]
    seeds += [p.read_bytes() for p in sorted(bundled.glob("checks/*.yaml"))[:20]]
    facts = yaml.safe_dump(units["facts/toy.yaml"], allow_unicode=True)
    root = Path(tempfile.mkdtemp(prefix="cfdoctor-fuzz-kb-"))
    kinds = ["checks", "rules", "symptoms", "causes/500"]

    def call(data: bytes) -> object:
        for kind in ("facts", "checks", "rules", "symptoms", "causes/500"):
            folder = root / kind
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.iterdir():
                old.unlink()
        (root / "facts" / "toy.yaml").write_text(facts, encoding="utf-8")
        kind = kinds[data[0] % len(kinds)] if data else "checks"
        (root / kind / "fuzzed.yaml").write_bytes(data)
        return load_knowledge([root], include_bundled=False)

    return seeds, call


def target_session() -> tuple[list[bytes], Callable[[bytes], object]]:
    """Mutated session files; most get a correct digest so the inputs reach the replay."""
    from cfdoctor.engine.loader import load_knowledge
    from cfdoctor.engine.reasoner import Reasoner
    from cfdoctor.engine.session import Session, _digest

    reasoner = Reasoner(load_knowledge())
    s = Session(reasoner)
    s.observe("viewer.status", 502, "api")
    s.observe("viewer.server", "CloudFront", "evidence:curl")
    s.observe("viewer.x_cache", "error-from-cloudfront", "answer:x")
    seeds = [s.to_json().encode(), Session(reasoner).to_json().encode()]

    def call(data: bytes) -> object:
        text = _text(data)
        if data[-1:] != b"!":  # re-sign: the digest detects damage, and fuzzing is damage
            try:
                body = json.loads(text)
                if isinstance(body, dict):
                    body.pop("digest", None)
                    body["digest"] = _digest(body)
                    text = json.dumps(body)
            except (ValueError, RecursionError, TypeError):
                pass
        return Session.from_json(reasoner, text).evaluation()

    return seeds, call


def target_knowledge_full() -> tuple[list[bytes], Callable[[bytes], object]]:
    """One unit of the whole toy knowledge base replaced by a mutated one: slower, but inputs
    that survive the schema reach validation, the engine-limit checks and the ruleset load."""
    import yaml

    from cfdoctor.engine.loader import load_knowledge
    from tests.toykb import toy_units, write_kb

    units = toy_units()
    names = sorted(units)
    seeds = [(f"{i:02d}".encode() + yaml.safe_dump(units[n], allow_unicode=True).encode())
             for i, n in enumerate(names)]  # fmt: skip
    root = write_kb(Path(tempfile.mkdtemp(prefix="cfdoctor-fuzz-kbfull-")), units)

    def call(data: bytes) -> object:
        unit = names[int(data[:2]) % len(names)] if data[:2].isdigit() else names[0]
        path = root / unit
        original = path.read_bytes()
        path.write_bytes(data[2:])
        try:
            return load_knowledge([root], include_bundled=False)
        finally:
            path.write_bytes(original)

    return seeds, call


def build(name: str) -> tuple[list[bytes], Callable[[bytes], object]]:
    if name == "knowledge":
        return target_knowledge()
    if name == "knowledge-full":
        return target_knowledge_full()
    if name == "session":
        return target_session()
    if name == "gzip":
        return target_gzip()
    return target_evidence(name)


TARGETS = [
    "knowledge", "session", "http", "openssl", "dig", "access-log", "har", "config", "entry",
    "gzip", "knowledge-full",
]  # fmt: skip
"""The slowest first, so parallel jobs finish together."""


# -- worker: run inputs start..count, report each on stdout -------------------------------------


class _Hang(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` in the code swallows it."""


def worker(name: str, seed: int, start: int, count: int, timeout: float, out: Path) -> None:
    from cfdoctor.engine.errors import CfdoctorError

    seeds, call = build(name)

    def alarm(signum: int, frame: Any) -> None:
        raise _Hang

    signal.signal(signal.SIGALRM, alarm)
    print("ready", flush=True)
    for i in range(start, count):
        rng = random.Random(f"{seed}:{name}:{i}")
        data = mutate(rng, seeds)
        (out / f"{name}.current").write_bytes(data)
        verdict = "ok"
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            call(data)
        except _Hang:
            verdict = "hang"
        except CfdoctorError as exc:
            verdict = "error" if exc.exit_code != 70 else "internal"
        except Exception as exc:
            verdict = "internal"
            (out / f"{name}.{i}.internal.txt").write_text(f"{type(exc).__name__}: {exc}"[:2000])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if verdict in ("hang", "internal"):
            (out / f"{name}.{i}.{verdict}.bin").write_bytes(data)
        print(i, verdict, flush=True)


# -- parent: supervise one worker per target ---------------------------------------------------


def supervise(name: str, args: argparse.Namespace) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    start, began = 0, time.monotonic()
    while start < args.count:
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", name, "--seed", str(args.seed),
             "--start", str(start), "--count", str(args.count), "--timeout", str(args.timeout),
             "--out", str(args.out)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        assert proc.stdout is not None
        last = start - 1
        ready = False
        for line in proc.stdout:
            if line.strip() == "ready":
                ready = True
                continue
            index, verdict = line.split()
            last = int(index)
            counts[verdict] += 1
        code = proc.wait()
        if not ready:
            raise SystemExit(f"{name}: the worker failed before its first input (exit {code})")
        if last + 1 >= args.count and code == 0:
            break
        crashed = last + 1
        counts["crash"] += 1
        current = args.out / f"{name}.current"
        if current.exists():
            current.rename(args.out / f"{name}.{crashed}.crash.bin")
        print(f"  {name}: worker died (exit {code}) on input {crashed}", file=sys.stderr)
        start = crashed + 1
    counts["inputs"] = sum(v for k, v in counts.items() if k != "crash") + counts["crash"]
    return {"target": name, "seconds": round(time.monotonic() - began, 1), **counts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help="default: all of " + ", ".join(TARGETS))
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "cfdoctor-fuzz")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--worker")
    parser.add_argument("--start", type=int, default=0)
    args = parser.parse_args()
    args.targets = args.targets or TARGETS
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    if args.worker:
        worker(args.worker, args.seed, args.start, args.count, args.timeout, args.out)
        return 0
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda t: supervise(t, args), args.targets))
    bad = 0
    print(f"{'target':<11} {'inputs':>8} {'ok':>8} {'error':>8} {'exit70':>7} {'hang':>5} "
          f"{'crash':>6} {'seconds':>8}")  # fmt: skip
    for r in results:
        bad += r.get("internal", 0) + r.get("hang", 0) + r.get("crash", 0)
        print(
            f"{r['target']:<11} {r['inputs']:>8} {r.get('ok', 0):>8} {r.get('error', 0):>8} "
            f"{r.get('internal', 0):>7} {r.get('hang', 0):>5} {r.get('crash', 0):>6} "
            f"{r['seconds']:>8}"
        )
    print(f"failing inputs, if any, are in {args.out}")
    with (args.out / "summary.json").open("w") as f:
        json.dump(results, f, indent=1)
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("CFDOCTOR_LANG", "en")
    sys.exit(main())
