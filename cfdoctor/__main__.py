"""`python -m cfdoctor`: the same entry point as the `cfdoctor` console script."""

import sys

from cfdoctor.cli.app import main

sys.exit(main())
