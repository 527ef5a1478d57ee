"""Just enough JSON-LD for CTDL: compacted and expanded forms, ``@graph``, registry
envelopes, language maps, and ids compared case-insensitively (CTIDs and registry URLs).

Full JSON-LD processing needs the remote ``@context`` documents, which an offline desktop app
cannot fetch; CTDL terms are unambiguous by their local names (``ceterms:name``,
``https://purl.org/ctdl/terms/name`` and a bare ``name`` all mean the same property), so
keys and types are reduced to local names and values to a small tree of :class:`Node`,
:class:`Ref`, :class:`LangMap` and plain literals.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pathplanner.interop.safe_json import DEFAULT_LIMITS, InputError, Limits, parse_json

CTID = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^@?[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
PREFERRED_LANGUAGES = ("en-us", "en", "en-gb")
_KEYWORDS = frozenset(
    {
        "@id",
        "@type",
        "@value",
        "@language",
        "@graph",
        "@context",
        "@list",
        "@set",
        "@index",
        "@reverse",
        "@base",
        "@vocab",
        "@none",
        "@direction",
        "@json",
        "@nest",
        "@included",
    }
)


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to another node by id (``"res:ce-..."`` or ``{"@id": ...}``)."""

    id: str


@dataclass(frozen=True, slots=True)
class LangMap:
    """Text in one or more languages: language tag (lower case) -> text."""

    texts: tuple[tuple[str, str], ...]

    def best(self) -> str:
        """English where present (en-US, en, any en-*), else the first language given."""
        by_language = dict(self.texts)
        for language in PREFERRED_LANGUAGES:
            if by_language.get(language, "").strip():
                return by_language[language].strip()
        for language, text in self.texts:
            if language.startswith("en") and text.strip():
                return text.strip()
        for _, text in self.texts:
            if text.strip():
                return text.strip()
        return ""


@dataclass(eq=False)
class Node:
    """A JSON-LD object: its id, types (local names) and properties (local name -> values)."""

    id: str | None
    types: tuple[str, ...]
    props: dict[str, list[Any]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # local name -> key as written

    def values(self, name: str) -> list[Any]:
        return self.props.get(name, [])

    def first(self, name: str) -> Any:
        values = self.props.get(name)
        return values[0] if values else None

    def key(self, name: str) -> str:
        return self.keys.get(name, name)

    @property
    def type(self) -> str:
        return self.types[0] if self.types else ""


Value = Node | Ref | LangMap | str | int | float | bool | None


@lru_cache(maxsize=4096)
def local_name(term: str) -> str:
    """``ceterms:name``, ``https://purl.org/ctdl/terms/name`` and ``name`` -> ``name``."""
    if term.startswith("@"):
        return term
    for separator in ("#", "/"):
        if "://" in term and separator in term.split("://", 1)[1]:
            return term.rsplit(separator, 1)[1]
    return term.rsplit(":", 1)[-1]


@lru_cache(maxsize=65536)
def id_key(identifier: str) -> str:
    """What identifies a resource for matching: its CTID if it has one, lower case; else the
    whole id, case-folded (registry URLs differ only in case between documents)."""
    match = CTID.search(identifier)
    return match.group(0).lower() if match else identifier.strip().casefold()


def text_of(value: Any) -> str:
    """Plain text of a literal, a language map or a list of either (first non-empty)."""
    if isinstance(value, LangMap):
        return value.best()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        for item in value:
            text = text_of(item)
            if text:
                return text
    return ""


def to_node_tree(data: Any) -> Any:
    """Normalise decoded JSON-LD (compacted or expanded) into nodes, refs and literals."""
    if isinstance(data, list):
        return _merge_languages([to_node_tree(item) for item in data])
    if not isinstance(data, dict):
        return data
    if "@value" in data:
        value = data["@value"]
        language = data.get("@language")
        if isinstance(language, str) and isinstance(value, str):
            return LangMap(((language.lower(), value),))
        return value
    for container in ("@list", "@set"):
        if container in data:
            return to_node_tree(data[container])
    keys = [k for k in data if k != "@context"]
    if keys and all(_is_language_tag(k) for k in keys) and all(_is_text(v) for v in data.values()):
        return LangMap(tuple((k.lstrip("@").lower(), _joined(v)) for k, v in data.items()))
    identifier = data.get("@id", data.get("id"))
    identifier = identifier if isinstance(identifier, str) else None
    raw_types = data.get("@type", data.get("type"))
    types = tuple(local_name(t) for t in _as_list(raw_types) if isinstance(t, str))
    props: dict[str, list[Any]] = {}
    written: dict[str, str] = {}
    for key, value in data.items():
        if key in {"@id", "id", "@type", "type", "@context"}:
            continue
        name = local_name(key)
        converted = to_node_tree(value)
        props.setdefault(name, []).extend(converted if isinstance(converted, list) else [converted])
        written.setdefault(name, key)
    if identifier is not None and not types and not props:
        return Ref(identifier)
    return Node(identifier, types, props, written)


def walk_nodes(root: Any) -> Iterator[Node]:
    """Every node in a tree, depth first, each once (a tree from JSON cannot loop)."""
    stack = [root]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, Node):
            yield value
            for values in reversed(list(value.props.values())):
                stack.extend(reversed(values))


def top_level_nodes(data: Any, name: str, limits: Limits = DEFAULT_LIMITS) -> list[Node]:
    """The records of a document: a ``@graph``, a single record, a list of documents, or
    registry envelopes (``decoded_resource``, possibly itself JSON text)."""
    out: list[Node] = []
    pending: list[Any] = [data]
    while pending:
        document = pending.pop(0)
        if isinstance(document, list):
            pending[0:0] = document
            continue
        if not isinstance(document, dict):
            raise InputError(
                f"{name}: expected a JSON-LD object or @graph, found {type(document).__name__}"
            )
        if "decoded_resource" in document:
            resource = document["decoded_resource"]
            if isinstance(resource, str):
                resource = parse_json(resource, f"{name} (decoded_resource)", limits)
            pending.insert(0, resource)
            continue
        if "@graph" in document:
            graph = document["@graph"]
            pending[0:0] = graph if isinstance(graph, list) else [graph]
            continue
        tree = to_node_tree(document)
        if isinstance(tree, Node):
            out.append(tree)
        elif isinstance(tree, Ref):
            continue  # a bare {"@id": ...} in a graph describes nothing
        else:
            raise InputError(f"{name}: expected a JSON-LD object, found {type(tree).__name__}")
    return out


@lru_cache(maxsize=4096)
def _is_language_tag(key: str) -> bool:
    return key not in _KEYWORDS and _LANGUAGE_TAG.match(key) is not None


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _joined(value: Any) -> str:
    return value if isinstance(value, str) else "; ".join(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _merge_languages(values: list[Any]) -> list[Any]:
    """Expanded JSON-LD lists one value object per language: merge them into one map."""
    maps = [v for v in values if isinstance(v, LangMap)]
    if len(maps) < 2:
        return values
    merged = LangMap(tuple(pair for m in maps for pair in m.texts))
    return [merged, *(v for v in values if not isinstance(v, LangMap))]
