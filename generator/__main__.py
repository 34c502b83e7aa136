"""Run the command line as ``python -m generator``, for Makefiles and CI."""

import sys

from .cli import main

sys.exit(main())
