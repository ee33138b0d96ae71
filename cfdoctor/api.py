"""The Python API: load knowledge, open sessions, read diagnoses.

>>> from cfdoctor.api import open_reasoner, new_session
>>> session = new_session(open_reasoner())
>>> session.observe("viewer.status", 502)
>>> ingest(session, "curl-v.txt")      # evidence files or pasted text, all or nothing
>>> session.next_question()          # Question | None
>>> session.diagnosis().to_dict("ja")  # JSON-ready
>>> text = session.to_json()           # restore with Session.from_json(reasoner, text)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cfdoctor.engine.diagnosis import Diagnosis
from cfdoctor.engine.errors import CfdoctorError, FactError, KnowledgeError
from cfdoctor.engine.questions import Question
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session

if TYPE_CHECKING:
    from cfdoctor.evidence import Evidence

__all__ = [
    "CfdoctorError",
    "Diagnosis",
    "FactError",
    "KnowledgeError",
    "Question",
    "Reasoner",
    "Session",
    "ingest",
    "new_session",
    "open_reasoner",
]


@lru_cache(maxsize=8)
def _reasoner(dirs: tuple[str, ...], include_bundled: bool) -> Reasoner:
    from cfdoctor.engine.kbcache import load_cached

    return Reasoner(load_cached([Path(d) for d in dirs], include_bundled=include_bundled))


def open_reasoner(
    extra_dirs: Sequence[str | Path] = (), *, include_bundled: bool = True
) -> Reasoner:
    """The bundled knowledge (unless excluded) plus `extra_dirs`, compiled once per process."""
    return _reasoner(tuple(str(Path(d).resolve()) for d in extra_dirs), include_bundled)


def new_session(reasoner: Reasoner | None = None) -> Session:
    return Session(reasoner or open_reasoner())


def ingest(session: Session, *sources: str | Path, path: str | None = None) -> list[Evidence]:
    """Turn pasted output or files (curl, HAR, openssl, dig, distribution config, access logs)
    into facts of `session`, all or nothing; several artifacts of one incident inform each other.
    (It was `Session.ingest`; the engine no longer imports the parsers.)"""
    from cfdoctor.service.documents import ingest_sources

    return ingest_sources(session, list(sources), path)
