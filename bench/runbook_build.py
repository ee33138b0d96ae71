"""Time to write every runbook in three languages, as Markdown and as an HTML site.

Each run starts from a fresh Reasoner over the bundled knowledge base (the compiled knowledge
cache warm, the evaluation cache cold, as in a new `cfdoctor runbook` process) and writes both
formats into a temporary folder with `write_runbooks`. The first run derives every flow (as
after a change to the knowledge or the engine) and is reported on its own; the others find
the flows in the cache, as every later run does. Prints the median and worst total against
the target (< 2 s), the CPU seconds spent (this process and its workers: the same on a busy
machine), then where one run's time goes: deriving each symptom's flow from the engine,
building Markdown, rendering HTML.

    .venv/bin/python bench/runbook_build.py [--runs 5] [--knowledge DIR]

`--knowledge DIR` times another knowledge directory instead of the bundled one (for instance a
snapshot, while the bundled knowledge is being edited). CFDOCTOR_JOBS sets the worker processes.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from cfdoctor.engine.kbcache import load_cached
from cfdoctor.engine.loader import load_knowledge
from cfdoctor.engine.model import KnowledgeBase
from cfdoctor.engine.reasoner import Reasoner
from cfdoctor.runbook.build import build_index, build_runbook
from cfdoctor.runbook.diagram import flow_html
from cfdoctor.runbook.flow import derive_flow
from cfdoctor.runbook.parallel import default_jobs
from cfdoctor.runbook.render import render_page
from cfdoctor.runbook.site import write_runbooks
from cfdoctor.runbook.strings import LANGS

TARGET_S = 2.0


def load(knowledge: Path | None) -> KnowledgeBase:
    if knowledge is None:
        return load_cached()
    return load_knowledge([knowledge], include_bundled=False)


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: the work, whatever the load."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def one_run(out: Path, knowledge: Path | None) -> tuple[float, float, int]:
    reasoner = Reasoner(load(knowledge))
    start, cpu = time.perf_counter(), _cpu()
    files = write_runbooks(reasoner, [], ["all"], "md", out / "md")
    files += write_runbooks(reasoner, [], ["all"], "html", out / "html")
    return time.perf_counter() - start, _cpu() - cpu, len(files)


def breakdown(knowledge: Path | None) -> dict[str, object]:
    """Where one run's time goes, phase by phase (same work as write_runbooks)."""
    start = time.perf_counter()
    reasoner = Reasoner(load(knowledge))
    phases: dict[str, float] = {"load_and_compile_s": time.perf_counter() - start}
    flows = []
    per_symptom: dict[str, dict[str, float | int]] = {}
    for sid in sorted(reasoner.kb.symptoms):
        t0 = time.perf_counter()
        flow = derive_flow(reasoner, sid)
        per_symptom[sid] = {
            "flow_s": round(time.perf_counter() - t0, 3),
            "checks": len(flow.steps),
            "on_main_path": sum(s.main for s in flow.steps),
            "causes": len(flow.causes),
        }
        flows.append(flow)
    phases["flows_s"] = sum(float(v["flow_s"]) for v in per_symptom.values())
    t0 = time.perf_counter()
    texts = {
        (lang, f.symptom.id): build_runbook(f, reasoner.kb, lang) for lang in LANGS for f in flows
    }
    for lang in LANGS:
        build_index(flows, reasoner.kb, lang)
    phases["markdown_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    for flow in flows:
        for lang in LANGS:
            render_page(
                texts[(lang, flow.symptom.id)],
                lang,
                stylesheet_href="../style.css",
                replace={"flow": flow_html(flow, reasoner.kb, lang)},
            )
    phases["html_s"] = time.perf_counter() - t0
    return {
        "phases": {k: round(v, 3) for k, v in phases.items()},
        "symptoms": per_symptom,
        "knowledge": {
            "version": reasoner.kb.version,
            "causes": len(reasoner.kb.causes),
            "checks": len(reasoner.kb.checks),
            "rules": len(reasoner.kb.rules),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--knowledge", type=Path, default=None)
    args = parser.parse_args()
    load(args.knowledge)  # warm the compiled-knowledge cache, as after a first run on a machine
    with tempfile.TemporaryDirectory() as flows, tempfile.TemporaryDirectory() as out:
        # The first run derives every flow (the knowledge or engine changed); later runs, in
        # new processes as far as the reasoner goes, find the flows in the cache.
        os.environ["CFDOCTOR_CACHE_DIR"] = flows
        load(args.knowledge)
        cold, cold_cpu, _ = one_run(Path(out) / "cold", args.knowledge)
        totals: list[float] = []
        cpus: list[float] = []
        files = 0
        for i in range(args.runs):
            seconds, cpu, files = one_run(Path(out) / str(i), args.knowledge)
            totals.append(seconds)
            cpus.append(cpu)
    result = {
        "first run, flows derived": {"seconds": round(cold, 3), "cpu_s": round(cold_cpu, 3)},
        "write_runbooks md+html, 3 languages, flows cached": {
            "files": files,
            "median_s": round(statistics.median(totals), 3),
            "max_s": round(max(totals), 3),
            "min_s": round(min(totals), 3),
            "cpu_median_s": round(statistics.median(cpus), 3),
            "target_s": TARGET_S,
            "within_target": max(totals) < TARGET_S,
        },
        "jobs": default_jobs(),
        "one run, by phase": breakdown(args.knowledge),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
