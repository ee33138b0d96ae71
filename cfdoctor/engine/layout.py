"""Where knowledge units live on disk: cheap to import, so cached runs never load YAML code."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

KINDS: tuple[str, ...] = ("facts", "checks", "symptoms", "causes", "rules")


def bundled_root() -> Path:
    """The knowledge shipped in the package (a directory: cfdoctor is never imported from a zip;
    importlib.resources would cost a one-shot run its zipfile import)."""
    return Path(__file__).resolve().parent.parent / "knowledge"


def _yaml_below(folder: Path) -> list[Path]:
    """Every `*.yaml` entry below `folder`, not following symlinked directories (a link back up
    would loop forever). Entries that are not regular files are listed too: reading them reports
    the problem, instead of a unit silently missing."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        found.extend(here / n for n in dirnames + filenames if n.endswith(".yaml"))
    return sorted(found)


def unit_files(roots: Sequence[Path]) -> list[tuple[str, Path, Path]]:
    """(kind, root, file) for every unit below the roots, in a stable order."""
    found: list[tuple[str, Path, Path]] = []
    for root in roots:
        for kind in KINDS:
            folder = root / kind
            if folder.is_dir():
                found.extend((kind, root, f) for f in _yaml_below(folder))
    return found


def knowledge_digest(files: Iterable[tuple[str, Path, Path]]) -> str:
    """Content hash of the units: two knowledge bases with the same digest reason identically.

    Only regular files are read (a FIFO or a device would block or never end); anything else
    hashes as its type, and loading it reports the problem."""
    h = hashlib.sha256()
    for kind, root, f in files:
        h.update(f"{kind}/{f.relative_to(root).as_posix()}\0".encode())
        try:
            regular = stat.S_ISREG(f.stat().st_mode)
            h.update(f.read_bytes() if regular else b"<not a regular file>")
        except OSError as exc:
            h.update(f"<unreadable: {exc.errno}>".encode())
        h.update(b"\0")
    return h.hexdigest()[:12]
