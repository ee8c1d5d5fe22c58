"""`python -m geo.printmap …`: a printable map from the command line (see geo.printmap.cli)."""

import sys

from geo.printmap.cli import main

sys.exit(main())
