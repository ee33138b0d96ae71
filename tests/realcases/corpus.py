"""The corpus of real cases: public reports, each replayed by a simulated user.

Each case (cases/<id>.yaml) records what its reporter could observe before knowing the cause:
facts volunteered up front, facts they could give if asked, the confirmed cause and the dead
ends they tried. The split into a dev half (for tuning) and a test half (for reporting) is a
hash of the case id: random, fixed, and stable as the corpus grows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from cfdoctor.engine.model import Value

CASES_DIR = Path(__file__).parent / "cases"
Half = Literal["dev", "test"]


@dataclass(frozen=True)
class RealCase:
    id: str
    url: str
    lang: str
    cause: str
    volunteered: Mapping[str, Value]
    known: Mapping[str, Value]
    dead_ends: tuple[str, ...]
    new_cause: bool
    """The confirmed cause was not in the knowledge base when the case was written."""

    @property
    def facts(self) -> dict[str, Value]:
        return {**self.known, **self.volunteered}

    @property
    def half(self) -> Half:
        digest = hashlib.sha256(f"cfdoctor-realcases:{self.id}".encode()).digest()
        return "dev" if digest[0] % 2 == 0 else "test"


def _case(path: Path) -> RealCase:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return RealCase(
        id=data["id"],
        url=data["url"],
        lang=data["lang"],
        cause=data["cause"],
        volunteered=dict(data.get("volunteered") or {}),
        known=dict(data.get("known") or {}),
        dead_ends=tuple(data.get("dead_ends") or ()),
        new_cause="new_cause" in data,
    )


def load_cases(directory: Path = CASES_DIR) -> list[RealCase]:
    return [_case(p) for p in sorted(directory.glob("*.yaml"))]
