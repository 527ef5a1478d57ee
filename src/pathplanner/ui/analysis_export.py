"""The gap-analysis report as a printable document (PDF); the JSON report is the core's
``write_report_json``."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument

from pathplanner.graph.metrics import METRIC_NAMES
from pathplanner.model import Catalog
from pathplanner.ui.overlays import METRIC_LABELS, SEVERITY_COLOURS
from pathplanner.ui.plan_export import pdf_printer
from pathplanner.ui.plan_summary import readable

if TYPE_CHECKING:  # loads the planner (SciPy)
    from pathplanner.analysis_service import AnalysisReport

CATEGORY_TITLES: dict[str, str] = {
    "structure": "Structural problems",
    "dead_ends": "Dead ends",
    "reachability": "Reachability and on-ramps",
    "bridges": "Missing bridges",
    "overlap": "Overlap",
    "equity": "Access equity",
}


def _name(catalog: Catalog, cid: str) -> str:
    credential = catalog.credentials_by_id.get(cid)
    return credential.name if credential else cid


def report_html(report: AnalysisReport, catalog: Catalog) -> str:
    esc = html.escape
    summary = report.summary()
    options = report.options
    filters = options.filters.describe()
    parts = [
        f"<h1>Gap analysis: {esc(report.catalog_name)}</h1>",
        "<table cellspacing='2'>",
        f"<tr><th align='left'>Generated</th><td>{esc(report.generated)}</td></tr>",
        f"<tr><th align='left'>Goals</th><td>{len(report.goals)}"
        f"{' (all qualifications)' if not options.goals else ''}</td></tr>",
        f"<tr><th align='left'>Learner filters</th><td>{esc(filters)}</td></tr>",
        f"<tr><th align='left'>Budget</th><td>"
        f"{f'{options.budget:,.0f} {esc(report.currency)}' if options.budget else 'none'}"
        "</td></tr>",
        f"<tr><th align='left'>Hours per week</th>"
        f"<td>{f'{options.hours_per_week:g}' if options.hours_per_week else 'any'}</td></tr>",
        f"<tr><th align='left'>Findings</th><td>{summary['findings']} ("
        + ", ".join(f"{n} {esc(s)}" for s, n in summary["by_severity"].items())
        + ")</td></tr></table>",
    ]
    if report.metrics is not None:
        metrics = report.metrics
        cells = "".join(
            f"<tr><td>{METRIC_LABELS[m]}</td><td align='right'>{metrics.total(m):,}</td>"
            f"<td>{esc(', '.join(f'{_name(catalog, c)} ({v:,})' for c, v in metrics.top(m, 3)))}"
            "</td></tr>"
            for m in METRIC_NAMES
        )
        parts.append(
            "<h2>Complexity (Curricular Analytics)</h2>"
            "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th width='25%'>Metric</th><th width='15%'>Total</th>"
            f"<th width='60%'>Highest</th></tr>{cells}</table>"
        )
    for category, title in CATEGORY_TITLES.items():
        findings = [f for f in report.findings if f.category == category]
        if not findings:
            continue
        rows = "".join(
            f"<tr><td bgcolor='{SEVERITY_COLOURS[f.severity]}'>{f.severity.value}</td>"
            f"<td>{esc(readable(f.message, catalog))}</td>"
            f"<td>{esc(', '.join(_name(catalog, c) for c in f.credentials))}</td></tr>"
            for f in findings
        )
        parts.append(
            f"<h2>{title} ({len(findings)})</h2>"
            "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
            "<tr><th width='10%'>Severity</th><th width='55%'>Finding</th>"
            f"<th width='35%'>Credentials</th></tr>{rows}</table>"
        )
    if not report.findings:
        parts.append("<h2>No findings</h2><p>Nothing to report under these options.</p>")
    if report.notes:
        parts.append(
            "<h2>Notes</h2><ul>" + "".join(f"<li>{esc(n)}</li>" for n in report.notes) + "</ul>"
        )
    return "".join(parts)


def report_document(report: AnalysisReport, catalog: Catalog) -> QTextDocument:
    document = QTextDocument()
    font = document.defaultFont()
    font.setPointSizeF(9)
    document.setDefaultFont(font)
    document.setHtml(report_html(report, catalog))
    return document


def write_report_pdf(
    report: AnalysisReport, catalog: Catalog, path: Path, *, page: str = "A4"
) -> None:
    printer = pdf_printer(path, page, f"Gap analysis: {report.catalog_name}")
    report_document(report, catalog).print_(printer)
