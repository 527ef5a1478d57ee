"""The plan dock: steps model, totals, timeline, trade-off chart and infeasible requests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from pathplanner.catalog import LoadedCatalog, load_catalog
from pathplanner.graph.planner import Plan, PlanRequest, pareto_front, plan
from pathplanner.ui.charts import TimelineChart, tick_label
from pathplanner.ui.plan_export import plan_csv, timeline_image, write_pdf
from pathplanner.ui.plan_summary import readable, totals, weekly_load
from pathplanner.ui.plan_view import PlanView
from pathplanner.ui.theme import dark_palette
from tests.ui.conftest import small_catalog

pytestmark = pytest.mark.gui
START = date(2027, 1, 4)


@pytest.fixture
def view(qtbot: Any) -> PlanView:
    widget = PlanView()
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    return widget


def cheapest(loaded: LoadedCatalog, **extra: Any) -> Plan:
    return plan(loaded.catalog, PlanRequest(goal="degree", start_date=START, **extra))


def test_steps_in_order_with_dates_costs_and_why(
    qtmodeltester: Any, view: PlanView, loaded_small: LoadedCatalog
) -> None:
    result = cheapest(loaded_small)
    view.set_plans([result], loaded_small.catalog)
    qtmodeltester.check(view.model)
    rows = [[view.model.index(r, c).data() for c in range(5)] for r in range(view.model.rowCount())]
    assert rows == [
        ["1", "Intro to SQL", "Beta Academy", "2027-01-04", "2027-01-17"],
        ["2", "Statistics Certificate", "Alpha College", "2027-01-04", "2027-02-14"],
        ["3", "Data Analyst Certificate", "Alpha College", "2027-02-15", "2027-05-09"],
        ["4", "BSc Data Science", "Alpha College", "2027-05-10", "2027-10-10"],
    ]
    assert view.model.index(3, 5).data() == "2,200"
    assert view.model.index(3, 7).data() == "18 cr"
    # The planner's reason, credential ids in it shown by name.
    assert view.model.index(1, 8).data() == (
        "satisfies '2 of (Intro to SQL, Python Basics, Statistics Certificate)' of "
        "Data Analyst Certificate; brings 6 transfer credits into BSc Data Science, saving $600"
    )
    summary = view.summary.text()
    assert "3,450 USD" in summary
    assert "proven optimal" in summary
    assert "saves 1,800 USD" in summary  # 18 transferred credits at 100 each
    # the busiest week: statistics (10 h) beside intro-sql (5 h); no hours limit was asked for
    assert "up to 15.0 h/week (no limit set in Hours per week)" in summary
    assert "it takes python-basics instead of intro-sql" in result.explanation
    assert "it takes Python Basics instead of Intro to SQL" in view.explanation.toPlainText()


def test_totals_and_weekly_load_by_hand(loaded_small: LoadedCatalog) -> None:
    result = cheapest(loaded_small)
    t = totals(result, loaded_small.catalog)
    assert (t.cost, t.weeks, t.steps, t.transferred_credits) == (3450, 40, 4, 18)
    assert t.saved_by_transfer == 1800
    assert t.hours == 10 + 60 + 120 + (200 + 10 * 12)
    load = weekly_load(result)
    assert len(load) == 40
    assert load[0] == pytest.approx(10 / 2 + 60 / 6)  # intro and statistics together
    assert load[10] == pytest.approx(120 / 12)
    assert load[39] == pytest.approx(320 / 22)


def test_infeasible_requests_are_explained_in_words(
    view: PlanView, loaded_small: LoadedCatalog
) -> None:
    result = cheapest(loaded_small, budget=100)
    view.set_plans([result], loaded_small.catalog)
    assert "No plan meets these constraints" in view.summary.text()
    assert "budget" in view.summary.text()
    assert view.model.rowCount() == 0


def test_a_plan_under_an_hours_limit_shows_its_busiest_week(
    view: PlanView, loaded_small: LoadedCatalog
) -> None:
    view.set_plans([cheapest(loaded_small, hours_per_week=20)], loaded_small.catalog)
    summary = view.summary.text()
    assert "up to " in summary
    assert "h/week" in summary
    assert "no limit set" not in summary


def test_an_infeasible_request_names_credentials_not_ids(
    view: PlanView, loaded_small: LoadedCatalog
) -> None:
    result = cheapest(loaded_small, hours_per_week=1)
    assert "degree needs" in result.explanation  # the planner speaks in ids
    view.set_plans([result], loaded_small.catalog)
    assert "goal BSc Data Science cannot be reached: BSc Data Science needs" in (
        view.summary.text()
    )
    assert "goal degree" not in view.explanation.toPlainText()
    assert "then press Plan again" in view.summary.text()  # and what to do about it


def test_readable_replaces_whole_ids_only(loaded_small: LoadedCatalog) -> None:
    catalog = loaded_small.catalog
    assert readable("takes intro-sql.", catalog) == "takes Intro to SQL."
    assert readable("intro-sql-2, my-degree, degrees", catalog) == "intro-sql-2, my-degree, degrees"


def test_trade_off_chart_click_selects_a_plan(
    qtbot: Any, view: PlanView, loaded_small: LoadedCatalog
) -> None:
    front = pareto_front(loaded_small.catalog, PlanRequest(goal="degree", start_date=START))
    # The ends of the front are the fastest and the cheapest plans worked out by hand.
    assert (front[0].total_cost, front[0].finish_week) == (4400, 22)
    assert (front[-1].total_cost, front[-1].finish_week) == (3450, 40)
    last = len(front) - 1
    shown: list[Plan] = []
    view.plan_selected.connect(shown.append)
    view.set_plans(front, loaded_small.catalog)
    assert view.tabs.currentIndex() == 1
    qtbot.waitExposed(view.trade_off)
    view.trade_off.repaint()
    point = view.trade_off.point_of(last).toPoint()
    qtbot.mouseClick(view.trade_off, Qt.MouseButton.LeftButton, pos=point)
    assert view.current is front[last]
    assert shown[-1] is front[last]
    assert f"plan {last + 1} of {len(front)}" in view.summary.text()
    qtbot.keyClick(view.trade_off, Qt.Key.Key_Left)
    assert view.current is front[last - 1]


def test_timeline_draws_bars_and_the_capacity_line(qtbot: Any, loaded_small: LoadedCatalog) -> None:
    result = cheapest(loaded_small, hours_per_week=20)
    image = timeline_image(result, loaded_small.catalog, width=800)
    assert image.height() > 100
    red = [
        y
        for x in range(0, image.width(), 2)
        for y in range(image.height())
        if image.pixelColor(x, y).red() > 180 and image.pixelColor(x, y).green() < 110
    ]
    assert len(red) > 100  # the dashed capacity line across the load chart
    # The load chart is under the dates, above the steps' bars: in view in a short dock.
    assert max(red) < 24 + TimelineChart.LOAD_HEIGHT + 8


def test_timeline_rows_tell_their_step_in_full_on_hover(
    qtbot: Any, view: PlanView, loaded_small: LoadedCatalog
) -> None:
    view.set_plans([cheapest(loaded_small)], loaded_small.catalog)
    chart = view.timeline
    row_height = TimelineChart.ROW
    first_row = 24 + TimelineChart.LOAD_HEIGHT + 8  # under the dates and the weekly load
    assert chart.step_at(first_row + row_height * 2.5) == 2
    assert chart.step_at(first_row - 4) is None  # the load chart
    assert chart.step_at(first_row + row_height * 4.5) is None  # under the last step
    position = QPoint(300, int(first_row + row_height * 2.5))
    qtbot.waitExposed(chart)
    QApplication.sendEvent(
        chart, QHelpEvent(QEvent.Type.ToolTip, position, chart.mapToGlobal(position))
    )
    assert QToolTip.text() == chart.step_tooltip(2)
    assert chart.step_tooltip(2).split("\n") == [
        "3. Data Analyst Certificate",
        "Alpha College",
        "15 Feb 2027 to 09 May 2027 · 10.0 h/week · 900 USD",
        "satisfies 'any of (Data Analyst Certificate, Analytics Bootcamp)' of "
        "BSc Data Science; brings 12 transfer credits into BSc Data Science, saving $1,200",
    ]


def test_timeline_dates_carry_the_whole_year() -> None:
    assert tick_label(date(2026, 11, 30), 2) == "30 Nov 2026"  # was "30 Nov 26"
    assert tick_label(date(2026, 11, 30), 13) == "Nov 2026"  # ticks months apart


def test_timeline_gives_long_names_room_when_it_is_wide(qtbot: Any, write_catalog: Any) -> None:
    data = small_catalog()
    name = "Bachelor of Science in Data Science and Applied Analytics"
    data["credentials"][-1]["name"] = name
    catalog = load_catalog(write_catalog(data, "long.json")).catalog
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.set_plan(plan(catalog, PlanRequest(goal="degree", start_date=START)), catalog)
    font = QFont(chart.font())
    font.setPointSizeF(8)  # the chart's own
    metrics = QFontMetricsF(font)
    whole = metrics.horizontalAdvance(f"4. {name}")
    assert whole > TimelineChart.LABEL_WIDTH  # was cut off at any width
    assert chart.label_width(1400, metrics) >= whole
    assert chart.label_width(500, metrics) == TimelineChart.LABEL_WIDTH  # the bars keep room


def test_empty_view_asks_for_a_goal(view: PlanView) -> None:
    assert "Choose a goal to start" in view.summary.text()
    image = QImage(400, 100, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    view.timeline.render_chart(painter, image.rect().toRectF())
    painter.end()


def test_csv_has_one_row_per_step(tmp_path: Path, loaded_small: LoadedCatalog) -> None:
    text = plan_csv(cheapest(loaded_small), loaded_small.catalog)
    lines = text.splitlines()
    assert lines[0].startswith("order,id,credential,provider,start,finish")
    assert lines[4].startswith("4,degree,BSc Data Science,Alpha College,2027-05-10,2027-10-10")
    assert len(lines) == 5


@pytest.mark.parametrize(("page", "size"), [("A4", (595, 842)), ("Letter", (612, 792))])
def test_pdf_pages_are_a4_or_letter(
    tmp_path: Path, loaded_small: LoadedCatalog, page: str, size: tuple[int, int]
) -> None:
    pdf = tmp_path / f"{page}.pdf"
    write_pdf(cheapest(loaded_small), loaded_small.catalog, pdf, learner="Ana", page=page)
    box = PdfReader(pdf).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    text = " ".join(PdfReader(pdf).pages[0].extract_text().split())
    assert "Ana" in text
    assert "BSc Data Science" in text


def test_the_selected_step_is_shown_whole_under_the_table(
    view: PlanView, loaded_small: LoadedCatalog
) -> None:
    view.resize(700, 500)  # the Why column is cut at this width
    view.set_plans([cheapest(loaded_small)], loaded_small.catalog)
    assert view.step_details.isVisible()
    assert "1. Intro to SQL" in view.step_details.text()  # the first step until one is chosen
    view.steps.selectRow(1)
    why = (
        "satisfies '2 of (Intro to SQL, Python Basics, Statistics Certificate)' of "
        "Data Analyst Certificate; brings 6 transfer credits into BSc Data Science, saving $600"
    )
    column = view.steps.columnWidth(8)
    assert view.steps.fontMetrics().horizontalAdvance(why) > column  # cut in the table
    text = view.step_details.text()
    assert "2. Statistics Certificate" in text
    assert "Alpha College" in text
    assert f"Why: {why}" in text
    view.show_message("Choose a goal to start, then press Plan.")
    assert not view.step_details.isVisible()


def grid_pixel(palette: QPalette, loaded: LoadedCatalog) -> tuple[QColor, QColor]:
    """The timeline drawn on its window colour: the colour of the first date's grid line just
    above the weekly load, and the background."""
    chart = TimelineChart()
    chart.setPalette(palette)
    chart.set_plan(cheapest(loaded), loaded.catalog)
    background = palette.color(QPalette.ColorRole.Window)
    image = QImage(800, chart.height(), QImage.Format.Format_ARGB32)
    image.fill(background)
    painter = QPainter(image)
    chart.render_chart(painter, image.rect().toRectF())
    painter.end()
    font = QFont(chart.font())
    font.setPointSizeF(8)
    left = chart.label_width(800, QFontMetricsF(font))  # week 0
    y = 24 - 2  # the lines start 4 pixels above the load chart, under the date labels
    line = max(
        (image.pixelColor(x, y) for x in range(int(left) - 1, int(left) + 2)),
        key=lambda c: abs(c.lightness() - background.lightness()),
    )
    return line, background


def test_timeline_grid_is_faint_in_dark_and_light_mode(
    qtbot: Any, loaded_small: LoadedCatalog
) -> None:
    light = QApplication.style().standardPalette()
    for palette in (dark_palette(), light):
        line, background = grid_pixel(palette, loaded_small)
        contrast = abs(line.lightness() - background.lightness())
        # a line, but a faint one: #d1d5db on the dark window differed by 170
        assert 10 <= contrast <= 80, (palette is light, line.name(), background.name())
    dark_line, dark_background = grid_pixel(dark_palette(), loaded_small)
    assert dark_line.lightness() > dark_background.lightness()  # lighter than the dark window
