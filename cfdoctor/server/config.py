"""What `cfdoctor serve` was told, in a form every uvicorn worker process can rebuild."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

ENV = "CFDOCTOR_SERVER_CONFIG"
"""The workers' copy of the configuration (JSON); secrets stay in their own variables."""
KEYS_ENV = "CFDOCTOR_SERVER_KEYS"
"""Signing keys of stateless sessions: `kid:secret,kid:secret`, the first one signs."""
TOKEN_ENV = "CFDOCTOR_SERVER_TOKEN"
"""The bearer token clients must send, if any."""


@dataclass(frozen=True)
class ServerConfig:
    store: str = "memory"
    """memory, stateless (signed tokens) or a redis:// URL."""
    session_ttl: float = 3600.0
    max_sessions: int = 100_000
    max_body_bytes: int = 2 * 1024 * 1024
    request_timeout: float = 30.0
    cors_origins: tuple[str, ...] = ()
    kb_dirs: tuple[str, ...] = ()
    keys: str | None = field(default=None, repr=False)
    bearer_token: str | None = field(default=None, repr=False)

    def to_env(self) -> dict[str, str]:
        """Environment variables that carry this configuration to worker processes."""
        public = {k: v for k, v in asdict(self).items() if k not in ("keys", "bearer_token")}
        env = {ENV: json.dumps(public)}
        if self.keys:
            env[KEYS_ENV] = self.keys
        if self.bearer_token:
            env[TOKEN_ENV] = self.bearer_token
        return env

    @classmethod
    def from_env(cls) -> ServerConfig:
        data = json.loads(os.environ.get(ENV, "{}"))
        for name in ("cors_origins", "kb_dirs"):
            data[name] = tuple(data.get(name, ()))
        return cls(
            **data,
            keys=os.environ.get(KEYS_ENV) or None,
            bearer_token=os.environ.get(TOKEN_ENV) or None,
        )
