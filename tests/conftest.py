"""Shared fixtures: catalogue builders and paths to the real public documents in ../shared."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# GUI tests run offscreen, without a display, on every machine.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the clone; tests using it skip where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public test documents not present at {SHARED_DATA} (a user's clone)")
    return SHARED_DATA


def catalog_dict(credentials: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A minimal valid catalogue document around ``credentials``."""
    data: dict[str, Any] = {
        "format": "pathplanner-catalog",
        "version": 1,
        "name": "test catalogue",
        "currency": "USD",
        "providers": [],
        "skills": [],
        "credentials": credentials,
    }
    data.update(extra)
    return data


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Write a catalogue document (a dict, or raw text) to a file and return its path."""

    def write(document: dict[str, Any] | str, name: str = "catalog.json") -> Path:
        path = tmp_path / name
        text = document if isinstance(document, str) else json.dumps(document, indent=2)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail a test that leaves a (non-daemon) thread running: background work must end."""
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
    for thread in leaked:
        thread.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test left threads running: {still}"
