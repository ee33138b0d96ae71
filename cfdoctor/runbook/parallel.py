"""Spread independent engine work over processes, results in input order.

Deriving a big symptom's flow asks the engine for thousands of evaluations; the expansions of
one level of the walk do not depend on each other, so they can run side by side. Workers are
forked, so they share the compiled knowledge base without pickling or recompiling it. Where
fork is unavailable, unsafe (other threads are running) or fails, the work runs in this process:
the result is the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from cfdoctor.engine.reasoner import Reasoner

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 8
"""Fewer items than this are cheaper to do here than to hand to workers."""

_job: tuple[Reasoner, Callable[[Reasoner, Any], Any]] | None = None
"""The reasoner and function the forked workers inherit."""


def default_jobs() -> int:
    """Worker processes to use: CFDOCTOR_JOBS, else the CPUs (at most 4); 1 without fork."""
    if sys.platform != "linux":
        return 1  # fork is only safe to rely on here
    wanted = os.environ.get("CFDOCTOR_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, min(4, os.cpu_count() or 1))


def _run(item: Any) -> Any:
    assert _job is not None
    reasoner, fn = _job
    return fn(reasoner, item)


def engine_map(
    reasoner: Reasoner, fn: Callable[[Reasoner, T], R], items: Sequence[T], jobs: int
) -> list[R]:
    """[fn(reasoner, item) for item in items], in forked workers when it pays off."""
    global _job
    if jobs <= 1 or len(items) < MIN_ITEMS or threading.active_count() > 1:
        # forking a process that runs other threads can deadlock the child
        return [fn(reasoner, item) for item in items]
    _job = (reasoner, fn)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return list(pool.map(_run, items))
    except (OSError, BrokenProcessPool):
        return [fn(reasoner, item) for item in items]
    finally:
        _job = None
