"""Package discovery that declarative configuration cannot express: every package under
``src/`` plus the top-level ``resources/`` folder (and its data folders) shipped as
``pathplanner.resources``."""

from pathlib import Path

from setuptools import find_packages, setup

RESOURCES = Path(__file__).resolve().parent / "resources"
DATA_FOLDERS = [
    f"pathplanner.resources.{folder.name}"
    for folder in sorted(RESOURCES.iterdir())
    if folder.is_dir() and folder.name.isidentifier() and not folder.name.startswith("_")
]

setup(packages=[*find_packages("src"), "pathplanner.resources", *DATA_FOLDERS])
