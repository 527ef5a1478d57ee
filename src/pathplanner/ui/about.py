"""The About box text: the versions a bug report needs."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import PySide6
from PySide6.QtCore import qVersion

from pathplanner import __version__


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    return {
        "pathplanner": __version__,
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "NetworkX": _version("networkx"),
        "HiGHS (highspy)": _version("highspy"),
        "OR-Tools": _version("ortools"),
        "SQLAlchemy": _version("sqlalchemy"),
        "Platform": platform.platform(terse=True),
    }


def about_text() -> str:
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in versions().items())
    return (
        f"<h3>pathplanner {__version__}</h3>"
        "<p>Plan the cheapest or fastest route through stackable credentials to a goal "
        "qualification.</p>"
        f"<table cellspacing='4'>{rows}</table>"
    )
