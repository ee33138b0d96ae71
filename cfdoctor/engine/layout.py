"""Where knowledge units live on disk: cheap to import, so cached runs never load YAML code."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

KINDS: tuple[str, ...] = ("facts", "checks", "symptoms", "causes", "rules")


def bundled_root() -> Path:
    """The knowledge shipped in the package (a directory: cfdoctor is never imported from a zip;
    importlib.resources would cost a one-shot run its zipfile import)."""
    return Path(__file__).resolve().parent.parent / "knowledge"


def unit_files(roots: Sequence[Path]) -> list[tuple[str, Path, Path]]:
    """(kind, root, file) for every unit below the roots, in a stable order."""
    found: list[tuple[str, Path, Path]] = []
    for root in roots:
        for kind in KINDS:
            folder = root / kind
            if folder.is_dir():
                found.extend((kind, root, f) for f in sorted(folder.rglob("*.yaml")))
    return found


def knowledge_digest(files: Iterable[tuple[str, Path, Path]]) -> str:
    """Content hash of the units: two knowledge bases with the same digest reason identically."""
    h = hashlib.sha256()
    for kind, root, f in files:
        h.update(f"{kind}/{f.relative_to(root).as_posix()}\0".encode())
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:12]
