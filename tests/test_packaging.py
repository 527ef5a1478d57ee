"""A built wheel carries the bundled catalogue, the schema and the entry points."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_resources_and_entry_points(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = tmp_path.glob("pathplanner-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        scripts = archive.read(entry_points).decode()
    assert "pathplanner/resources/catalogs/starter.json" in names
    assert "pathplanner/resources/schema/catalog-v1.json" in names
    assert "pathplanner/py.typed" in names
    assert "pathplanner-cli = pathplanner.cli:main" in scripts
    assert "[gui_scripts]\npathplanner = pathplanner.ui.app:main" in scripts
