"""The fragment corpus figures: how many public-report fragments are read, and how many of the
facts each must settle are settled, alone and with the report's words around them.

    .venv/bin/python bench/fragment_corpus.py
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cfdoctor.evidence import EvidenceError, parse_evidence  # noqa: E402


def main() -> None:
    files = sorted((ROOT / "tests" / "evidence" / "fragments").glob("*.yaml"))
    read = settled = expected = 0
    langs: collections.Counter[str] = collections.Counter()
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        langs[doc["lang"]] += 1
        texts = [
            doc["fragment"],
            "\n\n".join(p for p in (doc["before"], doc["fragment"], doc["after"]) if p.strip()),
        ]
        for text in texts:
            try:
                facts = parse_evidence(text).facts
            except EvidenceError:
                facts = None
            read += facts is not None
            for name, value in doc["facts"].items():
                expected += 1
                settled += facts is not None and facts.get(name) == value
    total = 2 * len(files)
    print(f"fragments: {len(files)} ({', '.join(f'{k} {v}' for k, v in sorted(langs.items()))})")
    print(f"read (alone and in context): {read}/{total} = {100 * read / total:.1f} %")
    print(f"expected facts settled: {settled}/{expected} = {100 * settled / expected:.1f} %")


if __name__ == "__main__":
    main()
