"""Curricular Analytics CSV curricula and degree plans read into a catalogue."""

from __future__ import annotations

from pathlib import Path

from pathplanner.graph.metrics import catalog_metrics
from pathplanner.interop.curricular_analytics import (
    import_curricular_analytics,
    read_curricular_analytics,
)
from pathplanner.interop.import_report import ImportReport
from pathplanner.model import AllOf, Catalog, Kind

HEADER = (
    "Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,"
    "Credit Hours,Institution,Canonical Name"
)

# Heileman et al.'s example (b): 1 -> 3, 2 -> 3, 3 -> 4 (structural complexity 17).
EXAMPLE_B = f"""Curriculum,Example B,,,,,,,,
Institution,Test College,,,,,,,,
Degree Type,BS,,,,,,,,
System Type,semester,,,,,,,,
CIP,11.0701,,,,,,,,
Courses,,,,,,,,,
{HEADER}
1,Programming I,CS,101,,,,3,,
2,Discrete Mathematics,MA,120,,,,4,,
3,Data Structures,CS,201,"1;2",,,3,,
4,Algorithms,CS,301,3,,,3,,
"""


def read(text: str, name: str) -> tuple[Catalog | None, ImportReport]:
    result = read_curricular_analytics(text, name)
    return result.catalog, result.report


def test_curriculum_becomes_courses_and_a_degree_requiring_them() -> None:
    catalog, report = read(EXAMPLE_B, "b.csv")
    assert catalog is not None, report.errors
    assert report.ok
    by_id = catalog.credentials_by_id
    assert list(by_id) == ["cs-101", "ma-120", "cs-201", "cs-301", "example-b"]
    assert by_id["cs-201"].requires == AllOf(all=("cs-101", "ma-120"))
    assert by_id["cs-301"].requires == "cs-201"
    assert by_id["cs-201"].kind is Kind.OTHER
    assert by_id["cs-201"].credits == 3
    assert by_id["cs-201"].effort_hours == 135
    assert by_id["cs-201"].duration_weeks == 15
    assert by_id["cs-101"].name == "CS 101 Programming I"
    degree = by_id["example-b"]
    assert degree.kind is Kind.BACHELOR
    assert degree.credits == 13
    assert degree.requires == AllOf(all=("cs-101", "ma-120", "cs-201", "cs-301"))
    assert degree.provider == "test-college"
    assert "CIP 11.0701" in (degree.description or "")
    assert report.read["course"] == 4
    assert report.mapped["curriculum"] == 1


def test_metrics_of_the_imported_curriculum_match_the_published_example() -> None:
    catalog, _ = read(EXAMPLE_B, "b.csv")
    assert catalog is not None
    metrics = catalog_metrics(catalog, "example-b", include_goal=False)
    assert metrics.complexity == 17
    assert set(metrics.per_credential) == {"cs-101", "ma-120", "cs-201", "cs-301"}


def test_corequisites_are_read_as_prerequisites_with_a_note() -> None:
    text = f"""Curriculum,Co,,
Courses,,,
{HEADER}
1,Lecture,PH,101,,2,,3,,
2,Lab,PH,101L,,,,1,,
3,Next,PH,102,,,1,3,,
"""
    catalog, report = read(text, "co.csv")
    assert catalog is not None
    assert catalog.credential("ph-101").requires == "ph-101l"
    assert catalog.credential("ph-102").requires == "ph-101"
    reasons = [(n.record, n.field, n.reason) for n in report.notes]
    assert (
        "ph-101",
        "Corequisites",
        "co-requisite 2 read as a prerequisite (no same-term rule)",
    ) in reasons
    assert any(f == "Strict-Corequisites" for _, f, _ in reasons)
    # No Degree Type: the curriculum is kind "other", with a note.
    assert catalog.credential("co").kind is Kind.OTHER
    assert any(n.field == "Degree Type" for n in report.notes)


def test_degree_plan_with_terms_additional_courses_comments_and_outcomes(tmp_path: Path) -> None:
    text = f"""Curriculum,Plan Test,,,,,,,,,
Degree Plan,Late starters,,,,,,,,,
Degree Type,AA,,,,,,,,,
System Type,quarter,,,,,,,,,
Courses,,,,,,,,,,
{HEADER},Term
# a comment line

1,Calculus,MA,150,9,,,4,,,2
2,Writing,EN,100,,,,3,,,1
Additional Courses,,,,,,,,,,
{HEADER},Term
9,Precalculus,MA,110,,,,3,,,1
Course Learning Outcomes,,,,,,,,,,
Course ID,Learning Outcome ID,Learning Outcome,Description,Requisites,Hours,,,,,
1,1,Limits,,,,,,,,
"""
    path = tmp_path / "plan.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")
    result = import_curricular_analytics(path)
    catalog, report = result.catalog, result.report
    assert catalog is not None, report.errors
    assert catalog.name == "Late starters"
    calc = catalog.credential("ma-150")
    assert calc.requires == "ma-110"
    assert calc.description == "term 2 in the degree plan"
    assert calc.duration_weeks == 10  # quarter system
    assert calc.effort_hours == 120
    degree = catalog.credential("plan-test")
    assert degree.kind is Kind.ASSOCIATE
    assert degree.requires == AllOf(all=("ma-150", "en-100", "ma-110"))
    assert any("'Course Learning Outcomes' section not imported" in n.reason for n in report.notes)


def test_clashing_prefix_and_number_fall_back_to_course_ids() -> None:
    text = f"""Curriculum,Clash,,
Courses,,,
{HEADER}
10,Topics A,CS,499,,,,3,,
11,Topics B,CS,499,,,,3,,
12,Seminar,,,"10;11",,,1,,
"""
    catalog, _ = read(text, "clash.csv")
    assert catalog is not None
    assert [c.id for c in catalog.credentials] == ["course-10", "course-11", "course-12", "clash"]
    assert catalog.credential("course-12").name == "Seminar"


def test_errors_name_the_file_line_and_column() -> None:
    text = f"""Curriculum,Bad,,
Courses,,,
{HEADER}
1,One,A,1,7,,,3,,
2,Two,A,2,,,,three,,
1,Again,A,3,,,,3,,
"""
    catalog, report = read(text, "bad.csv")
    assert catalog is None
    assert not report.ok
    assert (
        "bad.csv: line 5: column 'Credit Hours': 'three' is not a number of credit hours"
        in report.errors
    )
    assert "bad.csv: line 6: duplicate Course ID '1' (already used on line 4)" in report.errors
    assert (
        "bad.csv: line 4: column 'Prerequisites' of course 1: unknown course id '7'"
        in report.errors
    )


def test_structural_errors() -> None:
    missing = read_curricular_analytics("Institution,X\nCourses\n", "x.csv").report
    assert missing.errors == [
        "x.csv: no 'Curriculum' row: is this a Curricular Analytics CSV file?"
    ]
    no_courses = read_curricular_analytics("Curriculum,X\n", "x.csv").report
    assert no_courses.errors == ["x.csv: no 'Courses' row: the file lists no courses"]
    columns = read_curricular_analytics("Curriculum,X\nCourses\nCourse ID,Name\n", "x.csv").report
    assert columns.errors == [
        "x.csv: line 3: the column header row lacks 'Course Name', 'Credit Hours'"
    ]
    plan = read_curricular_analytics(
        f"Curriculum,X\nDegree Plan,P\nCourses\n{HEADER}\n1,A,,,,,,3,,\n", "x.csv"
    ).report
    assert plan.errors == ["x.csv: line 4: a degree plan needs a 'Term' column"]


def test_a_requisite_cycle_is_rejected_by_catalogue_validation() -> None:
    text = f"""Curriculum,Loop,,
Courses,,,
{HEADER}
1,One,A,1,2,,,3,,
2,Two,A,2,1,,,3,,
"""
    catalog, report = read(text, "loop.csv")
    assert catalog is None
    assert any("cycle" in e for e in report.errors)


def test_unreadable_file(tmp_path: Path) -> None:
    result = import_curricular_analytics(tmp_path / "absent.csv")
    catalog, report = result.catalog, result.report
    assert catalog is None
    assert report.errors[0].startswith("absent.csv: cannot read the file")
