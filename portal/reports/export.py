"""The exports of a learning report: PDF, CSV, Excel (XLSX) and JSON.

- **PDF**: the print template (A4, page numbers, the charts inline) through WeasyPrint.
- **CSV**: one file, the tables one after another in the report's order. Every line starts
  with two columns, the section's title and the table's title; the first line of each
  table holds its column headings and the lines after it its rows; an empty line
  separates one table from the next.
- **XLSX**: one sheet per section, in the report's order: the section's title and
  summary, then each table with its title and headings. Numbers stay numbers.
- **JSON**: the keys of :data:`portal.reports.monthly.JSON_KEYS`, for BI tools.

Text that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@`` first) is
written as text, so an auditor's summary can never run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import render_template
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from portal.pdf import html_to_pdf
from portal.reports.charts import report_charts
from portal.reports.monthly import json_document, month_from_key, report_sections
from portal.reports.sections import Cell, ReportSection

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def report_title(report: dict[str, Any]) -> str:
    """``Monthly learning report: October 2026``."""
    return f"Monthly learning report: {month_from_key(report['month']):%B %Y}"


def to_pdf(report: dict[str, Any]) -> bytes:
    """The report as an A4 PDF, with page numbers and the charts (needs a request context)."""
    html = render_template(
        "reports/print.html",
        title=report_title(report),
        report=report,
        sections=report_sections(report),
        charts=report_charts(report),
        first=month_from_key(report["trend"][0]["month"]),
        as_of=date.fromisoformat(report["as_of"]),
    )
    return html_to_pdf(html)


def _csv_cell(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def to_csv(report: dict[str, Any]) -> bytes:
    """The report's tables, one after another, as CSV (UTF-8 with a byte-order mark, so
    that Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for section in report_sections(report):
        for table in section.tables:
            lead = [_csv_cell(section.title), _csv_cell(table.title)]
            writer.writerow(lead + [_csv_cell(cell) for cell in table.head])
            for row in table.rows:
                writer.writerow(lead + [_csv_cell(cell) for cell in row])
            writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def sheet_name(title: str, taken: set[str]) -> str:
    """A name Excel accepts for a sheet titled *title*: at most 31 characters, none of
    ``[]:*?/\\``, and unlike the names in *taken* (which it joins)."""
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31] or "Section"
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        suffix = f" ({number})"
        name = base[: 31 - len(suffix)] + suffix
    taken.add(name.lower())
    return name


def _write_row(sheet, row: int, cells: tuple[Cell, ...] | list[Cell], bold: bool = False) -> None:
    for column, value in enumerate(cells, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"  # never a formula
            cell.alignment = Alignment(wrap_text=len(value) > 60, vertical="top")
        else:
            cell.value = value
        if bold:
            cell.font = Font(bold=True)


def _fill_sheet(sheet, title: str, section: ReportSection) -> None:
    _write_row(sheet, 1, [f"{title}: {section.title}"])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    _write_row(sheet, 2, [section.summary])
    sheet.cell(row=2, column=1).alignment = Alignment(wrap_text=False)
    row = 4
    widths: dict[int, int] = {}
    for table in section.tables:
        _write_row(sheet, row, [table.title], bold=True)
        _write_row(sheet, row + 1, table.head, bold=True)
        row += 2
        for cells in table.rows:
            _write_row(sheet, row, cells)
            row += 1
        for cells in (table.head, *table.rows):
            for column, value in enumerate(cells, start=1):
                length = len(str(value)) if value is not None else 0
                widths[column] = max(widths.get(column, 8), min(length + 2, 60))
        row += 1
    for column, width in widths.items():
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width


def to_xlsx(report: dict[str, Any]) -> bytes:
    """The report as an Excel workbook with one sheet per section."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    title, taken = report_title(report), set()
    for section in report_sections(report):
        _fill_sheet(workbook.create_sheet(sheet_name(section.title, taken)), title, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(report: dict[str, Any]) -> bytes:
    """The report's JSON document (UTF-8, indented)."""
    return json.dumps(json_document(report), indent=2, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class ExportFormat:
    """One format the report can be downloaded in."""

    label: str
    mimetype: str
    render: Callable[[dict[str, Any]], bytes]


#: The formats, by file extension, in the order the page offers them.
FORMATS: dict[str, ExportFormat] = {
    "pdf": ExportFormat("PDF", "application/pdf", to_pdf),
    "csv": ExportFormat("CSV", "text/csv", to_csv),
    "xlsx": ExportFormat(
        "Excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        to_xlsx,
    ),
    "json": ExportFormat("JSON", "application/json", to_json),
}


def filename(report: dict[str, Any], extension: str) -> str:
    """``learning-report-2026-10.pdf``."""
    return f"learning-report-{report['month']}.{extension}"
