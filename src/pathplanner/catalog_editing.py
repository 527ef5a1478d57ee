"""An editable catalogue: the Qt-free model behind the catalogue editor.

The catalogue is held as its format-v1 JSON data (records as plain dicts), so that a record
being edited may be invalid for a while: :meth:`EditableCatalog.validate` runs the file
validator (:func:`pathplanner.catalog.check_catalog_data`) and reports the same messages as
the CLI. Every change is an :class:`Edit`, plain data that can be applied and reverted; the
model calls its listeners after each, so views follow the model and an undo stack only needs
to call :meth:`~EditableCatalog.apply` and :meth:`~EditableCatalog.revert`.

Builders (:meth:`~EditableCatalog.edit_record`, :meth:`~EditableCatalog.add_record`,
:meth:`~EditableCatalog.duplicate`, :meth:`~EditableCatalog.delete_record`) compute an edit
without applying it. Renaming an id renames the references to it in the same edit; deleting a
referenced record is refused with the referrers (:class:`ReferencedError`) unless the
references are removed too, in the same edit.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pathplanner.catalog import (
    CatalogError,
    Problem,
    Severity,
    catalog_to_json,
    check_catalog_data,
)
from pathplanner.model import Catalog

Collection = Literal["credentials", "providers", "skills"]
COLLECTIONS: tuple[Collection, ...] = ("credentials", "providers", "skills")
RECORD_NOUN = {"credentials": "credential", "providers": "provider", "skills": "skill"}
Record = dict[str, Any]
Requirement = Any  # JSON: str | {"all": [...]} | {"any": [...], "count"} | {"credits", "from"}


class EditError(ValueError):
    """An edit that cannot be built (unknown record, an id already taken)."""


class ReferencedError(EditError):
    """Deleting a record others refer to: ``referrers`` are the credentials that do."""

    def __init__(self, collection: Collection, record_id: str, referrers: list[str]) -> None:
        self.referrers = referrers
        noun = RECORD_NOUN[collection]
        super().__init__(
            f"{noun} '{record_id}' is used by {len(referrers)} credential"
            f"{'s' if len(referrers) != 1 else ''}: {', '.join(referrers)}"
        )


@dataclass(frozen=True)
class RecordChange:
    """One record replaced, added (``before`` None) or removed (``after`` None) at ``index``."""

    collection: Collection
    index: int
    before: Record | None
    after: Record | None


@dataclass(frozen=True)
class Edit:
    text: str  # for the undo menu: "Edit credential 'x'"
    changes: tuple[RecordChange, ...]


@dataclass(frozen=True)
class Validation:
    catalog: Catalog | None  # None while there are errors
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def for_record(self, collection: Collection, record_id: str) -> list[Problem]:
        label = f"{RECORD_NOUN[collection]} '{record_id}' "
        return [p for p in self.problems if p.record.startswith(label)]


Listener = Callable[[Edit, bool], None]  # (edit, undone)


class EditableCatalog:
    def __init__(self, data: dict[str, Any], name: str = "<catalogue>") -> None:
        self._data = copy.deepcopy(data)
        for collection in COLLECTIONS:
            self._data.setdefault(collection, [])
        self.name = name
        self.listeners: list[Listener] = []
        self.revision = 0  # bumps on every apply and revert
        self._validation: tuple[int, Validation] | None = None

    @classmethod
    def from_catalog(cls, catalog: Catalog, name: str = "<catalogue>") -> EditableCatalog:
        return cls(json.loads(catalog_to_json(catalog)), name)

    # -- reading ------------------------------------------------------------------------------

    def records(self, collection: Collection) -> list[Record]:
        return copy.deepcopy(self._data[collection])

    def ids(self, collection: Collection) -> list[str]:
        return [str(r.get("id", "")) for r in self._data[collection]]

    def record(self, collection: Collection, record_id: str) -> Record:
        return copy.deepcopy(self._data[collection][self.index_of(collection, record_id)])

    def index_of(self, collection: Collection, record_id: str) -> int:
        for index, record in enumerate(self._data[collection]):
            if record.get("id") == record_id:
                return index
        raise EditError(f"no {RECORD_NOUN[collection]} '{record_id}'")

    def data(self) -> dict[str, Any]:
        return copy.deepcopy(self._data)

    def validate(self) -> Validation:
        """The file validator's verdict on the catalogue as it is now (cached per revision)."""
        if self._validation is not None and self._validation[0] == self.revision:
            return self._validation[1]
        try:
            loaded = check_catalog_data(self._data, self.name)
            result = Validation(loaded.catalog, tuple(loaded.warnings))
        except CatalogError as exc:
            result = Validation(None, tuple(exc.problems))
        self._validation = (self.revision, result)
        return result

    def to_catalog(self) -> Catalog:
        """The catalogue, or :class:`CatalogError` with every problem."""
        validation = self.validate()
        if validation.catalog is None:
            raise CatalogError(list(validation.problems))
        return validation.catalog

    # -- applying -----------------------------------------------------------------------------

    def apply(self, edit: Edit) -> None:
        for change in edit.changes:
            self._replace(change.collection, change.index, change.before, change.after)
        self._changed(edit, undone=False)

    def revert(self, edit: Edit) -> None:
        for change in reversed(edit.changes):
            self._replace(change.collection, change.index, change.after, change.before)
        self._changed(edit, undone=True)

    def _replace(
        self, collection: Collection, index: int, old: Record | None, new: Record | None
    ) -> None:
        records = self._data[collection]
        if old is None:
            assert new is not None
            records.insert(index, copy.deepcopy(new))
        elif new is None:
            del records[index]
        else:
            records[index] = copy.deepcopy(new)

    def _changed(self, edit: Edit, *, undone: bool) -> None:
        self.revision += 1
        for listener in list(self.listeners):
            listener(edit, undone)

    # -- building edits -----------------------------------------------------------------------

    def add_record(self, collection: Collection, record: Record) -> Edit:
        record_id = str(record.get("id", ""))
        if record_id in self.ids(collection):
            raise EditError(f"{RECORD_NOUN[collection]} id '{record_id}' is already used")
        index = len(self._data[collection])
        change = RecordChange(collection, index, None, copy.deepcopy(record))
        return Edit(f"Add {RECORD_NOUN[collection]} '{record_id}'", (change,))

    def new_id(self, collection: Collection, stem: str) -> str:
        taken = set(self.ids(collection))
        candidate, n = stem, 1
        while candidate in taken:
            n += 1
            candidate = f"{stem}-{n}"
        return candidate

    def duplicate(self, collection: Collection, record_id: str) -> Edit:
        """A copy just after the original, with a new id and "(copy)" in its name."""
        index = self.index_of(collection, record_id)
        record = self.record(collection, record_id)
        record["id"] = self.new_id(collection, f"{record_id}-copy")
        if isinstance(record.get("name"), str):
            record["name"] = f"{record['name']} (copy)"
        change = RecordChange(collection, index + 1, None, record)
        return Edit(f"Duplicate {RECORD_NOUN[collection]} '{record_id}'", (change,))

    def edit_record(self, collection: Collection, record_id: str, record: Record) -> Edit:
        """Replace a record; a new id is carried into every reference to the old one."""
        index = self.index_of(collection, record_id)
        before = self._data[collection][index]
        new_id = record.get("id")
        changes = [RecordChange(collection, index, copy.deepcopy(before), copy.deepcopy(record))]
        if isinstance(new_id, str) and new_id != record_id:
            if new_id in self.ids(collection):
                raise EditError(f"{RECORD_NOUN[collection]} id '{new_id}' is already used")
            changes += self._reference_changes(
                collection,
                record_id,
                lambda r: _rename(collection, r, record_id, new_id),
                skip=index,
            )
        return Edit(f"Edit {RECORD_NOUN[collection]} '{record_id}'", tuple(changes))

    def edit_to_match(self, catalog: Catalog, text: str) -> Edit:
        """One edit replacing the credentials that differ from ``catalog``'s (a what-if's
        changed catalogue, same credentials in the same order)."""
        target = json.loads(catalog_to_json(catalog))["credentials"]
        current = self._data["credentials"]
        validation = self.validate()
        if validation.catalog is None:
            raise EditError("the edited catalogue has errors: fix them first")
        normal = json.loads(catalog_to_json(validation.catalog))["credentials"]
        if [r.get("id") for r in target] != [r.get("id") for r in normal]:
            raise EditError("the changed catalogue has other credentials than the one edited")
        changes = tuple(
            RecordChange("credentials", index, copy.deepcopy(current[index]), new)
            for index, (old, new) in enumerate(zip(normal, target, strict=True))
            if old != new
        )
        return Edit(text, changes)

    def referrers(self, collection: Collection, record_id: str) -> list[str]:
        """Ids of the credentials that refer to a record."""
        return [
            str(c.get("id"))
            for c in self._data["credentials"]
            if _refers(collection, c, record_id) and c.get("id") != record_id
        ]

    def delete_record(
        self, collection: Collection, record_id: str, *, remove_references: bool = False
    ) -> Edit:
        index = self.index_of(collection, record_id)
        referrers = self.referrers(collection, record_id)
        if referrers and not remove_references:
            raise ReferencedError(collection, record_id, referrers)
        changes = self._reference_changes(
            collection, record_id, lambda r: _remove(collection, r, record_id, self), skip=index
        )
        record = copy.deepcopy(self._data[collection][index])
        changes.append(RecordChange(collection, index, record, None))
        text = f"Delete {RECORD_NOUN[collection]} '{record_id}'"
        if referrers:
            text += f" and {len(referrers)} reference{'s' if len(referrers) != 1 else ''}"
        return Edit(text, tuple(changes))

    def _reference_changes(
        self,
        collection: Collection,
        record_id: str,
        rewrite: Callable[[Record], Record],
        skip: int,
    ) -> list[RecordChange]:
        changes = []
        for index, credential in enumerate(self._data["credentials"]):
            if collection == "credentials" and index == skip:
                continue
            if _refers(collection, credential, record_id):
                new = rewrite(copy.deepcopy(credential))
                changes.append(RecordChange("credentials", index, copy.deepcopy(credential), new))
        return changes

    def credit_value(self, item: Any) -> float:
        """Credits an item of a transfer or credits-from list carries (unknown ids: 0)."""
        if isinstance(item, dict):
            if isinstance(item.get("credits"), int | float):
                return float(item["credits"])
            item = item.get("id")
        for record in self._data["credentials"]:
            if record.get("id") == item:
                credits = record.get("credits", 0)
                return float(credits) if isinstance(credits, int | float) else 0.0
        return 0.0


# -- references in JSON records ---------------------------------------------------------------


def requirement_ids(requirement: Requirement) -> list[str]:
    """Every credential id a JSON requirement names."""
    if isinstance(requirement, str):
        return [requirement]
    if isinstance(requirement, dict):
        found: list[str] = []
        for key in ("all", "any", "from"):
            for sub in requirement.get(key, []) or []:
                if isinstance(sub, dict) and "id" in sub:
                    found.append(str(sub["id"]))
                else:
                    found += requirement_ids(sub)
        return found
    return []


def _item_id(item: Any) -> Any:
    return item.get("id") if isinstance(item, dict) else item


def _refers(collection: Collection, credential: Record, record_id: str) -> bool:
    if collection == "providers":
        return bool(credential.get("provider") == record_id)
    if collection == "skills":
        return record_id in (credential.get("skills") or [])
    return record_id in requirement_ids(credential.get("requires")) or any(
        _item_id(i) == record_id for i in credential.get("transfer") or []
    )


def _rename_requirement(requirement: Requirement, old: str, new: str) -> Requirement:
    if isinstance(requirement, str):
        return new if requirement == old else requirement
    if isinstance(requirement, dict):
        result = dict(requirement)
        for key in ("all", "any", "from"):
            if key in result and isinstance(result[key], list):
                result[key] = [_rename_item(sub, old, new) for sub in result[key]]
        return result
    return requirement


def _rename_item(item: Any, old: str, new: str) -> Any:
    if isinstance(item, dict) and "id" in item:
        return {**item, "id": new} if item["id"] == old else item
    return _rename_requirement(item, old, new)


def _rename(collection: Collection, credential: Record, old: str, new: str) -> Record:
    if collection == "providers":
        credential["provider"] = new
    elif collection == "skills":
        credential["skills"] = [new if s == old else s for s in credential.get("skills", [])]
    else:
        if "requires" in credential:
            credential["requires"] = _rename_requirement(credential["requires"], old, new)
        if "transfer" in credential:
            credential["transfer"] = [_rename_item(i, old, new) for i in credential["transfer"]]
    return credential


def drop_from_requirement(
    requirement: Requirement, ref: str, credit_value: Callable[[Any], float]
) -> Requirement | None:
    """The requirement without ``ref``: an ``any`` count and a ``credits from`` sum are capped
    to what remains; a group left empty disappears (None: nothing is required any more)."""
    if isinstance(requirement, str):
        return None if requirement == ref else requirement
    if not isinstance(requirement, dict):
        return requirement
    if "from" in requirement:
        items = [i for i in requirement["from"] if _item_id(i) != ref]
        available = sum(credit_value(i) for i in items)
        credits = min(float(requirement.get("credits", 0)), available)
        if not items or credits <= 0:
            return None
        return {**requirement, "from": items, "credits": _plain(credits)}
    key = "all" if "all" in requirement else "any"
    subs = [
        s
        for s in (drop_from_requirement(sub, ref, credit_value) for sub in requirement.get(key, []))
        if s is not None
    ]
    if not subs:
        return None
    result = {**requirement, key: subs}
    if key == "any" and "count" in result:
        result["count"] = min(int(result["count"]), len(subs))
    return result


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _remove(collection: Collection, credential: Record, ref: str, model: EditableCatalog) -> Record:
    if collection == "providers":
        credential.pop("provider", None)
    elif collection == "skills":
        credential["skills"] = [s for s in credential.get("skills", []) if s != ref]
    else:
        if "requires" in credential:
            requirement = drop_from_requirement(credential["requires"], ref, model.credit_value)
            if requirement is None:
                del credential["requires"]
            else:
                credential["requires"] = requirement
        if "transfer" in credential:
            credential["transfer"] = [i for i in credential["transfer"] if _item_id(i) != ref]
    return credential
