"""The editable catalogue model (Qt-free): edits apply and revert exactly, listeners hear
each, validation gives the file validator's messages, references follow renames and deletes."""

from __future__ import annotations

from typing import Any

import pytest

from pathplanner.catalog import CatalogError, check_catalog_data
from pathplanner.catalog_editing import (
    EditableCatalog,
    EditError,
    ReferencedError,
    drop_from_requirement,
)
from pathplanner.model import CreditItem
from tests.conftest import catalog_dict


def small() -> dict[str, Any]:
    return catalog_dict(
        [
            {
                "id": "a",
                "name": "A",
                "kind": "badge",
                "credits": 3,
                "skills": ["sql"],
                "provider": "p",
            },
            {"id": "b", "name": "B", "kind": "badge", "credits": 6},
            {
                "id": "c",
                "name": "C",
                "kind": "certificate",
                "requires": {"any": ["a", "b"], "count": 2},
            },
            {
                "id": "d",
                "name": "D",
                "kind": "bachelor",
                "credits_required": 30,
                "transfer": ["a", {"id": "b", "credits": 4}],
                "requires": {"credits": 9, "from": ["a", "b"]},
            },
        ],
        providers=[{"id": "p", "name": "P", "recognition": "industry"}],
        skills=[{"id": "sql", "name": "SQL"}],
    )


@pytest.fixture
def model() -> EditableCatalog:
    return EditableCatalog(small(), "small.json")


def test_edits_apply_and_revert_and_listeners_hear_them(model: EditableCatalog) -> None:
    heard: list[tuple[str, bool]] = []
    model.listeners.append(lambda edit, undone: heard.append((edit.text, undone)))
    original = model.data()
    record = model.record("credentials", "b")
    record["cost"] = 250
    edit = model.edit_record("credentials", "b", record)
    assert model.record("credentials", "b").get("cost") is None  # built, not applied
    model.apply(edit)
    assert model.record("credentials", "b")["cost"] == 250
    assert model.to_catalog().credential("b").cost == 250
    model.revert(edit)
    assert model.data() == original
    assert heard == [("Edit credential 'b'", False), ("Edit credential 'b'", True)]


def test_validation_gives_the_file_validators_messages(model: EditableCatalog) -> None:
    record = model.record("credentials", "c")
    record["requires"] = {"any": ["a", "zz"], "count": 3}
    model.apply(model.edit_record("credentials", "c", record))
    validation = model.validate()
    assert validation.catalog is None
    with pytest.raises(CatalogError) as expected:
        check_catalog_data(model.data(), "small.json")
    assert [str(p) for p in validation.problems] == [str(p) for p in expected.value.problems]
    messages = [p.message for p in validation.for_record("credentials", "c")]
    assert "count 3 is larger than the 2 options listed in 'any'" in messages
    assert any(m.startswith("unknown credential 'zz'") for m in messages)
    assert validation.for_record("credentials", "a") == []


def test_add_duplicate_and_taken_ids(model: EditableCatalog) -> None:
    model.apply(model.duplicate("credentials", "a"))
    assert model.ids("credentials") == ["a", "a-copy", "b", "c", "d"]
    assert model.record("credentials", "a-copy")["name"] == "A (copy)"
    model.apply(model.duplicate("credentials", "a"))
    assert "a-copy-2" in model.ids("credentials")
    with pytest.raises(EditError, match="credential id 'b' is already used"):
        model.add_record("credentials", {"id": "b", "name": "again"})
    model.apply(model.add_record("skills", {"id": "python", "name": "Python"}))
    assert model.ids("skills") == ["sql", "python"]
    assert model.validate().catalog is not None


def test_renaming_an_id_renames_its_references_in_one_edit(model: EditableCatalog) -> None:
    record = model.record("credentials", "a")
    record["id"] = "intro"
    edit = model.edit_record("credentials", "a", record)
    assert len(edit.changes) == 3  # a itself, c and d
    model.apply(edit)
    assert model.record("credentials", "c")["requires"] == {"any": ["intro", "b"], "count": 2}
    assert model.record("credentials", "d")["transfer"] == ["intro", {"id": "b", "credits": 4}]
    assert model.record("credentials", "d")["requires"]["from"] == ["intro", "b"]
    assert model.validate().catalog is not None
    model.revert(edit)
    assert model.data() == EditableCatalog(small()).data()

    provider = model.record("providers", "p")
    provider["id"] = "q"
    model.apply(model.edit_record("providers", "p", provider))
    assert model.record("credentials", "a")["provider"] == "q"


def test_deleting_a_referenced_credential_is_refused_with_the_referrers(
    model: EditableCatalog,
) -> None:
    with pytest.raises(ReferencedError) as refused:
        model.delete_record("credentials", "a")
    assert refused.value.referrers == ["c", "d"]
    assert str(refused.value) == "credential 'a' is used by 2 credentials: c, d"
    before = model.data()
    edit = model.delete_record("credentials", "a", remove_references=True)
    assert edit.text == "Delete credential 'a' and 2 references"
    model.apply(edit)
    assert model.ids("credentials") == ["b", "c", "d"]
    assert model.record("credentials", "c")["requires"] == {"any": ["b"], "count": 1}
    d = model.record("credentials", "d")
    assert d["transfer"] == [{"id": "b", "credits": 4}]
    assert d["requires"] == {"credits": 6, "from": ["b"]}  # capped to what b carries
    assert model.validate().catalog is not None
    model.revert(edit)
    assert model.data() == before


def test_deleting_providers_and_skills_clears_their_uses(model: EditableCatalog) -> None:
    model.apply(model.delete_record("providers", "p", remove_references=True))
    assert "provider" not in model.record("credentials", "a")
    model.apply(model.delete_record("skills", "sql", remove_references=True))
    assert model.record("credentials", "a")["skills"] == []
    assert model.validate().catalog is not None
    model.apply(model.delete_record("credentials", "c"))  # nothing refers to it
    assert "c" not in model.ids("credentials")


def test_drop_from_requirement_by_hand() -> None:
    def value(item: Any) -> float:
        return 5.0

    assert drop_from_requirement("a", "a", value) is None
    assert drop_from_requirement({"all": ["a", "b"]}, "a", value) == {"all": ["b"]}
    assert drop_from_requirement({"all": [{"any": ["a"]}, "b"]}, "a", value) == {"all": ["b"]}
    assert drop_from_requirement({"credits": 8, "from": ["a", "b"]}, "a", value) == {
        "credits": 5,
        "from": ["b"],
    }
    assert drop_from_requirement({"any": ["a"], "count": 1}, "a", value) is None


def test_a_what_if_catalogue_becomes_one_edit(model: EditableCatalog) -> None:
    from pathplanner.graph.whatif import AddTransfer, apply_changes  # noqa: PLC0415

    changed = apply_changes(model.to_catalog(), [AddTransfer("c", "d", credits=2)])
    edit = model.edit_to_match(changed, "What-if: add transfer")
    assert [(c.collection, c.index) for c in edit.changes] == [("credentials", 3)]
    model.apply(edit)
    assert model.to_catalog().credential("d").transfer[-1] == CreditItem(id="c", credits=2)
