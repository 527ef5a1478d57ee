"""The pathway graph dock: a QGraphicsView over :func:`layered_layout`, laid out off the GUI
thread and put into the scene a few hundred items per event-loop turn."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QWheelEvent,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pathplanner.graph import closure
from pathplanner.graph.build import CREDENTIAL
from pathplanner.graph.layout import GraphLayout, layered_layout
from pathplanner.model import Catalog
from pathplanner.ui.graph_items import (
    GOAL_COLOUR,
    HELD_COLOUR,
    KIND_COLOURS,
    ROUTE_COLOUR,
    CredentialItem,
    GroupItem,
    edge_item,
    group_label,
    style_edge,
)
from pathplanner.ui.overlays import swatch, swatches
from pathplanner.ui.tasks import Task, TaskRunner

WHOLE = "whole"
CLOSURE = "closure"
READABLE_ZOOM = 0.75  # below this the node labels are too small to read
ITEMS_PER_TURN = 120  # scene items added per event-loop turn: keeps each block short
GRAPH_BACKGROUND = "#f8fafc"  # light in dark mode too: the graph is a picture of a plan
COMBO_MIN_WIDTH = 90  # the toolbar's combo boxes, when the window is narrow


class PathwayView(QGraphicsView):
    """Zoom with the wheel or Ctrl+= / Ctrl+-, pan by dragging, fit with Ctrl+0."""

    zoomed = Signal(float)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setAccessibleName("Pathway graph")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setBackgroundBrush(QColor(GRAPH_BACKGROUND))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_by(1.15**steps)
        event.accept()

    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        new = min(max(self.zoom() * factor, 0.02), 4.0)
        factor = new / self.zoom()
        self.scale(factor, factor)
        self.zoomed.emit(self.zoom())

    def fit(self, *, readable: bool = False, start: QPointF | None = None) -> None:
        """Fit the whole graph; ``readable`` keeps labels legible (a big graph is then shown
        from ``start``, its first entry credential, and the user scrolls or zooms out)."""
        rect = self.scene().sceneRect()  # set from the layout: no walk over every item
        if rect.isEmpty():
            return
        self.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.2:
            self.resetTransform()
            self.centerOn(rect.center())
        elif readable and self.zoom() < READABLE_ZOOM:
            self.resetTransform()
            self.scale(READABLE_ZOOM, READABLE_ZOOM)
            corner = start if start is not None else rect.topLeft()
            self.ensureVisible(QRectF(corner, QSizeF(10, 10)), 20, 40)
        self.zoomed.emit(self.zoom())


class GraphPanel(QWidget):
    """Toolbar (scope, focus, zoom, export), legend, the view; the state marks come from the
    window (held credentials, goal, the planned route)."""

    credential_activated = Signal(str)
    layout_ready = Signal()
    status = Signal(str)  # an answer to the user (a search that found nothing)
    layout_status = Signal(str)  # background layout's progress: never hides an answer

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._catalog: Catalog | None = None
        self._graph: nx.DiGraph | None = None
        self._layout: GraphLayout | None = None
        self._task: Task | None = None
        self._pending: Iterator[None] | None = None
        self._generation = 0
        self.items: dict[str, CredentialItem] = {}
        self._edges: list[tuple[str, str, str, QGraphicsPathItem]] = []
        self._edge_states: list[tuple[bool, bool]] = []
        self.held: frozenset[str] = frozenset()
        self.goal: str | None = None
        self.route: list[str] = []
        self._overlay: dict[str, str] | None = None  # credential -> fill; None: by kind
        self._overlay_default = ""
        self._overlay_legend = ""

        self.scene = QGraphicsScene(self)
        self.view = PathwayView(self.scene)
        self.scene.selectionChanged.connect(self._on_selection)
        self._feeder = QTimer(self)
        self._feeder.setInterval(0)
        self._feeder.timeout.connect(self._feed)

        self.scope = QComboBox()
        self.scope.setAccessibleName("Graph scope")
        self.scope.addItem("Goal and what leads to it", CLOSURE)
        self.scope.addItem("Whole catalogue", WHOLE)
        self.scope.setCurrentIndex(1)
        self.scope.currentIndexChanged.connect(lambda _i: self.relayout())
        # Its whole text when there is room; the toolbar must not hold the window wider than
        # a 1280-pixel screen (the combo's own minimum is its longest item).
        self.scope.setMinimumWidth(COMBO_MIN_WIDTH + 50)  # "Whole catalogue" stays whole
        # A short placeholder: the toolbar leaves the box little room in the default layout.
        self.find_box = QLineEdit(placeholderText="Find…")
        self.find_box.setAccessibleName("Focus on a credential")
        self.find_box.setToolTip("Focus on a credential: type its name, Enter centres it")
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMinimumWidth(80)  # "Find…" and a few letters typed
        self.find_box.returnPressed.connect(lambda: self.focus_on_text(self.find_box.text()))
        self.zoom_label = QLabel("100%")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setAccessibleName("Zoom level")
        self.view.zoomed.connect(lambda z: self.zoom_label.setText(f"{z:.0%}"))
        self.busy = QLabel()
        self.busy.setMinimumWidth(1)  # "Laying out…" must not widen a window at its minimum

        self.zoom_in_action = self._action("Zoom in", QKeySequence.StandardKey.ZoomIn, "+")
        # Ctrl+= too: on most keyboards "+" needs Shift.
        self.zoom_in_action.setShortcuts([*self.zoom_in_action.shortcuts(), QKeySequence("Ctrl+=")])
        self.zoom_in_action.triggered.connect(lambda: self.view.zoom_by(1.25))
        self.zoom_out_action = self._action("Zoom out", QKeySequence.StandardKey.ZoomOut, "-")
        self.zoom_out_action.triggered.connect(lambda: self.view.zoom_by(0.8))
        self.fit_action = self._action("Fit to view", QKeySequence("Ctrl+0"), "Fit")
        self.fit_action.triggered.connect(self.view.fit)
        self.actual_size_action = self._action("Actual size", QKeySequence("Ctrl+1"), "1:1")
        self.actual_size_action.triggered.connect(self._actual_size)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        show = QLabel("&Show")
        show.setBuddy(self.scope)
        bar.addWidget(show)
        bar.addWidget(self.scope)
        bar.addWidget(self.find_box, 1)
        for action in (self.zoom_out_action, self.zoom_in_action):
            bar.addWidget(self._button(action))
        bar.addWidget(self.zoom_label)
        for action in (self.fit_action, self.actual_size_action):
            bar.addWidget(self._button(action))
        bar.addWidget(self.busy)
        self.toolbar = bar  # the window adds the overlay chooser here
        self.legend = QLabel()
        self.legend.setAccessibleName("Legend")
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 1)

    def _action(
        self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey, icon_text: str
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setIconText(icon_text)
        action.setToolTip(
            f"{text} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        self.addAction(action)
        return action

    @staticmethod
    def _button(action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setAccessibleName(action.text())
        button.setMinimumWidth(30)
        return button

    def focus_order(self) -> list[QWidget]:
        """What Tab visits here, in the order it is seen: the toolbar left to right (with
        whatever the window added to it), then the graph."""
        items = (self.toolbar.itemAt(i) for i in range(self.toolbar.count()))
        toolbar = (item.widget() for item in items if item is not None)
        return [
            w for w in toolbar if w is not None and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        ] + [self.view]

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(800, 600)

    # -- data ---------------------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog, graph: nx.DiGraph) -> None:
        self._catalog = catalog
        self._graph = graph
        completer = QCompleter(sorted(c.name for c in catalog.credentials), self.find_box)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self.focus_on_text)
        self.find_box.setCompleter(completer)
        self.relayout()

    def set_marks(self, *, held: frozenset[str], goal: str | None, route: list[str]) -> None:
        """Held credentials, the goal and the planned route (in order) drawn on the graph."""
        scope_changes = goal != self.goal and self.scope.currentData() == CLOSURE
        self.held, self.goal, self.route = held, goal, list(route)
        if scope_changes:
            self.relayout()
        else:
            self._apply_marks()

    @property
    def graph_layout(self) -> GraphLayout | None:
        return self._layout

    @property
    def laying_out(self) -> bool:
        return self._task is not None or self._pending is not None

    def show_whole_catalogue(self, whole: bool) -> None:
        self.scope.setCurrentIndex(self.scope.findData(WHOLE if whole else CLOSURE))

    def relayout(self) -> None:
        """Lay out the current scope in the background, then fill the scene bit by bit."""
        if self._graph is None:
            return
        if self._task is not None:
            self._task.cancel()
        self._feeder.stop()
        self._pending = None
        self._generation += 1
        generation = self._generation
        graph = self._graph
        nodes: set[str] | None = None
        if self.scope.currentData() == CLOSURE:
            if self.goal is None or self.goal not in graph:
                self._clear_scene()
                self._show_empty(
                    "Choose a goal to see what leads to it, or show the whole catalogue."
                )
                return
            nodes = closure(graph, self.goal)
        self.busy.setText("Laying out…")
        self.layout_status.emit("Laying out the pathway graph…")
        self._task = self._tasks.start(
            "layout",
            lambda progress, cancel: layered_layout(graph, nodes, progress=progress, cancel=cancel),
            on_success=lambda layout: self._laid_out(generation, layout),
            on_failure=lambda exc: self._layout_failed(generation, exc),
            builds_data=True,
        )

    def _layout_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._task = None
            self.busy.setText("")
            self._show_empty(f"The graph could not be laid out: {exc}")

    def _laid_out(self, generation: int, layout: GraphLayout) -> None:
        if generation != self._generation:
            return  # a newer layout was asked for meanwhile
        self._task = None
        self._layout = layout
        self._clear_scene()
        self._pending = self._populate(layout)
        self._feeder.start()

    def _clear_scene(self) -> None:
        self.scene.clear()
        self.items = {}
        self._edges = []
        self._edge_states = []
        self._update_legend()

    def _show_empty(self, text: str) -> None:
        item = self.scene.addText(text)
        item.setDefaultTextColor(QColor("#6b7280"))
        self.scene.setSceneRect(item.boundingRect())
        self.view.resetTransform()

    def _feed(self) -> None:
        assert self._pending is not None
        try:
            next(self._pending)
        except StopIteration:
            self._feeder.stop()
            self._pending = None
            self.busy.setText("")
            self._apply_overlay()
            self._apply_marks()
            self._update_legend()
            layout = self._layout
            first = (
                min(
                    (n for n in layout.nodes.values() if n.layer == 0),
                    key=lambda n: n.y,
                    default=None,
                )
                if layout is not None
                else None
            )
            start = (
                QPointF(first.x - first.width / 2, first.y - first.height / 2) if first else None
            )
            self.view.fit(readable=True, start=start)
            count = sum(1 for n in self.items)
            self.layout_status.emit(f"Pathway graph: {count} credentials")
            self.layout_ready.emit()

    def _populate(self, layout: GraphLayout) -> Iterator[None]:
        """Add the items ITEMS_PER_TURN at a time (a generator resumed by a zero timer)."""
        assert self._graph is not None
        assert self._catalog is not None
        graph, catalog = self._graph, self._catalog
        currency = catalog.currency
        added = 0
        self.scene.setSceneRect(QRectF(-10, -40, layout.width + 20, layout.height + 50))
        for index, x in enumerate(layout.layer_x):
            if index in layout.credential_layers:
                level = layout.level_of(index)
                label = QGraphicsSimpleTextItem("Entry" if level == 0 else f"Level {level}")
                label.setBrush(QColor("#64748b"))
                label.setPos(x - label.boundingRect().width() / 2, -32)
                self.scene.addItem(label)
        for node in layout.nodes.values():
            data = graph.nodes[node.id]
            if data["node_type"] == CREDENTIAL:
                credential = data["credential"]
                provider = catalog.provider_of(credential)
                subtitle = f"{credential.kind.value} · {credential.full_cost:,.0f} {currency}"
                subtitle += f" · {credential.full_duration} wk"
                tooltip = (
                    f"<b>{html.escape(credential.name)}</b><br>{credential.kind.value}"
                    f"{' · ' + html.escape(provider.name) if provider else ''}<br>"
                    f"{credential.full_cost:,.0f} {currency} · {credential.full_effort:g} h over "
                    f"{credential.full_duration} weeks · {credential.credits:g} credits"
                )
                box = CredentialItem(
                    node, credential.name, credential.kind.value, subtitle, tooltip
                )
                self.items[node.id] = box
                item: CredentialItem | GroupItem = box
            else:
                owner = catalog.credentials_by_id.get(str(data.get("owner")))
                tooltip = f"Part of what {owner.name if owner else data.get('owner')} requires"
                item = GroupItem(node, group_label(data), tooltip)
            self.scene.addItem(item)
            added += 1
            if added % ITEMS_PER_TURN == 0:
                yield
        for edge in layout.edges:
            path = edge_item(edge)
            self.scene.addItem(path)
            self._edges.append((edge.source, edge.target, edge.type, path))
            self._edge_states.append((False, False))
            added += 1
            if added % ITEMS_PER_TURN == 0:
                yield

    def _apply_marks(self) -> None:
        order = {cid: i + 1 for i, cid in enumerate(self.route)}
        active = set(order) | set(self.held) | ({self.goal} if self.goal else set())
        for cid, item in self.items.items():
            item.set_marks(
                held=cid in self.held,
                goal=cid == self.goal,
                order=order.get(cid),
                dimmed=bool(self.route) and cid not in active,
            )
        # An edge is on the route when both its ends are (a group counts as its owner).
        graph = self._graph

        def owner(node: str) -> str:
            data = graph.nodes[node] if graph is not None and node in graph else {}
            return str(data.get("owner", node))

        for index, (source, target, edge_type, path) in enumerate(self._edges):
            on_route = bool(self.route) and owner(source) in active and owner(target) in active
            state = (on_route, bool(self.route))
            if self._edge_states[index] != state:  # restyle only what changes: edges are many
                self._edge_states[index] = state
                style_edge(path, edge_type, on_route=on_route, dimmed=bool(self.route))
        self._update_legend()

    def set_overlay(
        self, colours: dict[str, str] | None, *, default: str = "", legend: str = ""
    ) -> None:
        """Fill credentials with the given colours (the rest with ``default``) and show
        ``legend`` instead of the kinds; None goes back to colouring by kind."""
        self._overlay = colours
        self._overlay_default = default
        self._overlay_legend = legend
        self._apply_overlay()
        self._update_legend()

    def _apply_overlay(self) -> None:
        colours = self._overlay
        for cid, item in self.items.items():
            item.set_fill(
                None if colours is None else colours.get(cid, self._overlay_default or None)
            )

    def _update_legend(self) -> None:
        if self._overlay is not None:
            self.legend.setText(self._overlay_legend)
            return
        kinds = sorted(
            {item.kind for item in self.items.values()},
            key=lambda k: list(KIND_COLOURS).index(k) if k in KIND_COLOURS else 99,
        )
        kind_entries = [swatch(KIND_COLOURS.get(k, "#e5e7eb"), k) for k in kinds]
        # The marks on the graph's own light background, as they are drawn there: on a dark
        # window the green, blue and violet text alone read at about 2:1.
        marks = [
            swatch(GRAPH_BACKGROUND, text, foreground=colour)
            for text, colour in (
                ("✓ held", HELD_COLOUR.name()),
                ("① route order", ROUTE_COLOUR.name()),
                ("★ goal", GOAL_COLOUR.name()),
                ("── requires", "#374151"),
                ("- - transfer credit", "#7c3aed"),
                ("[2 of 5] requirement group", "#111827"),
            )
        ]
        self.legend.setText(
            f"<p style='line-height:125%'>{swatches(kind_entries)}<br>{swatches(marks)}</p>"
        )

    # -- navigation ---------------------------------------------------------------------------

    def focus_on(self, credential_id: str) -> bool:
        """Centre and select a credential (switching to the whole catalogue if it is hidden)."""
        item = self.items.get(credential_id)
        if item is None:
            return False
        self.scene.clearSelection()
        item.setSelected(True)
        if self.view.zoom() < 0.6:
            self.view.resetTransform()
            self.view.zoomed.emit(self.view.zoom())
        self.view.centerOn(item)
        return True

    def select_credentials(self, credential_ids: list[str]) -> bool:
        """Focus on the first credential and select the others with it (a finding's
        credentials); False when the first is not shown."""
        if not credential_ids or not self.focus_on(credential_ids[0]):
            return False
        for cid in credential_ids[1:]:
            if cid in self.items:
                self.items[cid].setSelected(True)
        return True

    def focus_on_text(self, text: str) -> bool:
        if self._catalog is None:
            return False
        wanted = text.strip().lower()
        for credential in self._catalog.credentials:
            if wanted in (credential.name.lower(), credential.id.lower()):
                return self.focus_on(credential.id)
        for credential in self._catalog.credentials:
            if wanted and wanted in credential.name.lower():
                return self.focus_on(credential.id)
        self.status.emit(f"No credential matches “{text}”")
        return False

    def _actual_size(self) -> None:
        self.view.resetTransform()
        self.view.zoomed.emit(1.0)

    def _on_selection(self) -> None:
        for item in self.scene.selectedItems():
            if isinstance(item, CredentialItem):
                self.credential_activated.emit(item.node_id)
                return

    # -- export -------------------------------------------------------------------------------

    def export_png(self, path: Path, max_side: int = 12000) -> None:
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        scale = min(2.0, max_side / max(rect.width(), rect.height(), 1))
        image = QImage(
            int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
        if not image.save(str(path)):
            raise OSError(f"could not write {path}")

    def export_svg(self, path: Path) -> None:
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle("pathplanner pathway graph")
        painter = QPainter(generator)
        self.scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
