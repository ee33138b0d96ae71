"""`python -m cfdoctor`: the same entry point as the `cfdoctor` console script."""

from cfdoctor.cli.startup import run

run()
