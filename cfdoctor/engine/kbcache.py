"""Cache of the loaded knowledge base, so a one-shot command does not parse and validate YAML.

The key covers every unit file's path, size and modification time plus the cfdoctor version; any
edit makes a new key. A damaged or foreign cache file is ignored and rebuilt, never trusted.

The files are pickles, read by an unpickler that can build nothing but the frozen dataclasses of
the knowledge model (and those a caller names, such as runbook flows) from plain data: it looks up
no other class or function, so a file planted in the cache directory cannot make it run code
(pickle's usual `os.system` payload is refused, and the file rebuilt). The cache lives in
$CFDOCTOR_CACHE_DIR, else $XDG_CACHE_HOME, else ~/.cache; a read-only or missing one only costs
speed.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import os
import pickle
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO, TypeVar

from cfdoctor import __version__
from cfdoctor.engine.layout import KINDS, bundled_root
from cfdoctor.engine.model import KnowledgeBase

T = TypeVar("T")


def cache_dir() -> Path:
    """$CFDOCTOR_CACHE_DIR/cfdoctor, else the XDG cache directory's (a relative $XDG_CACHE_HOME
    is ignored, as the XDG spec says), else ~/.cache/cfdoctor."""
    base = os.environ.get("CFDOCTOR_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        base = xdg if Path(xdg).is_absolute() else ""
    if base:
        return Path(base) / "cfdoctor"
    try:
        return Path.home() / ".cache" / "cfdoctor"
    except RuntimeError:  # no home directory (a bare container): a private place of our own
        import tempfile

        return Path(tempfile.gettempdir()) / f"cfdoctor-cache-{os.getuid()}"


def _key(roots: Sequence[Path]) -> str:
    """Version, roots, and every unit file's path, size and mtime (os.scandir: this runs on
    every cached start, so it avoids a Path object per file)."""
    h = hashlib.sha256(f"{__version__}\0".encode())
    for root in roots:
        h.update(f"{root.resolve()}\0".encode())
        for kind in KINDS:
            stack = [str(root / kind)]
            seen: set[str] = set()  # real paths walked: a symlink loop is walked once
            while stack:
                folder = stack.pop()
                real = os.path.realpath(folder)
                if real in seen:
                    continue
                seen.add(real)
                try:
                    entries = sorted(os.scandir(folder), key=lambda e: e.name)
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


def read_cached(path: Path, kind: type[T], builds: Iterable[type] = ()) -> T | None:
    """The `kind` pickled at `path`, built only of model dataclasses and `builds`; None when
    missing, damaged or foreign, or when CFDOCTOR_NO_CACHE is set."""
    if os.environ.get("CFDOCTOR_NO_CACHE"):
        return None
    allowed = {(c.__module__, c.__qualname__): c for c in (*_model_classes(), kind, *builds)}
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new objects, none garbage: collections only cost time
    try:
        with path.open("rb") as f:
            cached = _ModelUnpickler(f, allowed).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError):
        return None
    except (IndexError, AttributeError, RecursionError, MemoryError, OverflowError):
        return None
    finally:
        if collecting:
            gc.enable()
    return cached if isinstance(cached, kind) else None


class _ModelUnpickler(pickle.Unpickler):
    """Resolves only the classes it is given: every other global, a function or a class, is a
    foreign file's attempt to run something."""

    def __init__(self, file: BinaryIO, allowed: dict[tuple[str, str], type]) -> None:
        super().__init__(file)
        self._allowed = allowed

    def find_class(self, module: str, name: str) -> type:
        found = self._allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"refused {module}.{name}: not knowledge")
        return found


@functools.cache
def _model_classes() -> tuple[type, ...]:
    """The frozen dataclasses of the knowledge model: they only hold values (no __setstate__,
    no __post_init__), so building them runs no code of the file's choosing."""
    from cfdoctor.engine import model

    return tuple(
        c
        for c in vars(model).values()
        if isinstance(c, type) and c.__module__ == model.__name__ and dataclasses.is_dataclass(c)
    )


def write_cached(path: Path, value: object) -> None:
    """Store atomically; a read-only or full disk only costs speed, never correctness."""
    if os.environ.get("CFDOCTOR_NO_CACHE"):
        return
    import tempfile  # only when writing: a cached start never needs it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except OSError:
        pass
