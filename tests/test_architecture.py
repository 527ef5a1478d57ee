"""The layering contract: nothing outside ``pathplanner.ui`` imports Qt (directly or not)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pathplanner

PACKAGE = Path(pathplanner.__file__).resolve().parent
QT_MODULES = ("PySide6", "shiboken6", "pathplanner.ui")
# The GUI launcher is the one module outside ui/ allowed to start the GUI.
ALLOWED = {PACKAGE / "__main__.py"}


def _core_files() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "ui" not in path.relative_to(PACKAGE).parts[:1] and path not in ALLOWED
    ]


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_source_file_imports_qt() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            name for name in _imported_modules(path) if name.startswith(QT_MODULES)
        )
        for path in _core_files()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_imports_with_qt_unavailable() -> None:
    """Import every core module in a fresh interpreter where importing Qt fails."""
    modules = [
        "pathplanner."
        + ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        for path in _core_files()
    ]
    # Alembic's migration scripts only run inside alembic (env.py reads alembic.context.config);
    # the AST check above still covers them.
    modules = [m for m in modules if not m.endswith("__main__") and ".migrations" not in m]
    script = (
        "import importlib, sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.startswith({QT_MODULES!r}):\n"
        "            raise ImportError('Qt is not allowed in the core: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")
