"""pathplanner: plan routes through stackable credentials to a goal qualification."""

__version__ = "0.1.0"
