"""``python -m pathplanner``: start the desktop app (``python -m pathplanner.cli`` for the CLI)."""

from pathplanner.ui.app import main

raise SystemExit(main())
