"""Errors a user can act on: each names where the problem is and what to write instead."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


def similar(name: str, known: Iterable[str], limit: int = 5) -> list[str]:
    """Known names close to a misspelt one, closest first, for "did you mean" hints."""
    return difflib.get_close_matches(name, list(known), n=limit, cutoff=0.6)


class CfdoctorError(Exception):
    """Base of every error the tool reports to a user as one clear line (never a traceback)."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a knowledge file."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}" + (f" ({self.hint})" if self.hint else "")


class KnowledgeError(CfdoctorError):
    """The knowledge base has problems; all of them are listed, not only the first."""

    exit_code = 3

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = f"{len(problems)} problem(s) in the knowledge base"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


class FactError(CfdoctorError):
    """A fact name or value a user supplied is not in the vocabulary or not of the fact's type."""

    exit_code = 2


class SessionError(CfdoctorError):
    """A saved session cannot be used: unreadable, tampered, or made with other knowledge."""

    exit_code = 4
