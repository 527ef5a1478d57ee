"""The store's errors: each says what is wrong and what the user can do about it."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of everything the store raises on purpose."""


class CorruptStoreError(StoreError):
    """The file given as the store is not a (healthy) pathplanner database; it was not touched."""


class NewerSchemaError(StoreError):
    """The database was written by a newer pathplanner; this version refuses to touch it."""


class NotFoundError(StoreError, LookupError):
    """No learner / plan / catalogue version with that name or id."""


class DuplicateError(StoreError):
    """A learner or plan with that name already exists."""


class ConcurrentEditError(StoreError):
    """Someone else changed or deleted the record since it was read: reload and redo the edit."""

    def __init__(self, what: str, expected_version: int | None, found_version: int | None) -> None:
        self.what = what
        self.expected_version = expected_version
        self.found_version = found_version
        if found_version is None:
            detail = "it has been deleted"
        else:
            detail = (
                f"it is now at version {found_version}, the edit was based on {expected_version}"
            )
        super().__init__(
            f"{what} was changed by someone else since it was opened ({detail}); "
            "reload it and make the change again"
        )


class StoreImportError(StoreError, ValueError):
    """An export file that cannot be imported: names the entry and field at fault."""
