"""The app plans in Qt pool threads: the first solver use of a fresh process happens there.

OR-Tools' bindings crash when their first use is in a thread whose Python state Qt created
(see ``cpsat_model._initialise_bindings``). Earlier tests of a session have used the solver
already, so the check runs the app's end-to-end test in a fresh process of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_a_fresh_app_process_plans_in_its_worker_threads() -> None:
    test = "tests/ui/test_main_window.py::test_end_to_end_plan_save_reopen_compare_export"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
