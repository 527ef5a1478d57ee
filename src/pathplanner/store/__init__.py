"""The plan store: learners, held credentials, catalogue versions and plans, kept safe.

Open it with :meth:`Store.open` (SQLite file by default, or any SQLAlchemy URL such as a
shared PostgreSQL database); every method is one short transaction and returns frozen records.
"""

from __future__ import annotations

from pathplanner.store.errors import (
    ConcurrentEditError,
    CorruptStoreError,
    DuplicateError,
    NewerSchemaError,
    NotFoundError,
    StoreError,
    StoreImportError,
)
from pathplanner.store.records import (
    CatalogVersionRecord,
    HeldCredentialRecord,
    LearnerRecord,
    PlanChangeRecord,
    PlanSummary,
    SavedPlan,
)
from pathplanner.store.service import LearnerKey, Store
from pathplanner.store.staleness import Replan, is_stale, plan_answer
from pathplanner.store.transfer import (
    StoreExport,
    export_all,
    export_all_to_file,
    import_all,
    parse_export,
    read_export_file,
)

__all__ = [
    "CatalogVersionRecord",
    "ConcurrentEditError",
    "CorruptStoreError",
    "DuplicateError",
    "HeldCredentialRecord",
    "LearnerKey",
    "LearnerRecord",
    "NewerSchemaError",
    "NotFoundError",
    "PlanChangeRecord",
    "PlanSummary",
    "Replan",
    "SavedPlan",
    "Store",
    "StoreError",
    "StoreExport",
    "StoreImportError",
    "export_all",
    "export_all_to_file",
    "import_all",
    "is_stale",
    "parse_export",
    "plan_answer",
    "read_export_file",
]
