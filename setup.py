"""Package discovery that declarative configuration cannot express: every package under
``src/`` plus the top-level ``resources/`` folder shipped as ``pathplanner.resources``."""

from setuptools import find_packages, setup

setup(packages=[*find_packages("src"), "pathplanner.resources"])
