"""Two small charts drawn with QPainter: the plan's timeline with its weekly load, and the
cost-versus-finish chart of trade-off plans (no QtCharts dependency)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from pathplanner.model import Catalog
from pathplanner.ui.graph_items import KIND_COLOURS
from pathplanner.ui.plan_summary import (
    credential_name,
    money,
    provider_name,
    readable,
    step_dates,
    weekly_load,
)
from pathplanner.ui.theme import blend

if TYPE_CHECKING:  # the planner (SciPy) loads in the background after start-up
    from pathplanner.graph.planner import Plan

CAPACITY_COLOUR = QColor("#dc2626")
CAPACITY_TEXT_COLOUR = QColor("#ef4444")  # readable on light and dark windows alike
LOAD_COLOUR = QColor("#60a5fa")
OVER_COLOUR = QColor("#f87171")


def tick_label(day: date, every_weeks: int) -> str:
    """A date on the timeline's axis, with its full year ("30 Nov 26" read as a day 26).
    Ticks 8 or more weeks apart fall in different months, so the month is enough there."""
    return day.strftime("%b %Y" if every_weeks >= 8 else "%d %b %Y")


class TimelineChart(QWidget):
    """Under a date axis, the weekly load in hours against the learner's capacity (a red line),
    then Gantt bars, one row per step."""

    ROW = 20
    LOAD_HEIGHT = 64
    LABEL_WIDTH = 190  # the least room for the step names; more when the chart is wide

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Plan timeline")
        self.plan: Plan | None = None
        self.catalog: Catalog | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(400)

    def set_plan(self, plan: Plan | None, catalog: Catalog | None) -> None:
        self.plan, self.catalog = plan, catalog
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        rows = len(self.plan.steps) if self.plan else 0
        return QSize(700, 40 + rows * self.ROW + self.LOAD_HEIGHT + 40 if rows else 60)

    def step_at(self, y: float) -> int | None:
        """The step whose row is at height ``y`` in the widget (see ``render_chart``)."""
        if self.plan is None:
            return None
        row = int((y - (24 + self.LOAD_HEIGHT + 8)) // self.ROW)
        return row if 0 <= row < len(self.plan.steps) and y >= 0 else None

    def step_tooltip(self, row: int) -> str:
        """A step in full: the chart has room for a bar, not its dates, cost and reason."""
        plan, catalog = self.plan, self.catalog
        if plan is None or catalog is None:
            return ""
        step = plan.steps[row]
        start, finish = step_dates(plan, step)
        lines = [
            f"{row + 1}. {credential_name(catalog, step.id)}",
            provider_name(catalog, step.id),
            f"{start:%d %b %Y} to {finish:%d %b %Y} · {step.hours_per_week:.1f} h/week · "
            f"{money(step.cost, catalog.currency)}",
        ]
        if step.reason:
            lines.append(readable(step.reason, catalog))
        return "\n".join(line for line in lines if line)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.step_at(event.pos().y())
            if row is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.step_tooltip(row), self)
            return True
        return super().event(event)

    def label_width(self, width: float, metrics: QFontMetricsF) -> float:
        """Room for the step names: what the longest needs, up to a third of the chart (the
        bars keep two thirds), never less than LABEL_WIDTH."""
        if self.plan is None or self.catalog is None:
            return self.LABEL_WIDTH
        longest = max(
            (
                metrics.horizontalAdvance(f"{row + 1}. {credential_name(self.catalog, s.id)}")
                for row, s in enumerate(self.plan.steps)
            ),
            default=0.0,
        )
        return max(self.LABEL_WIDTH, min(longest + 12, width / 3))

    def colours(self, *, for_print: bool = False) -> tuple[QColor, QColor, QColor]:
        """Text, date labels and grid lines: from the palette on screen, so that the grid is
        a faint line in dark mode as in light (a fixed light grey glared on a dark window);
        black on white in print."""
        if for_print:
            return QColor("black"), QColor("#4b5563"), QColor("#d1d5db")
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        return text, blend(background, text, 0.7), blend(background, text, 0.2)

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        painter = QPainter(self)
        self.render_chart(painter, QRectF(self.rect()))
        painter.end()

    def render_chart(self, painter: QPainter, area: QRectF, *, for_print: bool = False) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text, muted, grid = self.colours(for_print=for_print)
        plan, catalog = self.plan, self.catalog
        font = QFont(painter.font())
        font.setPointSizeF(8)
        painter.setFont(font)
        metrics = QFontMetricsF(font)
        if plan is None or catalog is None or not plan.steps:
            painter.setPen(text)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, "No steps to show.")
            return
        weeks = max(plan.finish_week, 1)
        label_width = self.label_width(area.width(), metrics)
        left = area.left() + label_width
        right = area.right() - 10
        top = area.top() + 24
        # The weekly load against capacity comes first, under the dates: it stays in view
        # however many steps there are (below them it scrolled out of a short dock).
        bars_top = top + self.LOAD_HEIGHT + 8
        scale = (right - left) / weeks

        def x_of(week: float) -> float:
            return left + week * scale

        # Axis: a tick and date label every few weeks, chosen so labels do not collide.
        every = max(1, int(80 / scale) + 1)  # room for a "30 Nov 2026" label
        for nice in (1, 2, 4, 8, 13, 26, 52, 104):
            if nice >= every:
                every = nice
                break
        bottom = top + len(plan.steps) * self.ROW + self.LOAD_HEIGHT + 8
        for week in range(0, weeks + 1, every):
            x = x_of(week)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, top - 4), QPointF(x, bottom))
            painter.setPen(muted)
            label = tick_label(plan.start_date + timedelta(weeks=week), every)
            if x + 2 + metrics.horizontalAdvance(label) <= area.right():  # no clipped label
                painter.drawText(QPointF(x + 2, area.top() + 12), label)
        for row, step in enumerate(plan.steps):
            y = bars_top + row * self.ROW
            credential = catalog.credentials_by_id.get(step.id)
            colour = QColor(
                KIND_COLOURS.get(credential.kind.value if credential else "other", "#e5e7eb")
            )
            painter.setPen(text)
            label = metrics.elidedText(
                f"{row + 1}. {credential_name(catalog, step.id)}",
                Qt.TextElideMode.ElideRight,
                label_width - 8,
            )
            painter.drawText(
                QRectF(area.left(), y, label_width - 6, self.ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
            bar = QRectF(
                x_of(step.start_week),
                y + 3,
                max((step.finish_week - step.start_week) * scale, 2),
                self.ROW - 6,
            )
            painter.setPen(QPen(QColor("#374151"), 1))
            painter.setBrush(colour)
            painter.drawRoundedRect(bar, 3, 3)
            load_text = f"{step.hours_per_week:.1f} h/wk"
            if metrics.horizontalAdvance(load_text) + 6 < bar.width():
                painter.setPen(QColor("#111827"))
                painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, load_text)
        # Weekly load against capacity.
        load = weekly_load(plan)
        capacity = plan.request.hours_per_week
        load_top = top
        peak = max([*load, capacity or 0.0, 1.0])
        unit = (self.LOAD_HEIGHT - 8) / peak
        painter.setPen(text)
        label_box = QRectF(area.left(), load_top, label_width - 6, self.LOAD_HEIGHT)
        painter.drawText(
            label_box,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            f"Weekly load (peak {max(load, default=0):.1f} h)",
        )
        if capacity is not None:  # named beside the chart: over the bars it was hard to read
            painter.setPen(CAPACITY_COLOUR if for_print else CAPACITY_TEXT_COLOUR)
            painter.drawText(
                label_box.adjusted(0, metrics.height() * 2, 0, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                f"- - capacity {capacity:g} h/week",
            )
        base = load_top + self.LOAD_HEIGHT
        painter.setPen(Qt.PenStyle.NoPen)
        for week, hours in enumerate(load):
            over = capacity is not None and hours > capacity + 1e-9
            painter.setBrush(OVER_COLOUR if over else LOAD_COLOUR)
            painter.drawRect(
                QRectF(x_of(week), base - hours * unit, max(scale - 0.5, 0.5), hours * unit)
            )
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(left, base), QPointF(right, base))
        if capacity is not None:
            pen = QPen(CAPACITY_COLOUR, 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = base - capacity * unit
            painter.drawLine(QPointF(left, y), QPointF(right, y))


class TradeOffChart(QWidget):
    """Cost (up) against finish week (right) of the Pareto plans; a click selects a plan."""

    plan_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Cost versus finish of the trade-off plans")
        self.plans: list[Plan] = []
        self.currency = ""
        self.selected = -1
        self.setMinimumSize(360, 120)  # the Plan dock is short on a 800-pixel screen
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._points: list[QPointF] = []

    def set_plans(self, plans: list[Plan], currency: str, selected: int = 0) -> None:
        self.plans, self.currency = list(plans), currency
        self.selected = selected if plans else -1
        self.update()

    def set_selected(self, index: int) -> None:
        self.selected = index
        self.update()

    def keyPressEvent(self, event: object) -> None:  # noqa: N802
        key = event.key()  # type: ignore[attr-defined]
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.plans:
            step = -1 if key == Qt.Key.Key_Left else 1
            self.plan_clicked.emit(min(max(self.selected + step, 0), len(self.plans) - 1))
        else:
            super().keyPressEvent(event)  # type: ignore[arg-type]

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        position = event.position()
        best, distance = -1, 15.0**2
        for index, point in enumerate(self._points):
            d = (point.x() - position.x()) ** 2 + (point.y() - position.y()) ** 2
            if d < distance:
                best, distance = index, d
        if best >= 0:
            self.plan_clicked.emit(best)

    def point_of(self, index: int) -> QPointF:
        return self._points[index]

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        area = QRectF(self.rect()).adjusted(70, 30, -20, -36)
        self._points = []
        if not self.plans:
            painter.setPen(text)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                "Plan with the trade-off objective to compare cost and finish.",
            )
            return
        weeks = [p.finish_week for p in self.plans]
        costs = [p.total_cost for p in self.plans]
        w0, w1 = float(min(weeks)), float(max(weeks))
        c0, c1 = min(costs), max(costs)
        w_span = max(w1 - w0, 1.0)
        c_span = max(c1 - c0, 1.0)
        w0 -= w_span * 0.1
        w_span *= 1.2
        c0 -= c_span * 0.1
        c_span *= 1.2

        def point(plan: Plan) -> QPointF:
            return QPointF(
                area.left() + (plan.finish_week - w0) / w_span * area.width(),
                area.bottom() - (plan.total_cost - c0) / c_span * area.height(),
            )

        painter.setPen(QPen(QColor("#9ca3af"), 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        painter.setPen(text)
        painter.drawText(
            QRectF(area.left(), area.bottom() + 14, area.width(), 18),
            Qt.AlignmentFlag.AlignCenter,
            "finish (weeks from start) →",
        )
        painter.save()
        painter.translate(14, area.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-80, -10, 160, 20), Qt.AlignmentFlag.AlignCenter, f"cost ({self.currency}) →"
        )
        painter.restore()
        hint = QColor(text)
        hint.setAlphaF(0.65)
        painter.setPen(hint)
        painter.drawText(
            QRectF(area.left() + 8, 4, area.width() - 8, 16),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            "Each point is a plan: the sooner it finishes, the more it costs. "
            "Click one (or use ← →) to show it.",
        )
        self._points = [point(p) for p in self.plans]
        painter.setPen(QPen(QColor("#9ca3af"), 1, Qt.PenStyle.DashLine))
        for a, b in itertools.pairwise(self._points):
            painter.drawLine(a, b)
        for index, (plan, spot) in enumerate(zip(self.plans, self._points, strict=True)):
            selected = index == self.selected
            painter.setPen(QPen(QColor("#1e3a8a"), 2 if selected else 1))
            painter.setBrush(QColor("#c2410c") if selected else QColor("#60a5fa"))
            radius = 8 if selected else 6
            painter.drawEllipse(spot, radius, radius)
            painter.setPen(text)
            label = f"{plan.total_cost:,.0f} {self.currency} · {plan.finish_week} wk"
            width = QFontMetricsF(painter.font()).horizontalAdvance(label)
            # Labels near the right edge go to the left of their point.
            dx = 10.0 if spot.x() + 10 + width < self.width() - 4 else -10.0 - width
            painter.drawText(spot + QPointF(dx, -8), label)
        # The extreme finish weeks under the axis, so the chart reads without hovering.
        painter.setPen(text)
        for plan in (
            min(self.plans, key=lambda p: p.finish_week),
            max(self.plans, key=lambda p: p.finish_week),
        ):
            x = point(plan).x()
            painter.drawLine(QPointF(x, area.bottom()), QPointF(x, area.bottom() + 4))
            painter.drawText(
                QRectF(x - 40, area.bottom() + 2, 80, 14),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                f"{plan.finish_week} wk",
            )
        painter.end()
