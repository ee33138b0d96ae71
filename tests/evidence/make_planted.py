"""Write the planted-fault set and the healthy controls as files, in each format people keep a
distribution in, so that they can be tried by hand (`cfdoctor inspect`, `diagnose --evidence`):

    .venv/bin/python -m tests.evidence.make_planted

tests/evidence/test_planted.py checks that the files are current.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.evidence.iac_writers import cloudformation_json, cloudformation_yaml, terraform_hcl
from tests.evidence.planted import CONTROLS, FAULTS

OUT = Path(__file__).parent / "planted_configs"

FILES: dict[str, Callable[[dict[str, Any]], str]] = {
    "get-distribution-config.json": lambda doc: json.dumps(doc, indent=2) + "\n",
    "cloudformation.yaml": cloudformation_yaml,
    "cdk.template.json": lambda doc: cloudformation_json(doc) + "\n",
    "main.tf": terraform_hcl,
}


def expected() -> dict[Path, str]:
    """Every file with its content."""
    out: dict[Path, str] = {}
    configs = {f"fault-{f.id}": f.config() for f in FAULTS}
    configs.update({f"control-{name}": build() for name, build in CONTROLS.items()})
    for name, doc in configs.items():
        for file, write in FILES.items():
            out[OUT / name / file] = write(doc)
    lines = ["fault\tstatus\tpath\tfinding\tcause"]
    lines += [f"{f.id}\t{f.status}\t{f.path}\t{f.finding}\t{f.cause}" for f in FAULTS]
    out[OUT / "FAULTS.tsv"] = "\n".join(lines) + "\n"
    return out


def main() -> None:
    for path, text in expected().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
