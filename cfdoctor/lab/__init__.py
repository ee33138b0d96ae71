"""The broken-origins lab: local origins, one per fault, for trying and testing the probes.

>>> from cfdoctor.lab import start_lab
>>> with start_lab() as lab:
...     print(lab.instructions())
"""

from __future__ import annotations

from cfdoctor.lab.lab import Lab, LabOrigin, start_lab

__all__ = ["Lab", "LabOrigin", "start_lab"]
