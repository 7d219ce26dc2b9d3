"""`python -m opendata.cli`: the same command line as the `opendata` script."""

import sys

from opendata.cli import main

sys.exit(main())
