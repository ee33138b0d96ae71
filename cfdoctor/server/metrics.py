"""Prometheus text exposition of this process's requests, kept by hand (no client library):
request counts by route and status, a latency histogram by route, and live sessions."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict

BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, int]] = Counter()
        self.buckets: defaultdict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
        self.sums: Counter[str] = Counter()
        self.counts: Counter[str] = Counter()

    def observe(self, route: str, status: int, seconds: float) -> None:
        self.requests[(route, status)] += 1
        self.sums[route] += seconds  # type: ignore[assignment]
        self.counts[route] += 1
        first = bisect.bisect_left(BUCKETS, seconds)
        counts = self.buckets[route]
        for i in range(first, len(BUCKETS)):
            counts[i] += 1

    def render(self, live_sessions: int | None) -> str:
        lines = [
            "# HELP cfdoctor_http_requests_total HTTP requests by route and status.",
            "# TYPE cfdoctor_http_requests_total counter",
        ]
        for (route, status), n in sorted(self.requests.items()):
            lines.append(f'cfdoctor_http_requests_total{{route="{route}",status="{status}"}} {n}')
        lines += [
            "# HELP cfdoctor_http_request_seconds Time to answer, by route.",
            "# TYPE cfdoctor_http_request_seconds histogram",
        ]
        for route in sorted(self.counts):
            for bound, n in zip(BUCKETS, self.buckets[route], strict=True):
                lines.append(
                    f'cfdoctor_http_request_seconds_bucket{{route="{route}",le="{bound}"}} {n}'
                )
            total = self.counts[route]
            inf = f'cfdoctor_http_request_seconds_bucket{{route="{route}",le="+Inf"}}'
            lines.append(f"{inf} {total}")
            lines.append(f'cfdoctor_http_request_seconds_sum{{route="{route}"}} {self.sums[route]}')
            lines.append(f'cfdoctor_http_request_seconds_count{{route="{route}"}} {total}')
        if live_sessions is not None:
            lines += [
                "# HELP cfdoctor_sessions_live Server-held sessions alive in this process.",
                "# TYPE cfdoctor_sessions_live gauge",
                f"cfdoctor_sessions_live {live_sessions}",
            ]
        return "\n".join(lines) + "\n"
