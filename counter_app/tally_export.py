"""A tally as a spreadsheet (XLSX) or as comma-separated values, for the provincial report.

Both carry the same columns as the printed tally (``tallies.COLUMNS``), with
numbers as numbers so the province's templates can sum them. The CSV is one
table (a column says which view each line belongs to) in UTF-8 with a byte
order mark, so Excel opens Vietnamese names as written.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Border,
    Font,
    PatternFill,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from counter_app.tallies import COLUMNS, DIMENSION_LABELS, Counts, Dimension, Tally, value

TOTAL_LABEL = "Tổng cộng"
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="E8EEF5")
_SHEET_NAMES = {
    Dimension.PROCEDURE: "Theo thủ tục",
    Dimension.CLERK: "Theo cán bộ",
    Dimension.CHANNEL: "Theo kênh",
}


def _figures(counts: Counts) -> list[int]:
    return [value(counts, column.attr) for column in COLUMNS]


def _view_sheet(sheet: Any, tally: Tally, dimension: Dimension) -> None:
    sheet.append([f"{DIMENSION_LABELS[dimension].upper()} — {tally.unit_name}"])
    sheet.append([f"{tally.period_label}; số liệu tính đến {tally.as_of:%H:%M %d/%m/%Y}"])
    sheet.append([""])  # a blank line that counts: max_row below must see it
    first_head = sheet.max_row + 1
    groups = ["STT", "Mã" if dimension is not Dimension.CHANNEL else "Kênh", "Tên"]
    groups += [column.group or column.heading for column in COLUMNS]
    sheet.append(groups)
    sheet.append(["", "", ""] + [column.heading if column.group else "" for column in COLUMNS])
    for index in range(1, 4):
        sheet.merge_cells(
            start_row=first_head, end_row=first_head + 1, start_column=index, end_column=index
        )
    start = 4
    while start < 4 + len(COLUMNS):
        group = COLUMNS[start - 4].group
        end = start
        while group and end + 1 < 4 + len(COLUMNS) and COLUMNS[end + 1 - 4].group == group:
            end += 1
        if group and end > start:
            sheet.merge_cells(
                start_row=first_head, end_row=first_head, start_column=start, end_column=end
            )
        elif not group:
            sheet.merge_cells(
                start_row=first_head, end_row=first_head + 1, start_column=start, end_column=start
            )
        start = end + 1
    for number, row in enumerate(tally.rows(dimension), start=1):
        sheet.append([number, row.key, row.label, *_figures(row.counts)])
    sheet.append(["", "", TOTAL_LABEL, *_figures(tally.total)])
    for row in sheet.iter_rows(min_row=first_head, max_row=sheet.max_row):
        for cell in row:
            cell.border = _BOX
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in sheet.iter_rows(min_row=first_head, max_row=first_head + 1):
        for cell in row:
            cell.font = Font(bold=True)
            cell.fill = _HEAD_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 46
    for index, column in enumerate(COLUMNS, start=4):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 14 if column.money else 10
        if column.money:
            for (cell,) in sheet.iter_rows(
                min_row=first_head + 2, min_col=index, max_col=index, max_row=sheet.max_row
            ):
                cell.number_format = "#,##0"
    sheet.freeze_panes = sheet.cell(row=first_head + 2, column=4)


def to_xlsx(tally: Tally) -> bytes:
    """A workbook: one sheet per view, the fees per day and method, the chart's figures."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for dimension in (Dimension.CHANNEL, Dimension.PROCEDURE, Dimension.CLERK):
        _view_sheet(book.create_sheet(_SHEET_NAMES[dimension]), tally, dimension)
    fees = book.create_sheet("Phí, lệ phí")
    fees.append(["Ngày", "Hình thức", "Số khoản", "Số tiền (đồng)"])
    for total in tally.fees:
        fees.append([total.day, total.method_label, total.payments, total.amount_vnd])
    for (cell,) in fees.iter_rows(min_row=2, min_col=1, max_col=1):
        cell.number_format = "DD/MM/YYYY"
    for (cell,) in fees.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "#,##0"
    chart = book.create_sheet("Biểu đồ")
    chart.append(["Thời gian", "Tiếp nhận", "Có kết quả", "Đã trả kết quả"])
    for point in tally.timeline:
        chart.append([point.label, point.received, point.resolved, point.returned])
    for extra in (fees, chart):
        for cell in extra[1]:
            cell.font = Font(bold=True)
        for letter in "ABCD":
            extra.column_dimensions[letter].width = 16
    book.properties.title = f"Số liệu tiếp nhận, giải quyết hồ sơ — {tally.period_label}"
    book.properties.creator = "ward-counter"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CSV_HEAD = [
    "Nhóm",
    "Mã",
    "Tên",
    *(f"{c.group}: {c.heading}" if c.group else c.heading for c in COLUMNS),
]


def to_csv(tally: Tally) -> bytes:
    """Every view's lines, then the total, as UTF-8 CSV with a byte order mark."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_HEAD)
    for dimension in (Dimension.CHANNEL, Dimension.PROCEDURE, Dimension.CLERK):
        label = DIMENSION_LABELS[dimension]
        for row in tally.rows(dimension):
            writer.writerow([label, row.key, row.label, *_figures(row.counts)])
    writer.writerow([TOTAL_LABEL, "", tally.unit_name, *_figures(tally.total)])
    return text.getvalue().encode("utf-8-sig")
