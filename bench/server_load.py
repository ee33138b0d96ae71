"""Load on `cfdoctor serve` over loopback: whole conversations, then memory with many sessions.

    .venv/bin/python bench/server_load.py [--store memory|redis] [--clients 16] [--seconds 30]
        [--sessions 10000] [--steps 6]

Each virtual client runs whole conversations: POST /v1/sessions with a status, then answers
next_question (its first answer, else "unknown") until there is none or --steps is reached.
Every request is a step. It reports steps/s, p50/p99 latency, then creates --sessions live
sessions and reports the server's resident memory (and Redis's, with --store redis).

The driver is this script (httpx on asyncio) rather than wrk or locust: a conversation needs
each answer's session id and next question, which wrk only does in Lua and locust would add a
gevent stack to the project. It shares the 2 cores with the server, so the figures are a
floor of what the server does alone.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

STATUSES = (502, 503, 504, 403, 400, 500)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (uvicorn workers), in KiB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def start_redis(tmp: str) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", tmp],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def start_server(store: str, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "cfdoctor", "serve", "--port", str(port), "--store", store,
         "--workers", str(workers)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    sys.exit(f"the server did not start; see {log}")


async def conversation(
    client: httpx.AsyncClient, steps: int, latencies: list[float], rng: random.Random
) -> None:
    started = time.perf_counter()
    r = await client.post("/v1/sessions", json={"facts": {"viewer.status": rng.choice(STATUSES)}})
    latencies.append(time.perf_counter() - started)
    r.raise_for_status()
    body = r.json()
    sid, question = body["session"], body["diagnosis"]["next_question"]
    for _ in range(steps - 1):
        if question is None:
            return
        answers = question.get("answers") or []
        value: Any = answers[0]["value"] if answers and rng.random() < 0.7 else "unknown"
        started = time.perf_counter()
        r = await client.post(
            f"/v1/sessions/{sid}/answers", json={"check": question["check"], "value": value}
        )
        latencies.append(time.perf_counter() - started)
        r.raise_for_status()
        body = r.json()
        sid, question = body["session"], body["diagnosis"]["next_question"]


async def load(url: str, clients: int, seconds: float, steps: int) -> list[float]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def user(n: int) -> None:
        rng = random.Random(n)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            while time.monotonic() < deadline:
                await conversation(client, steps, latencies, rng)

    await asyncio.gather(*(user(n) for n in range(clients)))
    return latencies


async def fill(url: str, sessions: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        sem = asyncio.Semaphore(16)

        async def one(n: int) -> None:
            body = {"facts": {"viewer.status": STATUSES[n % len(STATUSES)]}}
            async with sem:
                for attempt in range(3):  # a keep-alive connection the server just closed
                    try:
                        r = await client.post("/v1/sessions", json=body)
                        break
                    except httpx.TransportError:
                        if attempt == 2:
                            raise
                r.raise_for_status()

        await asyncio.gather(*(one(n) for n in range(sessions)))


def redis_used_memory(url: str) -> int:
    import redis

    info: dict[str, Any] = redis.Redis.from_url(url).info("memory")
    return int(info["used_memory"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("memory", "redis"), default="memory")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--sessions", type=int, default=10_000)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="cfdoctor-bench-")
    redis_process = None
    store = "memory"
    if args.store == "redis":
        redis_process, store = start_redis(tmp)
    server, url = start_server(store, args.workers, Path(tmp) / "server.log")
    try:
        baseline = rss_kib(server.pid)
        asyncio.run(load(url, 2, 3, args.steps))  # warm-up: caches, first compilations
        latencies = asyncio.run(load(url, args.clients, args.seconds, args.steps))
        latencies.sort()
        quantiles = statistics.quantiles(latencies, n=100)
        print(f"store={args.store} workers={args.workers} clients={args.clients}")
        print(
            f"steps: {len(latencies)} in {args.seconds:g} s = {len(latencies) / args.seconds:.1f}/s"
        )
        print(f"latency: p50 {quantiles[49] * 1000:.1f} ms, p99 {quantiles[98] * 1000:.1f} ms")
        before = rss_kib(server.pid)
        started = time.monotonic()
        asyncio.run(fill(url, args.sessions))
        after = rss_kib(server.pid)
        print(
            f"{args.sessions} more sessions created in {time.monotonic() - started:.1f} s; "
            f"server RSS: {baseline / 1024:.0f} MiB at start, {before / 1024:.0f} MiB after "
            f"the load, {after / 1024:.0f} MiB with them live"
        )
        if redis_process is not None:
            print(f"redis used_memory: {redis_used_memory(store) / 2**20:.1f} MiB")
    except BaseException:
        print(Path(tmp, "server.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
