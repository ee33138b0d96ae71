"""Where conversations live between requests: a handle in, the state out.

- `SignedStore`: nowhere; the state is the handle, a signed token (stateless, any worker).
- `MemoryStore`: this process, with a TTL and a bound on live sessions (oldest evicted).
- `RedisStore`: a Redis server shared by every worker and host; a restart loses nothing.

Handles of server-held sessions are 192-bit random ids: the id is the capability, so one
client never reaches another's session without being given its id.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol

from cfdoctor.engine.errors import CfdoctorError
from cfdoctor.server.tokens import TokenSigner

Json = dict[str, Any]
MAX_STATE_CHARS = 512 * 1024


class SessionNotFoundError(CfdoctorError):
    """No live session has this id (never created, expired or evicted)."""

    exit_code = 4


class StoreUnavailableError(CfdoctorError):
    """The session store cannot be reached (Redis down or refusing)."""

    exit_code = 1


class SessionStore(Protocol):
    kind: str

    async def get(self, handle: str) -> Json:
        """The state behind `handle`; SessionNotFoundError or TokenError if there is none."""
        ...

    async def put(self, handle: str | None, state: Json) -> str:
        """Store `state` (a new session when `handle` is None); the handle to use next."""
        ...

    async def count(self) -> int | None:
        """Live sessions, where the store knows."""
        ...

    async def close(self) -> None: ...


def new_id() -> str:
    return secrets.token_urlsafe(24)


def _encode(state: Json) -> str:
    text = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    if len(text) > MAX_STATE_CHARS:
        raise SessionNotFoundError("the session grew past its size limit; start a new one")
    return text


def _valid_id(handle: str) -> bool:
    return 16 <= len(handle) <= 64 and all(c.isalnum() or c in "-_" for c in handle)


class SignedStore:
    kind = "stateless"

    def __init__(self, signer: TokenSigner) -> None:
        self.signer = signer

    async def get(self, handle: str) -> Json:
        return self.signer.verify(handle)

    async def put(self, handle: str | None, state: Json) -> str:
        _encode(state)
        return self.signer.sign(state)

    async def count(self) -> int | None:
        return None

    async def close(self) -> None:
        return None


class MemoryStore:
    kind = "memory"

    def __init__(
        self, ttl: float, max_sessions: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_sessions = max_sessions
        self.clock = clock
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def _expire(self) -> None:
        now = self.clock()
        while self._items:
            sid, (expires, _) = next(iter(self._items.items()))
            if expires > now and len(self._items) <= self.max_sessions:
                break
            del self._items[sid]

    async def get(self, handle: str) -> Json:
        item = self._items.get(handle)
        if item is None or item[0] <= self.clock():
            self._items.pop(handle, None)
            raise SessionNotFoundError("no such session (unknown, expired or evicted)")
        loaded: Json = json.loads(item[1])
        return loaded

    async def put(self, handle: str | None, state: Json) -> str:
        text = _encode(state)
        if handle is None:
            handle = new_id()
        elif handle not in self._items:
            raise SessionNotFoundError("no such session (unknown, expired or evicted)")
        self._items[handle] = (self.clock() + self.ttl, text)
        self._items.move_to_end(handle)  # least recently used first: expiry order and eviction
        self._expire()
        return handle

    async def count(self) -> int | None:
        self._expire()
        return len(self._items)

    async def close(self) -> None:
        self._items.clear()


class RedisStore:
    kind = "redis"
    PREFIX = "cfdoctor:session:"

    def __init__(self, url: str, ttl: float) -> None:
        import redis.asyncio as redis

        self.client = redis.Redis.from_url(url, decode_responses=True)
        self.ttl = max(1, int(ttl))

    async def get(self, handle: str) -> Json:
        from redis.exceptions import RedisError

        try:
            text = await self.client.get(self.PREFIX + handle) if _valid_id(handle) else None
        except RedisError as exc:
            raise StoreUnavailableError(f"the session store is unavailable: {exc}") from None
        if text is None:
            raise SessionNotFoundError("no such session (unknown or expired)")
        loaded: Json = json.loads(text)
        return loaded

    async def put(self, handle: str | None, state: Json) -> str:
        from redis.exceptions import RedisError

        text = _encode(state)
        try:
            if handle is None:
                handle = new_id()
                await self.client.set(self.PREFIX + handle, text, ex=self.ttl, nx=True)
                return handle
            done = await self.client.set(self.PREFIX + handle, text, ex=self.ttl, xx=True)
        except RedisError as exc:
            raise StoreUnavailableError(f"the session store is unavailable: {exc}") from None
        if not done:
            raise SessionNotFoundError("no such session (unknown or expired)")
        return handle

    async def count(self) -> int | None:
        return None

    async def close(self) -> None:
        await self.client.aclose()
