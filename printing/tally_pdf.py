"""The printed tally (báo cáo tình hình tiếp nhận và giải quyết hồ sơ) of a day or a range.

A4 landscape: the summary in words beside a bar chart of the period (hours of
a day, days of a range), then one table per view (channel, procedure, clerk)
under the provincial summary's headings, and the fees per day. The tables
break across pages with their three heading rows repeated, and every page is
numbered, so a stapled report reads in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter_app.fees import CASH, EXEMPT, METHOD_LABELS, TRANSFER
from counter_app.tallies import COLUMNS, DIMENSION_LABELS, Counts, Dimension, Tally, value
from printing.fonts import BOLD, REGULAR
from printing.parts import (
    COUNTER_HEADING,
    PLAIN,
    SEAL_HINT,
    Signature,
    balanced_lines,
    signatures,
)
from printing.report_layout import (
    CELL_SIZE,
    build_report,
    cell_styles,
    grid,
    landscape,
    section_title,
    unit_letterhead,
)
from printing.wording import clock_and_date, markup

TITLE = "BÁO CÁO TÌNH HÌNH TIẾP NHẬN VÀ GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
SECTIONS = (Dimension.CHANNEL, Dimension.PROCEDURE, Dimension.CLERK)
ROMAN = ("I", "II", "III", "IV", "V", "VI")
SERIES = (
    ("Tiếp nhận", colors.HexColor("#1f4e79")),
    ("Có kết quả", colors.HexColor("#5b9bd5")),
    ("Đã trả kết quả", colors.HexColor("#a5a5a5")),
)
NUMBER_SHARE, NAME_WIDTH, MONEY_WIDTH = 20.0, 176.0, 46.0


@dataclass(frozen=True)
class TallyPrint:
    """A tally and what the printed report adds: where, when, and who signs it."""

    tally: Tally
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    prepared_by: str = ""
    signer_title: str = "LÃNH ĐẠO ĐƠN VỊ"
    signer_name: str = ""


def number(count: int) -> str:
    """1234567 → "1.234.567", as Vietnamese documents group thousands."""
    return f"{count:,}".replace(",", ".")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def _summary(tally: Tally) -> list[str]:
    c = tally.total
    lines = [
        f"Tổng số hồ sơ nhận giải quyết: <b>{number(c.received_total)}</b> (tiếp nhận mới "
        f"{number(c.received_new)}: trực tiếp {number(c.new_counter)}, qua bưu chính "
        f"{number(c.new_postal)}, trực tuyến {number(c.new_online)}; kỳ trước chuyển qua "
        f"{number(c.carried_over)}).",
        f"Đã giải quyết: <b>{number(c.resolved)}</b> (trước hạn {number(c.resolved_early)}, "
        f"đúng hạn {number(c.resolved_on_time)}, quá hạn {number(c.resolved_late)}); "
        f"tỷ lệ giải quyết đúng hạn: <b>{percent(c.on_time_rate)}</b>.",
        f"Đang giải quyết: <b>{number(c.in_progress)}</b> (chưa đến hạn "
        f"{number(c.in_progress_not_due)}, quá hạn {number(c.in_progress_overdue)}); chờ bổ "
        f"sung {number(c.waiting_supplement)}; rút, dừng giải quyết {number(c.withdrawn)}; "
        f"từ chối {number(c.refused)}.",
        f"Trong kỳ: đã trả kết quả {number(c.returned)} hồ sơ; yêu cầu bổ sung "
        f"{number(c.supplement_requested)} hồ sơ. Hiện còn {number(c.overdue_now)} hồ sơ "
        "quá hạn chưa giải quyết.",
        f"Tại quầy, không tiếp nhận: hướng dẫn bổ sung (mẫu 02) {number(c.guided)} lượt; "
        f"từ chối tiếp nhận (mẫu 03) {number(c.refused_at_counter)} lượt.",
        f"Phí, lệ phí đã thu: <b>{number(c.fees_vnd)} đồng</b> (tiền mặt "
        f"{number(c.fees_cash_vnd)}, chuyển khoản {number(c.fees_transfer_vnd)}); "
        f"miễn thu {number(c.exemptions)} trường hợp.",
    ]
    return [f"{n}. {line}" for n, line in enumerate(lines, start=1)]


def chart(tally: Tally, width: float, height: float) -> Drawing:
    """Bars per hour (a day) or per day (a range): received, resolved, returned.

    Every string is set in Tinos and the drawing's initial font too: reportlab's
    default, Helvetica, has no Vietnamese glyphs and would not be embedded.
    """
    points = tally.timeline
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = 7
    bars = VerticalBarChart()
    bars.x, bars.y = 28, 34
    bars.width, bars.height = width - 38, height - 62
    bars.data = [
        [p.received for p in points],
        [p.resolved for p in points],
        [p.returned for p in points],
    ]
    crowded = len(points) > 16 and tally.timeline_unit == "day"
    # A month of days: the day of the month is label enough ("05" under its bars).
    names = [p.label.split("/")[0] if crowded else p.label for p in points]
    bars.categoryAxis.categoryNames = names
    labels = bars.categoryAxis.labels
    labels.fontName, labels.fontSize, labels.boxAnchor = REGULAR, 6.5 if not crowded else 6, "n"
    bars.valueAxis.labels.fontName = REGULAR
    bars.valueAxis.labels.fontSize = 6.5
    bars.valueAxis.valueMin = 0
    highest = max((max(series) for series in bars.data if series), default=0)
    bars.valueAxis.valueMax = max(4, highest * 1.1)
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#d9d9d9")
    bars.valueAxis.gridStrokeWidth = 0.4
    bars.barSpacing, bars.groupSpacing = 0.5, 3
    bars.bars.strokeWidth = 0
    for index, (_name, colour) in enumerate(SERIES):
        bars.bars[index].fillColor = colour
    drawing.add(bars)
    legend = Legend()
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.alignment, legend.boxAnchor = "right", "nw"
    legend.x, legend.y = width - 215, height - 4
    legend.columnMaximum, legend.deltax, legend.dxTextSpace = 1, 72, 4
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [(colour, name) for name, colour in SERIES]
    drawing.add(legend)
    caption = {"hour": "Biểu đồ theo giờ trong ngày", "day": "Biểu đồ theo ngày"}.get(
        tally.timeline_unit, "Biểu đồ theo tháng"
    )
    drawing.add(
        String(bars.x - 24, height - 11, caption, fontName=BOLD, fontSize=8, textAnchor="start")
    )
    return drawing


def _head_rows(first_heading: str) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    """Three heading rows: groups, columns, and the column numbers (1), (2)… of official tables."""
    cells = cell_styles()
    top: list[object] = [Paragraph("STT", cells.head), Paragraph(first_heading, cells.head)]
    middle: list[object] = ["", ""]
    spans: list[tuple[object, ...]] = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    index = 0
    while index < len(COLUMNS):
        column = COLUMNS[index]
        at = index + 2
        if not column.group:
            top.append(Paragraph(markup(column.heading), cells.head))
            middle.append("")
            spans.append(("SPAN", (at, 0), (at, 1)))
            index += 1
            continue
        run = 1
        while index + run < len(COLUMNS) and COLUMNS[index + run].group == column.group:
            run += 1
        top.append(Paragraph(markup(column.group), cells.head))
        top += [""] * (run - 1)
        middle += [Paragraph(markup(c.heading), cells.head) for c in COLUMNS[index : index + run]]
        spans.append(("SPAN", (at, 0), (at + run - 1, 0)))
        index += run
    numbers: list[object] = [Paragraph(f"({n})", cells.center) for n in range(1, len(COLUMNS) + 3)]
    return [top, middle, numbers], spans


def _figures(counts: Counts) -> list[object]:
    """Plain strings, set by the table's style: a Paragraph per figure would be a few
    hundred flowables to lay out on a report that must print within a second."""
    return [number(value(counts, c.attr)) for c in COLUMNS]


def view_table(tally: Tally, dimension: Dimension, width: float) -> Table:
    """One view's lines and the total, breaking across pages under repeated headings."""
    cells = cell_styles()
    heading = {
        Dimension.CHANNEL: "Kênh tiếp nhận",
        Dimension.PROCEDURE: "Thủ tục hành chính",
        Dimension.CLERK: "Cán bộ",
    }[dimension]
    rows, spans = _head_rows(heading)
    for index, row in enumerate(tally.rows(dimension), start=1):
        name = row.label if dimension is not Dimension.PROCEDURE else f"{row.label} ({row.key})"
        line = [Paragraph(str(index), cells.center), Paragraph(markup(name), cells.text)]
        rows.append([*line, *_figures(row.counts)])
    rows.append(["", Paragraph("<b>Tổng cộng</b>", cells.text), *_figures(tally.total)])
    plain = (width - NUMBER_SHARE - NAME_WIDTH - MONEY_WIDTH) / (len(COLUMNS) - 1)
    widths = [NUMBER_SHARE, NAME_WIDTH] + [MONEY_WIDTH if c.money else plain for c in COLUMNS]
    return Table(
        rows,
        colWidths=widths,
        repeatRows=3,
        style=grid(
            *spans,
            ("BACKGROUND", (0, 0), (-1, 2), colors.HexColor("#eef2f7")),
            ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f5f5f5")),
            ("FONTSIZE", (2, 3), (-1, -1), CELL_SIZE),
            ("ALIGN", (2, 3), (-1, -1), "RIGHT"),
            ("FONTNAME", (2, -1), (-1, -1), BOLD),
            pad=1.8,
        ),
    )


def fee_table(tally: Tally, width: float) -> Table:
    """Money per day and method: cash, transfer, the total, and the exemptions counted."""
    cells = cell_styles()
    head = [
        "Ngày",
        "Tiền mặt (đồng)",
        "Chuyển khoản (đồng)",
        "Cộng (đồng)",
        "Số khoản thu",
        "Miễn thu",
    ]
    rows: list[list[object]] = [[Paragraph(h, cells.head) for h in head]]
    days = sorted({t.day for t in tally.fees})
    sums = {(t.day, t.method): t for t in tally.fees}
    for day in days:
        cash, transfer = sums.get((day, CASH)), sums.get((day, TRANSFER))
        exempt = sums.get((day, EXEMPT))
        cash_vnd = cash.amount_vnd if cash else 0
        transfer_vnd = transfer.amount_vnd if transfer else 0
        payments = (cash.payments if cash else 0) + (transfer.payments if transfer else 0)
        rows.append(
            [Paragraph(f"{day:%d/%m/%Y}", cells.center)]
            + [
                Paragraph(number(n), cells.number)
                for n in (cash_vnd, transfer_vnd, cash_vnd + transfer_vnd, payments)
            ]
            + [Paragraph(number(exempt.payments if exempt else 0), cells.number)]
        )
    if not days:
        rows.append([Paragraph("Không có khoản thu nào trong kỳ.", cells.text), "", "", "", "", ""])
    total = tally.total
    rows.append(
        [Paragraph("<b>Tổng cộng</b>", cells.center)]
        + [
            Paragraph(number(n), cells.total)
            for n in (
                total.fees_cash_vnd,
                total.fees_transfer_vnd,
                total.fees_vnd,
                total.fee_payments,
                total.exemptions,
            )
        ]
    )
    extra = [("SPAN", (0, 1), (-1, 1))] if not days else []
    return Table(
        rows,
        colWidths=[width / 6] * 6,
        repeatRows=1,
        hAlign="LEFT",
        style=grid(*extra, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))),
    )


def receipt_table(tally: Tally, width: float) -> Table:
    """Each payment's receipt by series and number; a cancelled number says so."""
    cells = cell_styles()
    head = ["Mẫu số", "Ký hiệu", "Số", "Mã hồ sơ", "Số tiền (đồng)", "Thời gian thu", "Ghi chú"]
    rows: list[list[object]] = [[Paragraph(h, cells.head) for h in head]]
    for line in tally.receipts:
        if line.cancelled:
            note = "<b>Đã hủy</b>" + (
                f": {markup(line.cancel_reason)}" if line.cancel_reason else ""
            )
        elif line.electronic:
            note = f"Biên lai điện tử, mã tra cứu {markup(line.lookup)}"
        elif not line.number:
            note = "Chưa đánh số trên máy"
        else:
            note = METHOD_LABELS.get(line.method, line.method)
        rows.append(
            [
                Paragraph(markup(line.form_symbol), cells.center),
                Paragraph(markup(line.series), cells.center),
                Paragraph(markup(line.number), cells.center),
                Paragraph(markup(line.dossier_code), cells.text),
                Paragraph(number(line.amount_vnd), cells.number),
                Paragraph(f"{line.issued_at:%H:%M %d/%m/%Y}", cells.center),
                Paragraph(note, cells.text),
            ]
        )
    shares = (0.13, 0.1, 0.1, 0.22, 0.11, 0.14, 0.2)
    return Table(
        rows,
        colWidths=[width * share for share in shares],
        repeatRows=1,
        hAlign="LEFT",
        style=grid(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))),
    )


def render_tally(data: TallyPrint) -> bytes:
    """The report as PDF bytes, A4 landscape."""
    page = landscape()
    styles = page.styles
    tally = data.tally
    width = page.frame_width
    size = styles.body.fontSize - 1.5
    story: list[Flowable] = [
        unit_letterhead(
            page,
            unit_name=tally.unit_name,
            parent_agency=data.parent_agency,
            place=data.place_name,
            day=data.printed_at.date(),
            issuer=COUNTER_HEADING,
            share=0.38,
        )
    ]
    title = "<br/>".join(
        markup(t) for t in balanced_lines(TITLE, BOLD, styles.title.fontSize, width * 0.8)
    )
    story += [
        Paragraph(title, styles.title),
        Paragraph(markup(tally.period_label), styles.subtitle),
        Paragraph(markup(f"(Số liệu tính đến {clock_and_date(tally.as_of)})"), styles.subtitle),
        Spacer(1, 6),
        section_title(f"{ROMAN[0]}. TỔNG HỢP", size + 1),
    ]
    prose = ParagraphStyle(
        "summary", fontName=REGULAR, fontSize=size, leading=size * 1.35, spaceAfter=3
    )
    summary = [Paragraph(line, prose) for line in _summary(tally)]
    chart_width = width * 0.5
    story.append(
        Table(
            [[summary, chart(tally, chart_width, 190)]],
            colWidths=[width - chart_width, chart_width],
            style=PLAIN,
        )
    )
    for index, dimension in enumerate(SECTIONS, start=1):
        heading = section_title(f"{ROMAN[index]}. {DIMENSION_LABELS[dimension].upper()}", size + 1)
        story += [heading, view_table(tally, dimension, width)]
    story.append(
        KeepTogether(
            [
                section_title(f"{ROMAN[len(SECTIONS) + 1]}. PHÍ, LỆ PHÍ ĐÃ THU", size + 1),
                fee_table(tally, width * 0.7),
            ]
        )
    )
    if tally.receipts:
        story += [
            Spacer(1, 6),
            Paragraph(markup("Biên lai thu phí, lệ phí (theo ký hiệu và số)"), prose),
            receipt_table(tally, width),
        ]
    signers: Sequence[Signature | None] = [
        Signature("NGƯỜI LẬP BIỂU", data.prepared_by),
        None,
        Signature(data.signer_title, data.signer_name, SEAL_HINT),
    ]
    story.append(KeepTogether([Spacer(1, 8), signatures(page, list(signers))]))
    return build_report(
        page,
        story,
        title=f"Báo cáo tiếp nhận và giải quyết hồ sơ — {tally.period_label}",
        footer=f"Báo cáo tiếp nhận, giải quyết hồ sơ — {tally.unit_name} — {tally.period_label}",
    )
