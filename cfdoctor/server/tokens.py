"""Stateless sessions: the conversation state travels to the client as a signed token.

A token is `v1.<kid>.<payload>.<mac>`: the payload is the zlib-compressed JSON of the state and
its expiry, base64url; the MAC is HMAC-SHA256 over everything before it, with the key `kid`.
Keys rotate: the first key signs, every listed key verifies, so a key can be retired after the
longest expiry has passed. Any worker that holds the keys continues any conversation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cfdoctor.engine.errors import CfdoctorError

VERSION = "v1"
MIN_KEY_BYTES = 32
MAX_TOKEN_CHARS = 16 * 1024
"""It travels in a URL path: past this the session must be held by the server."""
MAX_STATE_BYTES = 1 << 20


class TokenError(CfdoctorError):
    """A session token that is forged, expired, signed by a key this server does not hold,
    or not a token at all."""

    exit_code = 4


@dataclass(frozen=True)
class SigningKey:
    kid: str
    secret: bytes

    def __post_init__(self) -> None:
        if not self.kid.isalnum() or len(self.kid) > 32:
            raise ValueError(f"key id '{self.kid}' must be 1-32 letters or digits")
        if len(self.secret) < MIN_KEY_BYTES:
            raise ValueError(f"key '{self.kid}' is shorter than {MIN_KEY_BYTES} bytes")


def parse_keys(text: str) -> tuple[SigningKey, ...]:
    """Keys as `kid:secret,kid:secret` (the first signs); the secret is hex or text."""
    keys: list[SigningKey] = []
    for item in text.replace("\n", ",").split(","):
        if not item.strip():
            continue
        kid, sep, secret = item.strip().partition(":")
        if not sep:
            raise ValueError("each key must be written kid:secret")
        try:
            raw = bytes.fromhex(secret)
        except ValueError:
            raw = secret.encode()
        keys.append(SigningKey(kid, raw))
    if not keys:
        raise ValueError("no signing key given")
    return tuple(keys)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    def __init__(
        self,
        keys: Sequence[SigningKey],
        ttl: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not keys:
            raise ValueError("a signer needs at least one key")
        self.keys = {k.kid: k for k in keys}
        self.signing = keys[0]
        self.ttl = ttl
        self.clock = clock

    def _mac(self, key: SigningKey, signed: str) -> str:
        return _b64(hmac.new(key.secret, signed.encode("ascii"), hashlib.sha256).digest())

    def sign(self, state: dict[str, Any]) -> str:
        body = {"exp": int(self.clock() + self.ttl), "state": state}
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
        signed = f"{VERSION}.{self.signing.kid}.{_b64(zlib.compress(raw, 6))}"
        token = f"{signed}.{self._mac(self.signing, signed)}"
        if len(token) > MAX_TOKEN_CHARS:
            from cfdoctor.service import LimitError

            raise LimitError(
                "the session is larger than a token may carry; use a server-held store"
            )
        return token

    def verify(self, token: str) -> dict[str, Any]:
        """The state in `token`; TokenError if it is forged, foreign, expired or malformed."""
        if len(token) > MAX_TOKEN_CHARS:
            raise TokenError("the session token is too long")
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != VERSION:
            raise TokenError("not a cfdoctor session token")
        version, kid, payload, mac = parts
        key = self.keys.get(kid)
        if key is None:
            raise TokenError("the session token was signed by a key this server does not hold")
        if not hmac.compare_digest(self._mac(key, f"{version}.{kid}.{payload}"), mac):
            raise TokenError("the session token's signature does not match: it was altered")
        try:
            raw = zlib.decompressobj().decompress(_unb64(payload), MAX_STATE_BYTES)
            body = json.loads(raw)
        except (ValueError, zlib.error, binascii.Error) as exc:
            raise TokenError(f"the session token cannot be read: {exc}") from None
        if not isinstance(body, dict) or not isinstance(body.get("exp"), int):
            raise TokenError("not a cfdoctor session token")
        if body["exp"] < self.clock():
            raise TokenError("the session token has expired; start a new session")
        state = body.get("state")
        if not isinstance(state, dict):
            raise TokenError("not a cfdoctor session token")
        return state
