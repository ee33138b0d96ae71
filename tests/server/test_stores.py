"""Session stores and signed tokens in-process, with a clock the test moves."""

from __future__ import annotations

import anyio
import pytest

from cfdoctor.server.app import accept_language
from cfdoctor.server.stores import MemoryStore, SessionNotFoundError
from cfdoctor.server.tokens import SigningKey, TokenError, TokenSigner, parse_keys
from cfdoctor.service import LimitError


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


OLD = SigningKey("old", b"o" * 32)
NEW = SigningKey("new", b"n" * 32)


def test_tokens_rotate_expire_and_refuse_what_they_did_not_sign() -> None:
    clock = Clock()
    old_signer = TokenSigner([OLD], ttl=60, clock=clock)
    rotated = TokenSigner([NEW, OLD], ttl=60, clock=clock)
    token = old_signer.sign({"lang": "ja", "n": 1})
    assert rotated.verify(token) == {"lang": "ja", "n": 1}
    fresh = rotated.sign({"lang": "ja", "n": 2})
    assert fresh.split(".")[1] == "new"
    with pytest.raises(TokenError, match="does not hold"):
        TokenSigner([OLD], ttl=60, clock=clock).verify(fresh)
    impostor = TokenSigner([SigningKey("new", b"x" * 32)], ttl=60, clock=clock)
    with pytest.raises(TokenError, match="altered"):
        rotated.verify(impostor.sign({"lang": "en"}))
    clock.now += 61
    with pytest.raises(TokenError, match="expired"):
        rotated.verify(fresh)
    for junk in ("", "v1.new", "v2.new.a.b", "v1.new.%%%.b", "x" * 20000):
        with pytest.raises(TokenError):
            rotated.verify(junk)


def test_a_token_never_grows_past_its_limit() -> None:
    signer = TokenSigner([NEW], ttl=60)
    incompressible = {"blob": [str(i * 7919 % 100003) for i in range(20000)]}
    with pytest.raises(LimitError, match="server-held"):
        signer.sign(incompressible)


def test_keys_are_parsed_strictly() -> None:
    keys = parse_keys("a:" + "ab" * 32 + ", b:" + "z" * 40)
    assert [k.kid for k in keys] == ["a", "b"] and keys[0].secret == bytes.fromhex("ab" * 32)
    for bad in ("", "nocolon", "a:short", "a-b:" + "z" * 40, "a:" + "cc" * 20):
        with pytest.raises(ValueError):
            parse_keys(bad)


def test_memory_store_expires_and_evicts_the_least_recently_used() -> None:
    clock = Clock()
    store = MemoryStore(ttl=10, max_sessions=2, clock=clock)

    async def run() -> None:
        a = await store.put(None, {"n": "a"})
        b = await store.put(None, {"n": "b"})
        clock.now += 5
        await store.put(a, {"n": "a2"})  # a is now the most recently used
        c = await store.put(None, {"n": "c"})
        assert await store.get(a) == {"n": "a2"} and await store.get(c) == {"n": "c"}
        with pytest.raises(SessionNotFoundError):
            await store.get(b)  # evicted: the bound is 2
        clock.now += 11
        with pytest.raises(SessionNotFoundError):
            await store.get(c)
        with pytest.raises(SessionNotFoundError):
            await store.put("never-created-id-0000", {"n": "x"})
        assert await store.count() == 0

    anyio.run(run)


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR, zh-CN;q=0.5, ja;q=0.4", "zh"),
        ("zh-TW", None),  # Traditional Chinese is not the Simplified cfdoctor speaks
        ("ja;q=0, en;q=0.1", "en"),
        ("*", None),
        ("", None),
        (None, None),
        ("ja;q=abc", None),
    ],
)
def test_accept_language(header: str | None, lang: str | None) -> None:
    assert accept_language(header) == lang
