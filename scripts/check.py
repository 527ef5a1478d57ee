"""Run the whole suite: lint, format check, type check, the Qt-free-core check and the tests.

Usage: ``python scripts/check.py [pytest arguments]`` from the repository root, inside the
environment where ``pip install -e ".[dev]"`` was run. Stops at the first failing step.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    python = sys.executable
    folders = ("src", "tests", "scripts", "benchmarks", "setup.py")
    sources = [name for name in folders if (ROOT / name).exists()]
    steps = [
        ("ruff lint", [python, "-m", "ruff", "check", *sources]),
        ("ruff format", [python, "-m", "ruff", "format", "--check", *sources]),
        ("mypy", [python, "-m", "mypy"]),
        ("pytest", [python, "-m", "pytest", *sys.argv[1:]]),
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for name, command in steps:
        print(f"== {name}", flush=True)
        if subprocess.run(command, cwd=ROOT, env=env, check=False).returncode != 0:
            print(f"== {name} failed", flush=True)
            return 1
    print("== all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
