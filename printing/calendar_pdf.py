"""The year's working calendar as the counter counts it, printed for the supervisor (A4).

Days off on weekdays, named holidays and make-up working days, each with the
layer that decided it (the province, the government's swaps shipped with the
application, the Labour Code) and its basis. A day announced only in principle
is marked "chưa xác nhận" in its row and counted in the note under the table,
so the paper pinned by the counter says which dates may still change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from counter_app.appointment_quote import WEEKDAYS
from counter_app.calendar_source import ORIGIN_LABELS, YearCalendar, load_year
from counter_app.settings import Settings
from printing.paper import sheet
from printing.parts import COUNTER_HEADING
from printing.report_layout import build_report, cell_styles, grid, unit_letterhead
from printing.wording import markup, place_from_unit

if TYPE_CHECKING:
    from counter_app.store import Store

TITLE = "LỊCH NGÀY NGHỈ VÀ NGÀY LÀM BÙ NĂM {year}"
UNCONFIRMED = "Chưa xác nhận"
COLUMN_SHARES = (0.06, 0.12, 0.10, 0.10, 0.24, 0.22, 0.16)
HEADINGS = ("STT", "Ngày", "Thứ", "Nghỉ / làm", "Tên ngày", "Căn cứ", "Nguồn")


@dataclass(frozen=True)
class CalendarPrint:
    calendar: YearCalendar
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""


def render_calendar(data: CalendarPrint) -> bytes:
    """The calendar as PDF bytes, A4 upright, every page numbered."""
    page = sheet("A4")
    styles = page.styles
    cells = cell_styles(8.5)
    year = data.calendar.year
    width = page.frame_width
    story: list[Flowable] = [
        unit_letterhead(
            page,
            unit_name=data.calendar.unit_name,
            parent_agency=data.parent_agency,
            place=data.place_name,
            day=data.printed_at.date(),
            issuer=COUNTER_HEADING,
        ),
        Paragraph(markup(TITLE.format(year=year)), styles.title),
        Paragraph(markup("(theo lịch phần mềm quầy dùng để tính ngày hẹn trả)"), styles.subtitle),
        Spacer(1, 6),
    ]
    rows: list[list[Any]] = [[Paragraph(h, cells.head) for h in HEADINGS]]
    marks: list[tuple[object, ...]] = []
    for index, day in enumerate(data.calendar.days, start=1):
        kind = "Làm việc" if day.working else "Nghỉ"
        origin = ORIGIN_LABELS.get(day.origin, day.origin)
        if not day.confirmed:
            origin += f" — {UNCONFIRMED}"
            marks.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#fdf1d6")))
        rows.append(
            [
                Paragraph(str(index), cells.center),
                Paragraph(f"{day.day:%d/%m/%Y}", cells.center),
                Paragraph(WEEKDAYS[day.day.weekday()], cells.text),
                Paragraph(kind, cells.center),
                Paragraph(markup(day.name or "Nghỉ cuối tuần"), cells.text),
                Paragraph(markup(day.basis), cells.text),
                Paragraph(markup(origin), cells.text),
            ]
        )
    story.append(
        Table(
            rows,
            colWidths=[width * share for share in COLUMN_SHARES],
            repeatRows=1,
            style=grid(*marks, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))),
        )
    )
    unconfirmed = len(data.calendar.unconfirmed)
    note = (
        f"Có {unconfirmed} ngày chưa được xác nhận (tô màu): tỉnh công bố để xác nhận hoặc "
        "thay đổi; đến khi đó phần mềm tính theo dòng trong bảng."
        if unconfirmed
        else "Mọi ngày trong bảng đã được xác nhận."
    )
    story += [Spacer(1, 6), Paragraph(markup(note), cells.text)]
    return build_report(
        page,
        story,
        title=f"Lịch ngày nghỉ và ngày làm bù năm {year}",
        footer=f"Lịch làm việc năm {year} — {data.calendar.unit_name}",
    )


def calendar_pdf(store: Store, year: int, settings: Settings, at: dt.datetime) -> bytes:
    """The printed calendar of ``year`` for this counter's unit, from the store's layers."""
    with store.read() as session:
        calendar = load_year(session, year)
    return render_calendar(
        CalendarPrint(
            calendar=calendar,
            place_name=settings.place_name or place_from_unit(calendar.unit_name),
            printed_at=at,
            parent_agency=settings.parent_agency,
        )
    )
