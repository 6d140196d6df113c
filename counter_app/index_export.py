"""The digitization index as a workbook (XLSX), with a chart of its shares per period.

Counts are numbers and shares are fractions formatted as percentages, so the
province's templates can sum and average them.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.chart import BarChart, Reference  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from counter_app.digitization_index import (
    CHART_SHARES,
    GROUPING_LABELS,
    INDEX_COLUMNS,
    DigitizationIndex,
    IndexFigures,
    IndexRow,
)

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E8EEF5")


def _cells(figures: IndexFigures) -> list[Any]:
    return [getattr(figures, column.attr) for column in INDEX_COLUMNS]


def _table(sheet: Any, index: DigitizationIndex, title: str, rows: list[IndexRow]) -> None:
    sheet.append([f"{title} — {index.unit_name}"])
    sheet.append([f"{index.period_label}; số liệu tính đến {index.as_of:%H:%M %d/%m/%Y}"])
    sheet.append([""])
    head = sheet.max_row + 1
    sheet.append(["Thời gian", "Máy tiếp nhận", *(c.heading for c in INDEX_COLUMNS)])
    for row in rows:
        sheet.append([row.period_label, row.counter_label, *_cells(row.figures)])
    sheet.append(["Cả kỳ", "Tổng cộng", *_cells(index.total)])
    for line in sheet.iter_rows(min_row=head, max_row=sheet.max_row):
        for cell in line:
            cell.border = _BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for cell in sheet[head]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 24
    for place, column in enumerate(INDEX_COLUMNS, start=3):
        sheet.column_dimensions[get_column_letter(place)].width = 13
        if column.share:
            for (cell,) in sheet.iter_rows(
                min_row=head + 1, max_row=sheet.max_row, min_col=place, max_col=place
            ):
                cell.number_format = "0.0%"
    sheet.freeze_panes = sheet.cell(row=head + 1, column=3)


def index_xlsx(index: DigitizationIndex) -> bytes:
    """Per period and PC, per PC, and a chart sheet: the shares of every PC per period."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    grouping = GROUPING_LABELS[index.grouping].lower()
    _table(
        book.create_sheet("Theo máy tiếp nhận"),
        index,
        f"CHỈ SỐ SỐ HÓA {grouping.upper()} VÀ THEO MÁY TIẾP NHẬN",
        list(index.rows),
    )
    _table(
        book.create_sheet("Theo máy, cả kỳ"),
        index,
        "CHỈ SỐ SỐ HÓA THEO MÁY TIẾP NHẬN",
        list(index.counters),
    )
    chart_sheet = book.create_sheet("Biểu đồ")
    chart_sheet.append(["Thời gian", *(heading for _attr, heading in CHART_SHARES)])
    for row in index.periods:
        chart_sheet.append(
            [row.period_label, *(getattr(row.figures, attr) or 0 for attr, _h in CHART_SHARES)]
        )
    for line in chart_sheet.iter_rows(min_row=2, min_col=2, max_col=1 + len(CHART_SHARES)):
        for cell in line:
            cell.number_format = "0.0%"
    for cell in chart_sheet[1]:
        cell.font = Font(bold=True)
    chart_sheet.column_dimensions["A"].width = 12
    for letter in "BCDE":
        chart_sheet.column_dimensions[letter].width = 18
    chart = BarChart()
    chart.type = "col"
    chart.title = f"Tỷ lệ {grouping} — {index.period_label}"
    chart.y_axis.title = "Tỷ lệ"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    last_row = 1 + len(index.periods)
    data = Reference(
        chart_sheet, min_col=2, max_col=1 + len(CHART_SHARES), min_row=1, max_row=last_row
    )
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(chart_sheet, min_col=1, min_row=2, max_row=last_row))
    chart.width, chart.height = 24, 11
    chart_sheet.add_chart(chart, "F2")
    book.properties.title = f"Chỉ số số hóa — {index.period_label}"
    book.properties.creator = "ward-counter"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
