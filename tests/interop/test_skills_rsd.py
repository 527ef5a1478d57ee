"""Rich Skill Descriptors into a catalogue's skills list."""

from __future__ import annotations

import json
from pathlib import Path

from pathplanner.catalog import check_catalog_data
from pathplanner.interop.skills_rsd import add_skills, read_rsd_files
from tests.conftest import catalog_dict


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_osmt_skill_and_collection(tmp_path: Path) -> None:
    skill = {
        "type": "RichSkillDescriptor",
        "id": "https://osmt/api/skills/u1",
        "uuid": "u1",
        "skillName": "Troubleshooting",
        "collections": [{"uuid": "c", "name": "IT"}],
    }
    collection = {
        "type": "RichSkillCollection",
        "name": "Data",
        "skills": [
            {"id": "https://osmt/api/skills/u2", "uuid": "u2", "skillName": "SQL"},
            {"id": "https://osmt/api/skills/u1", "uuid": "u1", "skillName": "Troubleshooting"},
            {"uuid": "u3"},
        ],
    }
    skills, report = read_rsd_files(
        [write(tmp_path, "s.json", skill), write(tmp_path, "c.json", collection)]
    )
    assert [(s.id, s.name, s.framework) for s in skills] == [
        ("u1", "Troubleshooting", "IT"),
        ("u2", "SQL", "Data"),
    ]
    assert report.skipped["RichSkillDescriptor"] == 1
    assert report.skipped["skill"] == 1


def test_ctdl_competencies_with_comment_lines(tmp_path: Path) -> None:
    text = "// a comment\n" + json.dumps(
        {
            "@context": "x",
            "@graph": [
                {
                    "@id": "https://r/resources/ce-00000000-0000-4000-8000-000000000001",
                    "@type": "ceterms:Collection",
                    "ceterms:name": {"en": "Sample"},
                },
                {
                    "@id": "https://r/resources/ce-00000000-0000-4000-8000-000000000002",
                    "@type": "ceasn:Competency",
                    "ceasn:competencyLabel": {"en": "Cost Reports"},
                    "ceasn:isMemberOf": [
                        "https://r/resources/ce-00000000-0000-4000-8000-000000000001"
                    ],
                },
            ],
        }
    )
    path = tmp_path / "c.jsonc"
    path.write_text(text, encoding="utf-8")
    skills, report = read_rsd_files([path])
    assert [(s.id, s.name, s.framework) for s in skills] == [
        ("ce-00000000-0000-4000-8000-000000000002", "Cost Reports", "Sample")
    ]
    assert report.errors == []


def test_skills_are_added_to_a_catalogue_and_existing_ids_kept(tmp_path: Path) -> None:
    catalog = check_catalog_data(
        catalog_dict(
            [{"id": "a", "name": "A", "kind": "badge", "skills": ["u1"]}],
            skills=[{"id": "u1", "name": "Mine"}],
        )
    ).catalog
    skill = {
        "type": "RichSkillCollection",
        "name": "IT",
        "skills": [{"uuid": "u1", "skillName": "Theirs"}, {"uuid": "u2", "skillName": "New"}],
    }
    skills, report = read_rsd_files([write(tmp_path, "c.json", skill)])
    result = add_skills(catalog, skills, report)
    assert result.catalog is not None
    assert [(s.id, s.name) for s in result.catalog.skills] == [("u1", "Mine"), ("u2", "New")]
    assert any("already has this skill id" in n.reason for n in result.report.notes)


def test_not_a_skill_document(tmp_path: Path) -> None:
    skills, report = read_rsd_files([write(tmp_path, "x.json", {"hello": 1})])
    assert skills == []
    assert "not a Rich Skill Descriptor" in report.errors[0]
