"""Placeholder values a session already knows, so commands come filled in rather than with holes.

The failing URL gives the distribution's domain, the host and the path; the origin domain gives
the name to connect to and to send in SNI, and the bucket or API ID when the name carries one.
Values are only ever inserted through `render_command`, which quotes them for their context.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from cfdoctor.engine.model import Value

_BUCKET = re.compile(r"^(?P<bucket>[a-z0-9][a-z0-9.-]*?)\.s3(?:[.-]website)?[.-]")
_API = re.compile(r"^(?P<api>[a-z0-9]{10})\.execute-api\.(?P<region>[a-z0-9-]+)\.amazonaws\.com$")


def command_values(facts: Mapping[str, Value]) -> dict[str, str]:
    """Placeholder name -> value, from the session's facts (nothing for what is not known)."""
    values: dict[str, str] = {}
    url = facts.get("request.url")
    if isinstance(url, str) and url.strip():
        parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
        if parts.hostname:
            for name in ("DISTRIBUTION_DOMAIN", "HOST", "HOST_HEADER", "VIEWER_HOST"):
                values[name] = parts.hostname
        values["PATH"] = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    origin = facts.get("origin.domain")
    if isinstance(origin, str) and origin.strip():
        domain = origin.strip().lower().rstrip(".")
        values["ORIGIN_DOMAIN"] = values["SERVER_NAME"] = domain
        if bucket := _BUCKET.match(domain):
            values["BUCKET"] = bucket["bucket"]
        if api := _API.match(domain):
            values["API_ID"], values["REGION"] = api["api"], api["region"]
    distribution = facts.get("distribution.id")
    if isinstance(distribution, str) and distribution.strip():
        values["DISTRIBUTION_ID"] = distribution.strip()
    return values
