"""Bounded JSON reading for imports: size checked before parsing, nesting depth after.

Imported files come from anywhere, so a 200 MB file, a deeply nested array or a binary file
must fail quickly with a clear message instead of exhausting memory or the stack.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 32 * 1024 * 1024  # far above any real CTDL graph or badge; far below harm
MAX_DEPTH = 64  # CTDL records nest condition profiles a few levels; 64 is generous


class InputError(ValueError):
    """An input could not be read at all (not JSON, too large, too deep...)."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_depth: int = MAX_DEPTH


DEFAULT_LIMITS = Limits()


def read_bytes(path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes, refusing files larger than ``limits.max_bytes`` before reading."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
        if size > limits.max_bytes:
            raise InputError(
                f"{file_path.name}: {_mib(size)} is over the {_mib(limits.max_bytes)} import limit"
            )
        with file_path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # a growing file cannot slip past the check
    except FileNotFoundError:
        raise InputError(f"{file_path.name}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{file_path.name}: is a directory, not a file") from None
    except OSError as exc:
        raise InputError(f"{file_path.name}: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise InputError(f"{file_path.name}: larger than the import limit {_mib(limits.max_bytes)}")
    return data


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text without a byte order mark; a clear error for binary or other encodings."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text is not supported; save the file as UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 text (byte {exc.start}); is this a JSON file?"
        ) from None
    if "\x00" in text:
        raise InputError(f"{name}: contains NUL characters; this is a binary file, not JSON")
    return text


def parse_json(
    text: str, name: str, limits: Limits = DEFAULT_LIMITS, *, comments: bool = False
) -> Any:
    """Parse JSON text; ``comments`` drops whole-line ``//`` comments (JSONC files)."""
    if len(text) > limits.max_bytes:
        raise InputError(f"{name}: larger than the import limit {_mib(limits.max_bytes)}")
    if comments:
        text = "\n".join(
            "" if line.lstrip().startswith("//") else line for line in text.split("\n")
        )
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(f"{name}: nested more deeply than {limits.max_depth} levels") from None
    except ValueError as exc:
        raise InputError(f"{name}: {exc}") from None
    check_depth(data, name, limits.max_depth)
    return data


def load_json_file(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS, *, comments: bool = False
) -> Any:
    name = Path(path).name
    return parse_json(decode_text(read_bytes(path, limits), name), name, limits, comments=comments)


def check_depth(data: Any, name: str, max_depth: int) -> None:
    """Refuse documents nested deeper than ``max_depth`` (iteratively: no recursion limit)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise InputError(f"{name}: nested more deeply than {max_depth} levels")
        if isinstance(value, dict):
            stack.extend(
                (child, depth + 1) for child in value.values() if isinstance(child, dict | list)
            )
        elif isinstance(value, list):
            stack.extend((child, depth + 1) for child in value if isinstance(child, dict | list))


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"
