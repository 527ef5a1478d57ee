"""A plan as a printable document (PDF, printer) and as CSV."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QRectF, QUrl
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from pathplanner.catalog import write_text_atomic
from pathplanner.model import Catalog
from pathplanner.ui.charts import TimelineChart
from pathplanner.ui.plan_summary import (
    credential_name,
    goal_text,
    money,
    objective_text,
    provider_name,
    readable,
    step_dates,
    totals,
)

if TYPE_CHECKING:  # the planner (SciPy) loads in the background after start-up
    from pathplanner.graph.planner import Plan

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
TIMELINE_URL = "pathplanner://timeline.png"
TIMELINE_WIDTH = 480  # points: fits A4 and Letter inside 15 mm margins


def plan_html(
    plan: Plan, catalog: Catalog, *, learner: str | None, notes: str, name: str = ""
) -> str:
    esc = html.escape
    currency = catalog.currency
    parts = [
        f"<h1>{esc(name or 'Study plan')}</h1>",
        "<table cellspacing='2'>",
        f"<tr><th align='left'>Learner</th><td>{esc(learner or 'Guest')}</td></tr>",
        f"<tr><th align='left'>Goal</th><td>{esc(goal_text(plan, catalog))}</td></tr>",
        f"<tr><th align='left'>Objective</th><td>{objective_text(plan)} ({plan.status})</td></tr>",
        f"<tr><th align='left'>Catalogue</th><td>{esc(catalog.name)}</td></tr>",
    ]
    if plan.request.held:
        held = ", ".join(credential_name(catalog, h) for h in sorted(plan.request.held))
        parts.append(f"<tr><th align='left'>Already held</th><td>{esc(held)}</td></tr>")
    parts.append("</table>")
    if plan.status == "infeasible":
        parts.append(f"<h2>No plan found</h2><p>{esc(readable(plan.explanation, catalog))}</p>")
    else:
        t = totals(plan, catalog)
        parts.append(
            "<h2>Totals</h2><table cellspacing='2'>"
            f"<tr><th align='left'>Cost</th><td>{money(t.cost, currency)}</td></tr>"
            f"<tr><th align='left'>Start</th><td>{plan.start_date.isoformat()}</td></tr>"
            f"<tr><th align='left'>Finish</th>"
            f"<td>{t.finish.isoformat()} ({t.weeks} weeks)</td></tr>"
            f"<tr><th align='left'>Study hours</th><td>{t.hours:,.0f}</td></tr>"
            f"<tr><th align='left'>Credits transferred</th><td>{t.transferred_credits:g}"
            f" (saves {money(t.saved_by_transfer, currency)})</td></tr></table>"
        )
        rows = "".join(
            "<tr>"
            f"<td>{i + 1}</td><td>{esc(credential_name(catalog, s.id))}</td>"
            f"<td>{esc(provider_name(catalog, s.id))}</td>"
            + "".join(f"<td nowrap>{day.isoformat()}</td>" for day in step_dates(plan, s))
            + f"<td align='right'>{s.cost:,.0f}</td><td align='right'>{s.hours_per_week:.1f}</td>"
            f"<td>{esc(readable(s.reason, catalog))}</td></tr>"
            for i, s in enumerate(plan.steps)
        )
        parts.append(
            "<h2>Steps</h2><table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th width='3%'>#</th><th width='20%'>Credential</th>"
            "<th width='13%'>Provider</th><th width='12%'>Start</th><th width='12%'>Finish</th>"
            f"<th width='9%'>Cost ({currency})</th><th width='7%'>h/wk</th>"
            f"<th width='24%'>Why</th></tr>{rows}</table>"
        )
        parts.append(f"<h2>Timeline</h2><p><img src='{TIMELINE_URL}' width='{TIMELINE_WIDTH}'></p>")
        parts.append(f"<h2>Explanation</h2><p>{esc(readable(plan.explanation, catalog))}</p>")
    if notes.strip():
        parts.append(f"<h2>Notes</h2><p>{esc(notes).replace(chr(10), '<br>')}</p>")
    return "".join(parts)


def timeline_image(plan: Plan, catalog: Catalog, width: int = 1280) -> QImage:
    chart = TimelineChart()
    chart.set_plan(plan, catalog)
    height = chart.sizeHint().height()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    chart.render_chart(painter, QRectF(0, 0, width, height), for_print=True)
    painter.end()
    return image


def plan_document(
    plan: Plan, catalog: Catalog, *, learner: str | None, notes: str, name: str = ""
) -> QTextDocument:
    document = QTextDocument()
    font = document.defaultFont()
    font.setPointSizeF(9)
    document.setDefaultFont(font)
    document.addResource(
        QTextDocument.ResourceType.ImageResource, QUrl(TIMELINE_URL), timeline_image(plan, catalog)
    )
    document.setHtml(plan_html(plan, catalog, learner=learner, notes=notes, name=name))
    return document


def print_document(document: QTextDocument, printer: QPrinter) -> None:
    # print_ paginates a copy to the printer's page, laying text out at screen resolution.
    document.print_(printer)


def pdf_printer(path: Path, page: str, title: str) -> QPrinter:
    """A printer writing a PDF file on A4 or Letter with 15 mm margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    printer.setDocName(title)
    return printer


def write_pdf(
    plan: Plan,
    catalog: Catalog,
    path: Path,
    *,
    learner: str | None = None,
    notes: str = "",
    name: str = "",
    page: str = "A4",
) -> None:
    printer = pdf_printer(path, page, name or "pathplanner plan")
    print_document(plan_document(plan, catalog, learner=learner, notes=notes, name=name), printer)


def plan_csv(plan: Plan, catalog: Catalog) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "order",
            "id",
            "credential",
            "provider",
            "start",
            "finish",
            "start_week",
            "finish_week",
            "cost",
            "hours_per_week",
            "transferred_credits",
            "reason",
        ]
    )
    for i, step in enumerate(plan.steps):
        start, finish = step_dates(plan, step)
        writer.writerow(
            [
                i + 1,
                step.id,
                credential_name(catalog, step.id),
                provider_name(catalog, step.id),
                start.isoformat(),
                finish.isoformat(),
                step.start_week,
                step.finish_week,
                f"{step.cost:.2f}",
                f"{step.hours_per_week:.2f}",
                f"{step.transferred_credits:g}",
                step.reason,
            ]
        )
    return out.getvalue()


def write_csv(plan: Plan, catalog: Catalog, path: Path) -> None:
    write_text_atomic(path, plan_csv(plan, catalog))
