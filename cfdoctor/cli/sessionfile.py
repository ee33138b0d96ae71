"""The session file of step mode: read it whole, replace it whole, never leave half of one.

A bot calls `cfdoctor diagnose --session FILE` once per message; any error (a bad answer, a
tampered file, a full disk) must leave the previous state exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from cfdoctor.engine.errors import SessionError
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session


def load(reasoner: Reasoner, path: Path) -> Session:
    """The saved session, or a new one when the file does not exist yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Session(reasoner)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SessionError.coded("session-file-unreadable", path=path, reason=reason) from None
    try:
        return Session.from_json(reasoner, text)
    except SessionError as exc:
        raise SessionError.coded("session-file-invalid", path=path, error=exc) from None


def save(session: Session, path: Path) -> None:
    """Write the state to a temporary file beside `path`, then rename it over `path`."""
    text = session.to_json()
    tmp: str | None = None
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            Path(tmp).chmod(mode)
        Path(tmp).replace(path)
        tmp = None
    except OSError as exc:
        raise SessionError.coded(
            "session-file-unwritable", path=path, reason=exc.strerror or exc
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
