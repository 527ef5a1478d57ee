"""Graphics items of the pathway graph: they only paint what graph/layout.py computed."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from pathplanner.graph.layout import PlacedNode, RoutedEdge
from pathplanner.model import Kind
from pathplanner.ui.overlays import text_colour_on

# One hue per kind, light to dark from badges to doctorates; readable with black text.
KIND_COLOURS: dict[str, str] = {
    Kind.BADGE: "#fde68a",
    Kind.MICRO_CREDENTIAL: "#fed7aa",
    Kind.CERTIFICATE: "#bbf7d0",
    Kind.CERTIFICATION: "#a7f3d0",
    Kind.LICENSE: "#e9d5ff",
    Kind.DIPLOMA: "#bae6fd",
    Kind.ASSOCIATE: "#93c5fd",
    Kind.BACHELOR: "#a5b4fc",
    Kind.MASTER: "#c4b5fd",
    Kind.DOCTORATE: "#f0abfc",
    Kind.OTHER: "#e5e7eb",
}
HELD_COLOUR = QColor("#15803d")
ROUTE_COLOUR = QColor("#c2410c")
GOAL_COLOUR = QColor("#1d4ed8")
EDGE_COLOUR = QColor("#6b7280")


class CredentialItem(QGraphicsItem):
    """A credential box: name (two lines, elided), kind and cost; held/route/goal marks."""

    def __init__(self, node: PlacedNode, name: str, kind: str, subtitle: str, tooltip: str):
        super().__init__()
        self.node_id = node.id
        self.kind = kind
        self._rect = QRectF(-node.width / 2, -node.height / 2, node.width, node.height)
        self.setPos(node.x, node.y)
        self.setToolTip(tooltip)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.held = False
        self.goal = False
        self.order: int | None = None
        self.dimmed = False
        self._font = QFont()
        self._font.setPointSizeF(8.5)
        self._small = QFont(self._font)
        self._small.setPointSizeF(7.5)
        metrics = QFontMetricsF(self._font)
        width = node.width - 12
        first = metrics.elidedText(name, Qt.TextElideMode.ElideNone, width)
        if metrics.horizontalAdvance(name) > width:
            # Break at the last space that fits, elide the rest onto the second line.
            cut = len(name)
            while cut > 0 and metrics.horizontalAdvance(name[:cut]) > width:
                cut = name.rfind(" ", 0, cut) if " " in name[:cut] else cut - 1
            cut = max(cut, 1)
            first = name[:cut]
            second = metrics.elidedText(name[cut:].strip(), Qt.TextElideMode.ElideRight, width)
            self._lines = [first, second]
        else:
            self._lines = [first]
        self._subtitle = QFontMetricsF(self._small).elidedText(
            subtitle, Qt.TextElideMode.ElideRight, width
        )
        self._fill = QColor(KIND_COLOURS.get(kind, "#e5e7eb"))

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect.adjusted(-12, -12, 4, 4)

    def set_fill(self, colour: str | None) -> None:
        """An overlay colour (heat map, finding), or None for the kind's colour."""
        fill = QColor(colour or KIND_COLOURS.get(self.kind, "#e5e7eb"))
        if fill != self._fill:
            self._fill = fill
            self.update()

    @property
    def fill(self) -> str:
        return str(self._fill.name())

    def set_marks(self, *, held: bool, goal: bool, order: int | None, dimmed: bool) -> None:
        if (held, goal, order, dimmed) != (self.held, self.goal, self.order, self.dimmed):
            self.held, self.goal, self.order, self.dimmed = held, goal, order, dimmed
            self.setZValue(2 if order is not None or goal else 1)
            self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(self._fill)
        if self.dimmed:
            fill.setAlpha(90)
        border = QColor("#4b5563")
        width = 1.0
        if self.held:
            border, width = HELD_COLOUR, 3.0
        if self.order is not None:
            border, width = ROUTE_COLOUR, 3.0
        if self.goal:
            border, width = GOAL_COLOUR, 3.5
        if self.isSelected():
            width += 1.5
        painter.setPen(QPen(border, width))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(self._rect, 7, 7)
        text = QColor(text_colour_on(self._fill.name()))
        if self.dimmed:
            text.setAlpha(120)
        painter.setPen(text)
        painter.setFont(self._font)
        line_height = QFontMetricsF(self._font).height()
        top = self._rect.top() + 4
        inner = self._rect.adjusted(6, 0, -6, 0)
        for line in self._lines:
            painter.drawText(
                QRectF(inner.left(), top, inner.width(), line_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )
            top += line_height
        painter.setFont(self._small)
        painter.drawText(
            QRectF(inner.left(), self._rect.bottom() - line_height - 1, inner.width(), line_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._subtitle,
        )
        if self.held:
            self._badge(painter, "✓", HELD_COLOUR)
        elif self.order is not None:
            self._badge(painter, str(self.order), ROUTE_COLOUR)
        elif self.goal:
            self._badge(painter, "★", GOAL_COLOUR)

    def _badge(self, painter: QPainter, text: str, colour: QColor) -> None:
        centre = QPointF(self._rect.left(), self._rect.top())
        painter.setPen(QPen(QColor("white"), 1.5))
        painter.setBrush(colour)
        painter.drawEllipse(centre, 10, 10)
        font = QFont(self._font)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(
            QRectF(centre.x() - 10, centre.y() - 10, 20, 20), Qt.AlignmentFlag.AlignCenter, text
        )


class GroupItem(QGraphicsItem):
    """A requirement group as a small pill: "2 of 5", "all 3", "30 cr from 6"."""

    def __init__(self, node: PlacedNode, label: str, tooltip: str) -> None:
        super().__init__()
        self.node_id = node.id
        self.label = label
        self._rect = QRectF(-node.width / 2, -node.height / 2, node.width, node.height)
        self.setPos(node.x, node.y)
        self.setToolTip(tooltip)
        self.dimmed = False
        self._font = QFont()
        self._font.setPointSizeF(7.5)
        self._font.setBold(True)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#374151"), 1))
        painter.setBrush(QColor("#ffffff"))
        radius = self._rect.height() / 2
        painter.drawRoundedRect(self._rect, radius, radius)
        painter.setFont(self._font)
        painter.setPen(QColor("#111827"))
        painter.drawText(self._rect, Qt.AlignmentFlag.AlignCenter, self.label)


def group_label(data: dict) -> str:
    """The short text drawn in a requirement group: the rule it applies."""
    op = data.get("op")
    if op == "any":
        count, options = data.get("count", 1), data.get("options", 0)
        return f"{count} of {options}" if count > 1 else f"any of {options}"
    if op == "credits":
        return f"{data.get('credits', 0):g} cr from"
    return f"all {data.get('count', '')}".strip()


def style_edge(item: QGraphicsPathItem, edge_type: str, *, on_route: bool, dimmed: bool) -> None:
    """Solid grey for a requirement, dashed violet for transfer credit; the route's edges
    thick and orange; the rest faded while a route is shown."""
    colour = QColor("#7c3aed") if edge_type == "transfer" else QColor(EDGE_COLOUR)
    if on_route:
        colour = QColor(ROUTE_COLOUR)
    elif dimmed:
        colour.setAlpha(70)
    pen = QPen(colour, 2.4 if on_route else 1.1)
    if edge_type == "transfer":
        pen.setStyle(Qt.PenStyle.DashLine)
    item.setPen(pen)
    item.setZValue(0.5 if on_route else 0)


def edge_item(edge: RoutedEdge, on_route: bool = False) -> QGraphicsPathItem:
    """A smooth edge through the layout's bend points, with an arrowhead at the target."""
    points = [QPointF(x, y) for x, y in edge.points]
    path = QPainterPath(points[0])
    for start, end in itertools.pairwise(points):
        middle = (start.x() + end.x()) / 2
        path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
    tip = points[-1]
    path.moveTo(tip)
    path.lineTo(tip + QPointF(-8, -4))
    path.moveTo(tip)
    path.lineTo(tip + QPointF(-8, 4))
    item = QGraphicsPathItem(path)
    style_edge(item, edge.type, on_route=on_route, dimmed=False)
    return item
