"""`python -m geo.boundaries [--ensure | --rebuild]`: build or check the boundary cache (the Makefile's `boundaries`)."""

import sys

from geo.boundaries.cache import main

sys.exit(main())
