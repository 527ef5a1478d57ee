"""Small builders for hand-written CTDL records used across the interop tests."""

from __future__ import annotations

from typing import Any

from pathplanner.interop.ctdl_import import import_ctdl
from pathplanner.interop.import_report import ImportResult
from pathplanner.model import Catalog

CONTEXT = "https://credreg.net/ctdl/schema/context/json"


def ctid(n: int) -> str:
    """A well-formed CTID numbered ``n``."""
    return f"ce-00000000-0000-4000-8000-{n:012d}"


def iri(n: int) -> str:
    return f"https://credentialengineregistry.org/resources/{ctid(n)}"


def record(
    n: int, type_: str = "ceterms:Certification", name: str | None = None, **props: Any
) -> dict[str, Any]:
    node: dict[str, Any] = {"@id": iri(n), "@type": type_, "ceterms:ctid": ctid(n)}
    node["ceterms:name"] = {"en-US": name or f"Credential {n}"}
    node.update({k.replace("__", ":"): v for k, v in props.items()})
    return node


def graph(*records: dict[str, Any]) -> dict[str, Any]:
    return {"@context": CONTEXT, "@graph": list(records)}


def run(*documents: Any, name: str = "test") -> ImportResult:
    return import_ctdl([(f"doc{i}.json", d) for i, d in enumerate(documents)], name=name)


def catalog_of(*documents: Any) -> Catalog:
    result = run(*documents)
    assert result.catalog is not None, result.report.errors
    return result.catalog


def reasons(result: ImportResult) -> list[str]:
    return [f"{n.action.value}: {n.field}: {n.reason}" for n in result.report.notes]
