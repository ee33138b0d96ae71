"""Cache of the loaded knowledge base, so a one-shot command does not parse and validate YAML.

The key covers every unit file's path, size and modification time plus the cfdoctor version; any
edit makes a new key. A damaged or foreign cache file is ignored and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from cfdoctor import __version__
from cfdoctor.engine.layout import KINDS, bundled_root
from cfdoctor.engine.model import KnowledgeBase

T = TypeVar("T")


def cache_dir() -> Path:
    base = os.environ.get("CFDOCTOR_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "cfdoctor" if base else Path.home() / ".cache" / "cfdoctor"


def _key(roots: Sequence[Path]) -> str:
    """Version, roots, and every unit file's path, size and mtime (os.scandir: this runs on
    every cached start, so it avoids a Path object per file)."""
    h = hashlib.sha256(f"{__version__}\0".encode())
    for root in roots:
        h.update(f"{root.resolve()}\0".encode())
        for kind in KINDS:
            stack = [str(root / kind)]
            while stack:
                try:
                    entries = sorted(os.scandir(stack.pop()), key=lambda e: e.name)
                except OSError:
                    continue
                for entry in entries:
                    if entry.is_dir():
                        stack.append(entry.path)
                    elif entry.name.endswith(".yaml"):
                        st = entry.stat()
                        h.update(f"{entry.path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:24]


def load_cached(extra_dirs: Sequence[Path] = (), *, include_bundled: bool = True) -> KnowledgeBase:
    roots = [bundled_root()] if include_bundled else []
    roots += [Path(d) for d in extra_dirs]
    path = cache_dir() / f"kb-{_key(roots)}.pickle"
    cached = read_cached(path, KnowledgeBase)
    if cached is not None:
        return cached
    from cfdoctor.engine.loader import load_knowledge  # YAML and jsonschema: only on a miss

    kb = load_knowledge(extra_dirs, include_bundled=include_bundled)
    write_cached(path, kb)
    return kb


def read_cached(path: Path, kind: type[T]) -> T | None:
    """The object pickled at `path` if it is a `kind`; None when missing, damaged or foreign,
    or when CFDOCTOR_NO_CACHE is set."""
    if os.environ.get("CFDOCTOR_NO_CACHE"):
        return None
    try:
        with path.open("rb") as f:
            cached = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return cached if isinstance(cached, kind) else None


def write_cached(path: Path, value: object) -> None:
    """Store atomically; a read-only or full disk only costs speed, never correctness."""
    if os.environ.get("CFDOCTOR_NO_CACHE"):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except OSError:
        pass
