"""The session file of step mode: read it whole, replace it whole, never leave half of one.

A bot calls `cfdoctor diagnose --session FILE` once per message; any error (a bad answer, a
tampered file, a full disk) must leave the previous state exactly as it was.

Two runs on one file at once must not lose a step silently: `load` remembers what it read, and
`save` (holding an exclusive lock on the file's directory while it compares and renames) refuses
with exit 4 when someone else saved in between. A symlinked session file stays a link: the state
is written to its target. Only regular files are read, so a FIFO or a device cannot block a run.

The digest inside a session file detects damage (a cut or edited file), not forgery: anyone can
recompute it. Do not accept session files from people you would not take facts from.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path

from cfdoctor.engine.errors import CfdoctorError, SessionError
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.engine.session import Session
from cfdoctor.i18n import gettext as _

MAX_SESSION_BYTES = 4 * 1024 * 1024
"""A session is its inputs (a few KB); anything far larger is not one."""


class ReportTargetError(CfdoctorError):
    """--report-out names a file the run reads: a usage error, caught before any work."""

    exit_code = 2


_seen: weakref.WeakKeyDictionary[Session, tuple[str, str | None]] = weakref.WeakKeyDictionary()
"""Session -> (real path, digest of the content it was read from or last saved as; None: the
file did not exist)."""


def _real(path: Path) -> Path:
    """Where the state lives: a symlink's target, so saving keeps the link."""
    return Path(os.path.realpath(path))


def _content_digest(path: Path) -> str | None:
    try:
        return _sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def _read(path: Path) -> str | None:
    from cfdoctor.engine.yaml_source import read_text_file  # imports YAML: only when reading

    try:
        return read_text_file(path, MAX_SESSION_BYTES)
    except FileNotFoundError:
        return None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SessionError.coded("session-file-unreadable", path=path, reason=reason) from None
    except ValueError as exc:  # not a regular file, too large, not UTF-8
        raise SessionError.coded("session-file-unreadable", path=path, reason=str(exc)) from None


def load(reasoner: Reasoner, path: Path) -> Session:
    """The saved session, or a new one when the file does not exist yet."""
    with contextlib.suppress(OSError):  # /dev/stdout resolves to no path: ask the OS first
        if not stat.S_ISREG(path.stat().st_mode):
            raise SessionError(f"cannot read session file {path}: not a regular file")
    real = _real(path)
    text = _read(real)
    try:
        session = Session(reasoner) if text is None else Session.from_json(reasoner, text)
    except SessionError as exc:
        raise SessionError.coded("session-file-invalid", path=path, error=exc) from None
    _seen[session] = (str(real), None if text is None else _sha256(text.encode()))
    return session


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive advisory lock on the directory for the compare-and-rename (POSIX only)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: rename is still atomic, unlocked
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def save(session: Session, path: Path) -> None:
    """Write the state to a temporary file beside the real file, then rename it over it."""
    text = session.to_json()
    real = _real(path)
    tmp: str | None = None
    try:
        info = real.stat() if real.exists() else None
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise SessionError(f"cannot write session file {path}: not a regular file")
        mode = stat.S_IMODE(info.st_mode) if info is not None else None
        fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            Path(tmp).chmod(mode)
        with _locked(real.parent):
            read_as = _seen.get(session)
            if (
                read_as is not None
                and read_as[0] == str(real)
                and _content_digest(real) != read_as[1]
            ):
                raise SessionError(
                    _(
                        "session file {path} was changed by another run since this one read it; "
                        "nothing was saved: run the command again"
                    ).format(path=path)
                )
            Path(tmp).replace(real)
            tmp = None
            _seen[session] = (str(real), _sha256(text.encode()))
    except OSError as exc:
        raise SessionError.coded(
            "session-file-unwritable", path=path, reason=exc.strerror or exc
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def check_report_target(report_out: Path, session: Path | None, inputs: Sequence[str]) -> None:
    """--report-out must not name the session file or an evidence file: it would replace it."""
    target = _real(report_out)
    for other in ([session] if session else []) + [Path(s) for s in inputs if s != "-"]:
        same = _real(other) == target
        with contextlib.suppress(OSError):
            same = same or other.samefile(report_out)
        if same:
            raise ReportTargetError(
                _(
                    "--report-out {file} is also an input ({other}); writing the report "
                    "would destroy it: choose another file"
                ).format(file=report_out, other=other)
            )
