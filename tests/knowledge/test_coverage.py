"""Every cause of the research catalog is in the knowledge base, or COVERAGE.md says why not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cfdoctor.engine.layout import bundled_root
from cfdoctor.engine.loader import load_knowledge

CATALOG = Path(__file__).resolve().parents[3] / "shared" / "research" / "cloudfront-causes.md"


def _catalog_ids() -> list[str]:
    text = CATALOG.read_text(encoding="utf-8")
    body = text[text.index("## 1. HTTP 400") : text.index("## 14.")]
    return re.findall(r"^#{3,4} ([a-z0-9-]+) \[", body, re.M)


@pytest.mark.skipif(not CATALOG.is_file(), reason="the research catalog sits beside the repository")
def test_every_catalogued_cause_is_covered_or_explained() -> None:
    kb = load_knowledge()
    coverage = (bundled_root() / "COVERAGE.md").read_text(encoding="utf-8")
    explained = set(re.findall(r"^\| ([a-z0-9-]+) \|", coverage, re.M))
    ids = _catalog_ids()
    assert len(ids) >= 82
    missing = [i for i in ids if i not in kb.causes and i not in explained]
    assert not missing, missing
    for i in explained:  # the table names causes that exist
        row = next(line for line in coverage.splitlines() if line.startswith(f"| {i} |"))
        for cause in re.findall(r"`([a-z0-9-]+)`", row.split("|")[2]):
            assert cause in kb.causes, (i, cause)


def test_every_cause_has_two_positive_and_two_negative_cases() -> None:
    kb = load_knowledge()
    few = {c.id: (len(c.positive), len(c.negative)) for c in kb.causes.values()}
    assert not {c: n for c, n in few.items() if min(n) < 2}
