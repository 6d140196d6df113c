"""The printed digitization index (báo cáo chỉ số số hóa hồ sơ), A4 landscape.

The same letterhead, numbered pages and signatures as the printed tally, so it
files with it: a bar chart of the shares per period, then the table per period
and counter PC, the table per PC, and the rules the figures follow, since the
province will compare them with the portal's own.
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

from counter_app.digitization_index import (
    CHART_SHARES,
    GROUPING_LABELS,
    INDEX_COLUMNS,
    DigitizationIndex,
    IndexFigures,
    IndexRow,
    cell_text,
)
from printing.fonts import BOLD, REGULAR
from printing.parts import COUNTER_HEADING, SEAL_HINT, Signature, balanced_lines, signatures
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

TITLE = "BÁO CÁO CHỈ SỐ SỐ HÓA HỒ SƠ THỦ TỤC HÀNH CHÍNH"
COLOURS = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#2e9e6b"),
    colors.HexColor("#5b9bd5"),
    colors.HexColor("#a5a5a5"),
)
PERIOD_WIDTH, COUNTER_WIDTH = 58.0, 92.0
RULES = (
    "Số hóa khi tiếp nhận: mọi giấy tờ đã nhận của hồ sơ đều được gắn bản quét trước hoặc đúng "
    "lúc tiếp nhận.",
    "Kết quả được số hóa: trong số hồ sơ có kết quả trong kỳ, hồ sơ có bản quét kết quả giải "
    "quyết lưu trước hoặc đúng lúc trả kết quả (kết quả chưa trả: đã có bản quét).",
    "Đúng hạn: hồ sơ có kết quả trong kỳ, trước hoặc đúng thời hạn hẹn trả; tính cho máy đã "
    "tiếp nhận hồ sơ.",
    "Phi địa giới: hồ sơ tiếp nhận tại đơn vị cho cơ quan giải quyết khác.",
)


@dataclass(frozen=True)
class IndexPrint:
    index: DigitizationIndex
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    prepared_by: str = ""
    signer_title: str = "LÃNH ĐẠO ĐƠN VỊ"


def index_chart(index: DigitizationIndex, width: float, height: float) -> Drawing:
    """Bars per period: digitized at reception, results digitized, on time, boundary-free,
    as percentages."""
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = 7
    bars = VerticalBarChart()
    bars.x, bars.y = 30, 30
    bars.width, bars.height = width - 40, height - 58
    bars.data = [
        [round((getattr(p.figures, attr) or 0) * 100, 1) for p in index.periods]
        for attr, _heading in CHART_SHARES
    ]
    crowded = len(index.periods) > 16
    names = [
        p.period_label[:5] if index.grouping == "day" else p.period_label for p in index.periods
    ]
    bars.categoryAxis.categoryNames = [n[:2] if crowded else n for n in names]
    bars.categoryAxis.labels.fontName = REGULAR
    bars.categoryAxis.labels.fontSize = 6 if crowded else 6.5
    bars.categoryAxis.labels.boxAnchor = "n"
    bars.valueAxis.labels.fontName = REGULAR
    bars.valueAxis.labels.fontSize = 6.5
    bars.valueAxis.valueMin, bars.valueAxis.valueMax, bars.valueAxis.valueStep = 0, 100, 20
    bars.valueAxis.labelTextFormat = "%d%%"
    bars.valueAxis.visibleGrid = True
    bars.valueAxis.gridStrokeColor = colors.HexColor("#d9d9d9")
    bars.valueAxis.gridStrokeWidth = 0.4
    bars.barSpacing, bars.groupSpacing = 0.5, 3
    bars.bars.strokeWidth = 0
    for place, colour in enumerate(COLOURS):
        bars.bars[place].fillColor = colour
    drawing.add(bars)
    legend = Legend()
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.alignment, legend.boxAnchor = "right", "nw"
    legend.x, legend.y = width - 500, height - 4
    legend.columnMaximum, legend.deltax, legend.dxTextSpace = 1, 125, 4
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [(c, h) for c, (_a, h) in zip(COLOURS, CHART_SHARES, strict=True)]
    drawing.add(legend)
    caption = "Biểu đồ tỷ lệ " + GROUPING_LABELS[index.grouping].lower()
    drawing.add(String(4, height - 11, caption, fontName=BOLD, fontSize=8, textAnchor="start"))
    return drawing


def _cells(figures: IndexFigures) -> list[object]:
    """Plain strings, set by the table's style."""
    return [cell_text(figures, c) for c in INDEX_COLUMNS]


def index_table(index: DigitizationIndex, rows: Sequence[IndexRow], width: float) -> Table:
    """Lines under a repeated heading and the column numbers, the total in bold at the foot."""
    cells = cell_styles()
    head: list[object] = [
        Paragraph("Thời gian", cells.head),
        Paragraph("Máy tiếp nhận", cells.head),
        *(Paragraph(markup(c.heading), cells.head) for c in INDEX_COLUMNS),
    ]
    numbers: list[object] = [
        Paragraph(f"({n})", cells.center) for n in range(1, len(INDEX_COLUMNS) + 3)
    ]
    lines: list[list[object]] = [head, numbers]
    for row in rows:
        lines.append(
            [
                Paragraph(markup(row.period_label), cells.center),
                Paragraph(markup(row.counter_label), cells.text),
                *_cells(row.figures),
            ]
        )
    if not rows:
        lines.append(
            [Paragraph("Không có hồ sơ nào trong kỳ.", cells.text)] + [""] * (len(head) - 1)
        )
    lines.append(
        [
            "",
            Paragraph("<b>Tổng cộng</b>", cells.text),
            *_cells(index.total),
        ]
    )
    plain = (width - PERIOD_WIDTH - COUNTER_WIDTH) / len(INDEX_COLUMNS)
    extra = [("SPAN", (0, 2), (-1, 2))] if not rows else []
    return Table(
        lines,
        colWidths=[PERIOD_WIDTH, COUNTER_WIDTH] + [plain] * len(INDEX_COLUMNS),
        repeatRows=2,
        style=grid(
            *extra,
            ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#eef2f7")),
            ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f5f5f5")),
            ("FONTNAME", (2, 2), (-1, -1), REGULAR),
            ("FONTSIZE", (2, 2), (-1, -1), CELL_SIZE),
            ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
            ("FONTNAME", (2, -1), (-1, -1), BOLD),
            pad=1.8,
        ),
    )


def render_index(data: IndexPrint) -> bytes:
    """The report as PDF bytes."""
    page = landscape()
    styles = page.styles
    index = data.index
    width = page.frame_width
    size = styles.body.fontSize - 1.5
    title = "<br/>".join(
        markup(t) for t in balanced_lines(TITLE, BOLD, styles.title.fontSize, width * 0.8)
    )
    prose = ParagraphStyle(
        "index_prose", fontName=REGULAR, fontSize=size - 1, leading=(size - 1) * 1.35
    )
    grouping = GROUPING_LABELS[index.grouping].lower()
    story: list[Flowable] = [
        unit_letterhead(
            page,
            unit_name=index.unit_name,
            parent_agency=data.parent_agency,
            place=data.place_name,
            day=data.printed_at.date(),
            issuer=COUNTER_HEADING,
            share=0.38,
        ),
        Paragraph(title, styles.title),
        Paragraph(markup(index.period_label), styles.subtitle),
        Paragraph(markup(f"(Số liệu tính đến {clock_and_date(index.as_of)})"), styles.subtitle),
        Spacer(1, 6),
        index_chart(index, width, 170),
        section_title(f"I. CHỈ SỐ {grouping.upper()} VÀ THEO MÁY TIẾP NHẬN", size + 1),
        index_table(index, index.rows, width),
        section_title("II. THEO MÁY TIẾP NHẬN, CẢ KỲ", size + 1),
        index_table(index, index.counters, width),
        Spacer(1, 4),
        *(Paragraph(markup(f"Ghi chú {n}: {rule}"), prose) for n, rule in enumerate(RULES, 1)),
    ]
    signers: Sequence[Signature | None] = [
        Signature("NGƯỜI LẬP BIỂU", data.prepared_by),
        None,
        Signature(data.signer_title, "", SEAL_HINT),
    ]
    story.append(KeepTogether([Spacer(1, 8), signatures(page, list(signers))]))
    return build_report(
        page,
        story,
        title=f"Báo cáo chỉ số số hóa — {index.period_label}",
        footer=f"Chỉ số số hóa — {index.unit_name} — {index.period_label}",
    )
