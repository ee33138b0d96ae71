"""`diagnose URL` and `diagnose --distribution-id`: collect the evidence yourself.

The viewer request (cfdoctor.evidence.fetch) and the config with its policies
(cfdoctor.evidence.aws) become evidence like pasted files; with a config, the origin that
serves the path is probed as CloudFront would, so the common faults take one command and no
question. Only orchestration lives here; the fetching is in cfdoctor/evidence, the printing in
the front-ends.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from cfdoctor.engine.session import Session
    from cfdoctor.evidence import Evidence
    from cfdoctor.probes import ProbeTarget
    from cfdoctor.service.probing import ProbeOptions


@dataclass
class Collected:
    """What was collected: the viewer's answer, and the config and policies as JSON texts."""

    viewer: Evidence | None = None
    documents: list[str] = field(default_factory=list)
    config: dict[str, Any] | None = None


def collect(
    url: str | None,
    method: str,
    headers: Sequence[str],
    data: str | None,
    distribution_id: str | None,
    profile: str | None,
    timeout: float | None,
) -> Collected:
    out = Collected()
    if url is None and distribution_id is None:
        return out  # nothing to collect: a one-shot diagnosis pays for no evidence import
    from cfdoctor.evidence.aws import read_distribution
    from cfdoctor.evidence.fetch import DEFAULT_TIMEOUT, ViewerRequest, fetch, parse_headers

    if url is not None:
        request = ViewerRequest(
            url,
            method=method,
            headers=parse_headers(headers),
            body=None if data is None else data.encode(),
            timeout=timeout or DEFAULT_TIMEOUT,
        )
        out.viewer = fetch(request)
    if distribution_id is not None:
        config, policies = read_distribution(distribution_id, profile=profile)
        out.config = config
        out.documents = [json.dumps(d) for d in (*policies, config)]
    return out


def path_of(url: str | None, path: str | None) -> str | None:
    """--path, else the URL's path (which cache behavior serves the request)."""
    if path is not None or url is None:
        return path
    return urlsplit(url).path or "/"


def observe(state: Session, collected: Collected, path: str | None) -> list[Evidence]:
    """Into the session, all or nothing: the viewer's answer, then the config and policies."""
    from cfdoctor.service.documents import ingest_sources

    read: list[Evidence] = []
    if collected.documents:
        read.extend(ingest_sources(state, list(collected.documents), path))
    if collected.viewer is not None:
        state.observe_many(collected.viewer.facts.items(), source=collected.viewer.source)
        read.insert(0, collected.viewer)
    return read


def probe_target(collected: Collected, options: ProbeOptions, label: str) -> ProbeTarget | None:
    """The origin serving the path, as CloudFront would contact it; None without a config."""
    from cfdoctor.service.probing import target_from_config_data

    if collected.config is None:
        return None
    return target_from_config_data(collected.config, label, None, options)
