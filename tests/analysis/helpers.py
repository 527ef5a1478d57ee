"""Small catalogue builders for the analysis tests."""

from __future__ import annotations

from typing import Any

from pathplanner.catalog import check_catalog_data
from pathplanner.model import Catalog
from tests.conftest import catalog_dict


def make(credentials: list[dict[str, Any]], **extra: Any) -> Catalog:
    """A validated catalogue (raises if the test data is itself invalid)."""
    return check_catalog_data(catalog_dict(credentials, **extra)).catalog


def unchecked(credentials: list[dict[str, Any]], **extra: Any) -> Catalog:
    """A catalogue that only passes the record model: cycles and impossible counts allowed."""
    return Catalog.model_validate(catalog_dict(credentials, **extra), strict=False)


def cred(cid: str, kind: str = "certificate", requires: Any = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": cid, "name": cid.upper(), "kind": kind, **extra}
    if requires is not None:
        data["requires"] = requires
    return data


def degree(**extra: Any) -> dict[str, Any]:
    """A bachelor's credit block requiring c: 30 credits at 20 each (600 without transfer),
    half a week per credit."""
    return cred(
        "deg",
        "bachelor",
        requires="c",
        credits_required=30,
        per_credit={"price": 20, "weeks": 0.5},
        **extra,
    )
