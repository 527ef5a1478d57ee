"""``python -m pathplanner.cli``: the same as ``pathplanner-cli``."""

import sys

from pathplanner.cli import main

sys.exit(main())
