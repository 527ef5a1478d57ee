"""File ▸ Import and File ▸ Export in the app: an import runs in the background, its report is
shown, the catalogue opens (saved first, or not) with the pathway's destination as the goal;
exports write files that read back."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QPushButton

from pathplanner.catalog import load_catalog
from pathplanner.interop.csv_catalog import import_csv
from pathplanner.interop.ctdl_import import ImportCancelledError, import_ctdl_files
from pathplanner.ui.import_actions import SOURCES, run_import
from pathplanner.ui.main_window import MainWindow
from tests.interop.helpers import ctid, graph, iri, record

pytestmark = pytest.mark.gui


def pathway_document() -> dict[str, Any]:
    """A certificate needing a badge and a course; a pathway whose destination is the
    certificate; an organisation; one record type the importer skips."""
    return graph(
        record(
            1,
            "ceterms:Certificate",
            name="Network Technician Certificate",
            ceterms__ownedBy=iri(9),
            ceterms__requires={
                "@type": "ceterms:ConditionProfile",
                "ceterms:targetCredential": [iri(2)],
                "ceterms:targetLearningOpportunity": [iri(3)],
            },
        ),
        record(2, "ceterms:DigitalBadge", name="Cabling Badge", ceterms__ownedBy=iri(9)),
        record(3, "ceterms:Course", name="Routing Basics", ceterms__ownedBy=iri(9)),
        record(9, "ceterms:CredentialOrganization", name="Valley Tech"),
        {
            "@id": iri(100),
            "@type": "ceterms:Pathway",
            "ceterms:name": {"en": "Network Technician Pathway"},
            "ceterms:hasDestinationComponent": iri(1),
        },
        {"@id": iri(50), "@type": "ceterms:CredentialType", "ceterms:name": {"en": "Skip me"}},
    )


def choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    names = [str(p) for p in paths]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (names, ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (names[0], ""))


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def report_of(qtbot: Any, window: MainWindow) -> Any:
    qtbot.waitUntil(lambda: window.importer.report_dialog is not None, timeout=30000)
    return window.importer.report_dialog


def table_rows(dialog: Any) -> dict[str, tuple[str, str, str]]:
    table = dialog.counts
    return {
        table.item(r, 0).text(): tuple(table.item(r, c).text() for c in (1, 2, 3))
        for r in range(table.rowCount())
    }


def test_ctdl_import_through_the_menu_saves_opens_and_offers_the_goal(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, window: MainWindow
) -> None:
    source = tmp_path / "network.jsonld"
    source.write_text(json.dumps(pathway_document()), encoding="utf-8")
    choose_files(monkeypatch, source)
    window.importer.actions["ctdl"].trigger()
    dialog = report_of(qtbot, window)

    report = dialog.outcome.result.report
    rows = table_rows(dialog)
    assert rows["Certificate"] == ("1", "1", "0")
    assert rows["CredentialType"] == ("1", "0", "1")
    assert rows["Pathway"] == ("1", "1", "0")
    assert len(rows) == len(report.types())
    assert "Imported 3 credentials</b> from network.jsonld: 1 provider" in dialog.headline.text()
    assert dialog.name.text() == "Network Technician Pathway"
    assert dialog.pathways.count() == 1
    assert dialog.pathways.itemText(0) == (
        "Network Technician Pathway → Network Technician Certificate"
    )
    assert dialog.goal() == ctid(1)
    # Every note is in the tree, grouped by reason, the records named.
    tree = dialog.notes
    listed = sum(tree.topLevelItem(i).childCount() for i in range(tree.topLevelItemCount()))
    assert listed == len(report.notes) > 0
    texts = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert any("no price given" in t for t in texts)

    # Cancelling the save dialog goes back to the report.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    dialog.save_button.click()
    assert window.importer.report_dialog is dialog
    assert dialog.isVisible()
    assert window.catalog.name == "test catalogue"

    saved = tmp_path / "imported"  # no suffix typed: .json is added
    save_to(monkeypatch, saved)
    with qtbot.waitSignal(window.catalog_opened, timeout=30000) as opened:
        dialog.save_button.click()
    assert opened.args == [True]
    assert window.catalog.name == "Network Technician Pathway"
    assert window.windowTitle().startswith("Network Technician Pathway")
    assert len(window.catalog.credentials) == 3
    assert load_catalog(saved.with_suffix(".json")).catalog == window.catalog
    assert window.recent_catalogues()[0] == str(saved.with_suffix(".json").resolve())
    assert window.planner.goal_id() == ctid(1)
    assert window.importer.report_dialog is None
    qtbot.waitUntil(lambda: not window.tasks.busy)


def test_several_files_make_one_catalogue_with_a_short_name(
    qtbot: Any, tmp_path: Path, window: MainWindow
) -> None:
    paths = []
    for n in (1, 2, 3):
        path = tmp_path / f"part{n}.json"
        path.write_text(json.dumps(graph(record(n, name=f"Badge {n}"))), encoding="utf-8")
        paths.append(path)
    window.importer.start("ctdl", paths)
    dialog = report_of(qtbot, window)
    assert "from part1.json, part2.json, part3.json:" in dialog.headline.text()
    assert dialog.name.text() == "part1 and 2 more"
    assert dialog.catalog().name == "part1 and 2 more"
    assert len(dialog.catalog().credentials) == 3
    dialog.reject()


def test_real_ctdl_pathway_opens_unsaved_with_its_destination(
    qtbot: Any, window: MainWindow, shared_data: Path
) -> None:
    source = shared_data / "ctdl" / "pathways" / "comptia_it_networking_specialist.jsonld"
    window.importer.start("ctdl", [source])
    dialog = report_of(qtbot, window)
    result = dialog.outcome.result
    assert result.catalog is not None
    assert table_rows(dialog)["Certification"] == ("8", "8", "0")
    destination = result.report.pathways[0]["destination"]
    assert dialog.goal() == destination
    with qtbot.waitSignal(window.catalog_opened, timeout=30000):
        dialog.open_button.click()
    assert window.catalog == result.catalog
    assert window.planner.goal_id() == destination
    assert "from the import: press Plan" in window.planner.message.text()
    assert "not saved" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.tasks.busy)


@pytest.mark.parametrize(
    ("key", "name", "content", "problem"),
    [
        ("ctdl", "bad.json", "{not json", "bad.json: not valid JSON at line 1"),
        (
            "csv",
            "sheet.csv",
            "id,name,kind,cost\na,A,badge,10\nb,B,badge,cheap\n",
            "sheet.csv: row 3, column 'cost'",
        ),
    ],
)
def test_a_failed_import_shows_the_problem_and_changes_nothing(  # noqa: PLR0917 (parameters)
    qtbot: Any, tmp_path: Path, window: MainWindow, key: str, name: str, content: str, problem: str
) -> None:
    before = window.catalog
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    window.importer.start(key, [bad])
    dialog = report_of(qtbot, window)
    assert f"Nothing was imported from {name}" in dialog.headline.text()
    assert problem in dialog.errors.toPlainText()
    assert "Traceback" not in dialog.errors.toPlainText()
    assert [b.objectName() for b in dialog.buttons.buttons()] == ["Close"]
    dialog.buttons.buttons()[0].click()
    qtbot.waitUntil(lambda: window.importer.report_dialog is None)
    assert window.catalog is before


def test_skills_are_added_to_the_open_catalogue(
    qtbot: Any, tmp_path: Path, window: MainWindow
) -> None:
    skills = tmp_path / "skills.json"
    skills.write_text(
        json.dumps(
            [
                {
                    "type": "RichSkillDescriptor",
                    "id": "https://osmt.example.org/api/skills/u-1",
                    "uuid": "u-1",
                    "skillName": "Network troubleshooting",
                }
            ]
        ),
        encoding="utf-8",
    )
    before = window.catalog
    window.importer.start("rsd", [skills])
    dialog = report_of(qtbot, window)
    assert "1 new skill added" in dialog.headline.text()
    with qtbot.waitSignal(window.catalog_opened, timeout=30000):
        dialog.open_button.click()
    assert {s.id for s in window.catalog.skills} == {s.id for s in before.skills} | {"u-1"}
    assert window.catalog.credentials == before.credentials
    qtbot.waitUntil(lambda: not window.tasks.busy)


CURRICULUM = """Curriculum,Example B,,,,,,,,
Institution,Test College,,,,,,,,
Degree Type,BS,,,,,,,,
Courses,,,,,,,,,
Course ID,Course Name,Prefix,Number,Prerequisites,Corequisites,Strict-Corequisites,Credit Hours
1,Programming I,CS,101,,,,3
2,Discrete Mathematics,MA,120,,,,4
3,Data Structures,CS,201,"1;2",,,3
"""


def test_curricular_analytics_csv_through_the_menu(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, window: MainWindow
) -> None:
    source = tmp_path / "example-b.csv"
    source.write_text(CURRICULUM, encoding="utf-8")
    choose_files(monkeypatch, source)
    window.importer.actions["curricular-analytics"].trigger()
    dialog = report_of(qtbot, window)
    assert table_rows(dialog)["course"] == ("3", "3", "0")
    dialog.name.setText("Example B at Test College")  # the user names the catalogue
    assert dialog.goal() == "example-b"  # the curriculum's degree is offered as the goal
    with qtbot.waitSignal(window.catalog_opened, timeout=30000):
        dialog.open_button.click()
    assert window.planner.goal_id() == "example-b"
    assert window.catalog.credential("cs-201").requires is not None
    assert window.catalog.credential("example-b").name == "Example B"
    assert window.catalog.name == "Example B at Test College"
    qtbot.waitUntil(lambda: not window.tasks.busy)


def test_cancel_in_the_progress_dialog_stops_the_import(
    qtbot: Any, tmp_path: Path, window: MainWindow
) -> None:
    source = tmp_path / "network.jsonld"
    source.write_text(json.dumps(pathway_document()), encoding="utf-8")
    # Keep both worker threads busy so that the import is still queued when Cancel is pressed.
    release = threading.Event()
    blockers = [window.tasks.start("hold", lambda _p, _c: release.wait(10)) for _ in range(2)]
    before = window.catalog
    task = window.importer.start("ctdl", [source])
    assert task is not None
    assert window.importer.progress is not None
    window.importer.progress.findChild(QPushButton).click()  # its Cancel button
    release.set()
    qtbot.waitUntil(lambda: task.done and all(b.done for b in blockers), timeout=30000)
    assert window.importer.report_dialog is None
    assert window.importer.progress is None
    assert window.catalog is before
    assert window.statusBar().currentMessage() == "Import cancelled: nothing was changed."


def test_a_cancelled_import_produces_nothing(tmp_path: Path, window: MainWindow) -> None:
    source = tmp_path / "network.jsonld"
    source.write_text(json.dumps(pathway_document()), encoding="utf-8")
    for key in ("ctdl", "csv"):
        with pytest.raises(ImportCancelledError):
            run_import(SOURCES[key], [source], window.catalog, lambda _f, _m: None, lambda: True)


def plan_degree(qtbot: Any, window: MainWindow) -> Any:
    window.set_goal("degree")
    window.planner.plan_button.click()
    qtbot.waitUntil(lambda: window._planning is None and window.plan_view.current is not None)
    qtbot.waitUntil(lambda: not window.tasks.busy)
    return window.plan_view.current


def unfolded(ics: str) -> list[str]:
    """RFC 5545 lines: CRLF separated, continuation lines start with a space."""
    assert ics.endswith("\r\n")
    lines: list[str] = []
    for line in ics[:-2].split("\r\n"):
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def test_exports_write_files_that_read_back(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, window: MainWindow
) -> None:
    exporter = window.exporter
    assert not exporter.plan_ics(tmp_path / "none.ics")  # no plan yet
    assert not (tmp_path / "none.ics").exists()
    plan = plan_degree(qtbot, window)
    catalog = window.catalog

    # The menu path: the file dialog's answer gets the suffix.
    save_to(monkeypatch, tmp_path / "plan")
    exporter.update_actions()
    assert all(a.isEnabled() for a in exporter.plan_actions)
    exporter.plan_actions[0].trigger()
    lines = unfolded((tmp_path / "plan.ics").read_bytes().decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    events = [block.split("END:VEVENT")[0] for block in "\n".join(lines).split("BEGIN:VEVENT")[1:]]
    assert len(events) == len(plan.steps)
    for event, step in zip(events, plan.steps, strict=True):
        start = plan.start_date + timedelta(weeks=step.start_week)
        assert f"SUMMARY:{catalog.credential(step.id).name}" in event.splitlines()
        assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in event.splitlines()

    assert exporter.plan_json(tmp_path / "plan.json")
    assert json.loads((tmp_path / "plan.json").read_text(encoding="utf-8")) == plan.to_json()

    assert exporter.plan_ctdl(tmp_path / "pathway.jsonld")
    pathway = import_ctdl_files([tmp_path / "pathway.jsonld"])
    assert pathway.catalog is not None
    assert pathway.report.pathways[0]["destination"] == "degree"
    assert {s.id for s in plan.steps} <= set(pathway.catalog.credentials_by_id)

    assert exporter.catalogue_csv(tmp_path / "catalogue.csv")
    assert import_csv(tmp_path / "catalogue.csv", name=catalog.name).catalog == catalog
    assert exporter.catalogue_ctdl(tmp_path / "catalogue.jsonld")
    assert import_ctdl_files([tmp_path / "catalogue.jsonld"]).catalog == catalog


def test_an_export_to_an_unwritable_place_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, window: MainWindow
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        "pathplanner.ui.export_actions.QMessageBox.warning",
        lambda _parent, _title, text: shown.append(text),
    )
    target = tmp_path / "missing-folder" / "catalogue.csv"
    assert not window.exporter.catalogue_csv(target)
    assert shown
    assert str(target) in shown[0]
    assert "Choose another folder" in shown[0]
