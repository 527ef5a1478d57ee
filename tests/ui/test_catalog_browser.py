"""The catalogue browser: item model, search as you type, filters, details."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from pathplanner.catalog import LoadedCatalog
from pathplanner.graph import build_graph
from pathplanner.model import Delivery, Kind
from pathplanner.ui.catalog_browser import CatalogBrowser, details_html
from pathplanner.ui.catalog_model import COLUMNS, CredentialTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def browser(qtbot: Any, loaded_small: LoadedCatalog) -> CatalogBrowser:
    widget = CatalogBrowser(loaded_small.catalog, build_graph(loaded_small.catalog))
    qtbot.addWidget(widget)
    return widget


def names(browser: CatalogBrowser) -> list[str]:
    return [browser.proxy.index(r, 0).data() for r in range(browser.proxy.rowCount())]


def test_models_pass_the_model_tester(qtmodeltester: Any, browser: CatalogBrowser) -> None:
    qtmodeltester.check(browser.model)
    qtmodeltester.check(browser.proxy)


def test_search_matches_name_provider_and_skill_as_you_type(
    qtbot: Any, browser: CatalogBrowser
) -> None:
    qtbot.keyClicks(browser.search, "python")  # the skill "Python programming" and the name
    assert names(browser) == ["Python Basics"]
    browser.search.clear()
    qtbot.keyClicks(browser.search, "alpha college")  # provider name
    assert names(browser) == [
        "Statistics Certificate",
        "Data Analyst Certificate",
        "BSc Data Science",
    ]
    browser.search.setText("SQL")  # skill name, any case
    assert names(browser) == ["Intro to SQL"]
    assert browser.count.text() == "1 of 6"


def test_filters_by_kind_delivery_provider_cost_and_weeks(browser: CatalogBrowser) -> None:
    browser.kind.setCurrentIndex(browser.kind.findData(Kind.BADGE))
    assert names(browser) == ["Intro to SQL", "Python Basics"]
    browser.max_cost.setValue(60)
    assert names(browser) == ["Intro to SQL"]
    browser.clear_filters()
    browser.delivery.setCurrentIndex(browser.delivery.findData(Delivery.IN_PERSON))
    assert names(browser) == ["Statistics Certificate"]
    browser.clear_filters()
    browser.provider.setCurrentIndex(browser.provider.findData("beta"))
    browser.max_weeks.setValue(3)
    assert names(browser) == ["Intro to SQL"]


def test_cost_sorts_as_a_number(browser: CatalogBrowser) -> None:
    browser.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    # the degree sorts by its price before transfer credit (4,000), not its 1,000 fixed part
    assert names(browser)[:2] == ["BSc Data Science", "Analytics Bootcamp"]


def test_cost_and_weeks_are_in_view_in_a_narrow_dock(qtbot: Any, browser: CatalogBrowser) -> None:
    browser.resize(360, 500)  # the dock's default width
    browser.show()
    qtbot.waitExposed(browser)
    table = browser.table
    for column in (COLUMNS.index("Cost"), COLUMNS.index("Weeks")):
        left = table.columnViewportPosition(column)
        assert left >= 0
        assert left + table.columnWidth(column) <= table.viewport().width()
    assert table.model().headerData(3, Qt.Orientation.Horizontal) == "Cost (USD)"  # model order


def test_details_say_what_it_requires_stacks_into_and_where_it_comes_from(
    browser: CatalogBrowser, loaded_small: LoadedCatalog
) -> None:
    assert browser.select("intro-sql")
    text = browser.details.toPlainText()
    assert "Intro to SQL" in text
    assert "nothing (entry)" in text
    assert "Stacks into" in text
    assert "Data Analyst Certificate" in text
    assert "https://example.org/intro-sql" in text
    catalog = loaded_small.catalog
    analyst = details_html(catalog, build_graph(catalog), catalog.credential("analyst"))
    assert "2 of (intro-sql, python-basics, statistics)" in analyst


def test_select_clears_filters_that_hide_the_credential(browser: CatalogBrowser) -> None:
    browser.search.setText("python")
    assert browser.select("degree")
    assert browser.search.text() == ""
    assert browser.current_credential() is not None


def test_double_click_asks_to_show_it_in_the_graph(qtbot: Any, browser: CatalogBrowser) -> None:
    browser.show()
    browser.select("analyst")
    rect = browser.table.visualRect(browser.table.currentIndex())
    with qtbot.waitSignal(browser.show_in_graph) as blocker:
        # A real double click is a press/release and then the double-click event.
        qtbot.mouseClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["analyst"]


def test_held_credentials_are_marked_in_the_table(browser: CatalogBrowser) -> None:
    browser.model.set_held(frozenset({"analyst"}))
    marked = [
        browser.model.index(r, 0).data(CredentialTableModel.CredentialRole).id
        for r in range(browser.model.rowCount())
        if browser.model.index(r, 0).data().endswith("✓")
    ]
    assert marked == ["analyst"]


def test_credit_blocks_show_their_price_before_transfer_credit(
    browser: CatalogBrowser, loaded_small: LoadedCatalog
) -> None:
    """A degree lists fixed part + credits x price, not just its application fee."""
    assert browser.select("degree")
    row = browser.table.currentIndex().row()
    cells = [browser.proxy.index(row, column).data() for column in (3, 4, 5)]
    assert cells == ["4,000", "40", "500"]  # 1,000 + 30 x 100; 10 + 30 x 1 weeks; 200 + 30 x 10 h
    assert "4,000.00 USD before transfer credit (1,000.00 fixed + 30 credits at 100.00 each)" in (
        browser.details.toPlainText()
    )
