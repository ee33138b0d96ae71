"""third_party/durable-rules is durable-rules 2.0.28 from PyPI with one substitution, and the
durable-rules this interpreter runs is a working one (on 3.13: built from that tree)."""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TREE = ROOT / "third_party" / "durable-rules"
MANIFEST = ROOT / "third_party" / "durable-rules-2.0.28.sha256"
PATCHED = "src/rulespy/rules.c"
FIXED, REMOVED = b"PyObject_CallObject(", b"PyEval_CallObject("


def released() -> dict[str, str]:
    """sha256 of every file of the PyPI release, by path inside the tree."""
    rows = (line.split(maxsplit=1) for line in MANIFEST.read_text().splitlines() if line)
    return {path: digest for digest, path in rows}


def test_the_tree_is_the_release_with_the_one_substitution() -> None:
    expected = released()
    present = {
        rel
        for rel in (p.relative_to(TREE).as_posix() for p in TREE.rglob("*") if p.is_file())
        if not rel.startswith("build/") and ".egg-info/" not in rel  # what pip's build leaves
    }
    assert present == set(expected), "files added or missing against the release"
    for rel, digest in expected.items():
        data = (TREE / rel).read_bytes()
        if rel == PATCHED:
            assert REMOVED not in data, "a call site was left unchanged"
            assert data.count(FIXED) == 5, "the five call sites of the release, no more"
            data = data.replace(FIXED, REMOVED)  # undone, the file must be the release's
        assert hashlib.sha256(data).hexdigest() == digest, rel


def test_pyproject_builds_the_tree_on_313_only() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert "\"durable-rules==2.0.28; python_version < '3.13'\"" in text
    assert (
        "\"durable-rules @ {root:uri}/third_party/durable-rules ; python_version >= '3.13'\""
        in text
    )


def test_the_installed_engine_runs_rules() -> None:
    """The C module imports (3.13 without the fix: undefined symbol) and a rule fires."""
    import durable.engine as durable_engine

    fired: list[object] = []

    class Host(durable_engine.Host):  # type: ignore[misc]
        def get_action(self, name: str) -> object:
            return lambda c: fired.append(c.m["v"])

    host = Host()
    host.set_rulesets({"t": {"r": {"all": [{"m": {"v": 502}}], "run": "a"}}})
    host.assert_fact("t", {"sid": "1", "v": 502})
    assert fired == [502]


@pytest.mark.skipif(sys.version_info < (3, 13), reason="3.11 and 3.12 use the PyPI release")
def test_on_313_the_engine_comes_from_the_tree() -> None:
    raw = metadata.distribution("durable-rules").read_text("direct_url.json")
    assert raw is not None, "durable-rules was not installed from third_party/"
    assert json.loads(raw)["url"].endswith("/third_party/durable-rules")
