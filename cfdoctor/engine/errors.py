"""Errors a user can act on: each names where the problem is and what to write instead."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Self


def similar(name: str, known: Iterable[str], limit: int = 5) -> list[str]:
    """Known names close to a misspelt one, closest first, for "did you mean" hints."""
    return difflib.get_close_matches(name, list(known), n=limit, cutoff=0.6)


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for it
    """Marks a message for the catalogs (pybabel's default keyword): the engine speaks English;
    front-ends translate an error's code when they show it (`CfdoctorError.text`)."""
    return message


MESSAGES: dict[str, str] = {
    "fact-not-yes-no": N_("{fact} is yes/no: '{text}' is neither (use yes or no)"),
    "fact-not-whole-number": N_("{fact} is a whole number: '{text}' is not"),
    "fact-not-a-value": N_("{fact} must be one of: {values} (got '{text}')"),
    "fact-not-a-rough-value": N_(
        "{fact}: '{text}' is not a valid answer (give {kind}, or one of: {values})"
    ),
    "evidence-looked-for": N_(
        "an HTTP status line or 'NNN ERROR' heading, CloudFront's error page or one of its "
        "phrases, response headers (Server, X-Cache, Via, X-Amz-Cf-*, x-amzn-*), an S3 <Code>, "
        "an API Gateway or Lambda function URL message, an x-edge result type such as "
        "OriginDnsError, a Lambda@Edge or CloudFront Functions error log line, openssl verify "
        "errors"
    ),
    "kind-whole-number": N_("a whole number"),
    "kind-value": N_("one of its values"),
    "fact-unknown-similar": N_("unknown fact '{name}'; did you mean: {similar}"),
    "fact-unknown": N_("unknown fact '{name}'; see `cfdoctor facts`"),
    "fact-derived": N_("{name} is derived by the rules; give the facts it is derived from"),
    "check-unknown-similar": N_("unknown check '{check}'; did you mean: {similar}"),
    "check-unknown": N_("unknown check '{check}'; see `cfdoctor kb stats` for check ids"),
    "session-not-json": N_("session is not valid JSON (line {line}, column {column})"),
    "session-not-a-session": N_(
        'not a cfdoctor session (missing "format": "cfdoctor-session")'
    ),
    "session-format-version": N_(
        "session format version {found} is not supported (this cfdoctor reads version "
        "{supported})"
    ),
    "session-other-knowledge": N_(
        "session was made with knowledge base {found}, but the loaded one is {loaded}; start a "
        "new session or load the same knowledge directories"
    ),
    "session-digest": N_(
        "session digest does not match its content: the file was edited or damaged"
    ),
    "session-inputs-not-a-list": N_('session "inputs" must be a list'),
    "session-input-shape": N_("session input #{n} must have fact, value and source"),
    "session-input-invalid": N_("session input #{n}: {error}"),
    "session-file-unreadable": N_("cannot read session file {path}: {reason}"),
    "session-file-invalid": N_("{path}: {error}"),
    "session-file-unwritable": N_("cannot write session file {path}: {reason}"),
    "evidence-no-such-file": N_("{path}: no such file or directory"),
    "evidence-not-recognised": N_(
        "{label}: not recognised as evidence, no known signal in it; looked for the output of "
        "curl -i/-v or HTTPie, a HAR file, openssl s_client, dig or nslookup, "
        "get-distribution-config JSON, a CloudFront access log, and in plain text for "
        "{looked_for}"
    ),
}
"""Coded error messages: the code is stable, the English text is the catalogs' msgid."""


class CfdoctorError(Exception):
    """Base of every error the tool reports to a user as one clear line (never a traceback).

    A coded error (`FactError.coded("fact-unknown", name=...)`) carries its code and
    parameters, so a front-end shows it in the user's language: `text(gettext)`. str() is
    the English text, for logs and the library's callers.
    """

    exit_code = 1
    code: str = ""
    params: Mapping[str, object] = MappingProxyType({})

    @classmethod
    def coded(cls, code: str, **params: object) -> Self:
        error = cls.__new__(cls)
        error.code, error.params = code, params
        Exception.__init__(error, error.text())
        return error

    def text(self, translate: Callable[[str], str] = N_) -> str:
        """The message through `translate` (gettext at a front-end); nested errors likewise."""
        if not self.code:
            return str(self)
        values = {
            k: v.text(translate) if isinstance(v, CfdoctorError) else v
            for k, v in self.params.items()
        }
        return translate(MESSAGES[self.code]).format(**values)


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
