"""The knowledge cache: reused when unchanged, rebuilt on any edit, never trusted if damaged."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from cfdoctor.engine import kbcache
from cfdoctor.engine.errors import KnowledgeError
from tests.toykb import toy_units, write_kb


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CFDOCTOR_CACHE_DIR", str(folder))
    monkeypatch.delenv("CFDOCTOR_NO_CACHE", raising=False)
    return folder / "cfdoctor"


def test_second_load_comes_from_the_cache(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = write_kb(tmp_path / "kb", toy_units())
    first = kbcache.load_cached([extra], include_bundled=False)
    (pickled,) = cache.glob("kb-*.pickle")

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("YAML parsed although the cache is valid")

    monkeypatch.setattr("cfdoctor.engine.loader.load_knowledge", no_yaml)
    second = kbcache.load_cached([extra], include_bundled=False)
    assert second.version == first.version and set(second.causes) == set(first.causes)
    assert pickled.exists()


def test_an_edit_invalidates_the_cache(cache: Path, tmp_path: Path) -> None:
    extra = write_kb(tmp_path / "kb", toy_units())
    before = kbcache.load_cached([extra], include_bundled=False)
    check = extra / "checks" / "t-port.yaml"
    check.write_text(
        check.read_text(encoding="utf-8").replace("cost: 2", "cost: 3"), encoding="utf-8"
    )
    os.utime(check, ns=(1, 1))  # even an edit that keeps the size and sets an old mtime
    after = kbcache.load_cached([extra], include_bundled=False)
    assert after.checks["t-port"].cost == 3 and after.version != before.version


def test_a_damaged_cache_is_rebuilt(cache: Path, tmp_path: Path) -> None:
    extra = write_kb(tmp_path / "kb", toy_units())
    kbcache.load_cached([extra], include_bundled=False)
    (pickled,) = cache.glob("kb-*.pickle")
    pickled.write_bytes(b"not a pickle")
    assert "c-port" in kbcache.load_cached([extra], include_bundled=False).causes
    pickled.write_bytes(pickle.dumps({"a": "foreign object"}))
    assert "c-port" in kbcache.load_cached([extra], include_bundled=False).causes


def test_invalid_knowledge_is_never_cached(cache: Path, tmp_path: Path) -> None:
    units = toy_units()
    del units["causes/500/c-port.yaml"]["prior"]
    extra = write_kb(tmp_path / "kb", units)
    for _ in range(2):
        with pytest.raises(KnowledgeError):
            kbcache.load_cached([extra], include_bundled=False)
    assert not list(cache.glob("kb-*.pickle"))


class _Planted:
    """What an attacker writes into a shared cache directory: a pickle that runs a command."""

    def __init__(self, call: object, *args: object) -> None:
        self.call, self.args = call, args

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return self.call, self.args


@pytest.mark.parametrize("payload", ["os.system", "cfdoctor function"])
def test_a_planted_cache_file_runs_nothing(cache: Path, tmp_path: Path, payload: str) -> None:
    extra = write_kb(tmp_path / "kb", toy_units())
    kbcache.load_cached([extra], include_bundled=False)
    (cached,) = cache.glob("kb-*.pickle")
    marker = tmp_path / "owned"
    if payload == "os.system":
        planted = _Planted(os.system, f"touch {marker}")
    else:  # a function of cfdoctor itself, writing where it is told
        planted = _Planted(kbcache.write_cached, marker, "owned")
    cached.write_bytes(pickle.dumps(planted))
    kb = kbcache.load_cached([extra], include_bundled=False)
    assert not marker.exists(), "the planted pickle ran"
    assert "c-port" in kb.causes
    assert kbcache.read_cached(cached, type(kb)) is not None, "the cache was rebuilt"


def test_an_unwritable_cache_directory_costs_only_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root, permissions do not stop writes; a file where the directory should be does.
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    monkeypatch.setenv("CFDOCTOR_CACHE_DIR", str(blocked))
    monkeypatch.delenv("CFDOCTOR_NO_CACHE", raising=False)
    extra = write_kb(tmp_path / "kb", toy_units())
    for _ in range(2):
        assert "c-port" in kbcache.load_cached([extra], include_bundled=False).causes


def test_the_cache_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CFDOCTOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert kbcache.cache_dir() == tmp_path / "xdg" / "cfdoctor"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # not absolute: ignored (XDG spec)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert kbcache.cache_dir() == tmp_path / "home" / ".cache" / "cfdoctor"


def test_a_symlink_loop_in_a_knowledge_directory_is_walked_once(
    cache: Path, tmp_path: Path
) -> None:
    """The cache key walks the directories the loader reads; a link back up must not make it
    walk until the path is too long for the OS (issue 13, item 16)."""
    extra = write_kb(tmp_path / "kb", toy_units())
    (extra / "causes" / "loop").symlink_to("..")
    kb = kbcache.load_cached([extra], include_bundled=False)
    assert kb.causes and kbcache.load_cached([extra], include_bundled=False).version == kb.version
