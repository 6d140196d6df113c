"""The appointment the counter would give, with the working days it counts, writing nothing.

Clerks answer the telephone with it ("if I bring it at 15:30 on Friday, when is
it ready?"), and checks run it against the same calendar and catalog as
reception: the date comes from ``ReceptionService.appointment``'s own rule, so
the answer cannot differ from what the receipt would say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from counter_app.calendar_source import CalendarSource
from counter_app.catalog import procedure_info
from counter_app.errors import NotFound, ValidationError
from counter_app.models import Procedure
from counter_app.workdays import WORKING_DAY, DayStatus

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
RECEIVED_AT_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class AppointmentQuote:
    procedure_code: str
    procedure_name: str
    processing_label: str
    received_at: dt.datetime
    counting_from: dt.datetime
    due_at: dt.datetime
    counted_days: tuple[dt.date, ...]
    skipped_days: tuple[tuple[dt.date, DayStatus | None], ...]


def parse_received_at(text: str) -> dt.datetime:
    """``YYYY-MM-DD HH:MM`` as typed on the command line; a ValidationError naming the field."""
    try:
        return dt.datetime.strptime(text.strip(), RECEIVED_AT_FORMAT)
    except ValueError:
        raise ValidationError(
            {"--received-at": f"{text!r} không phải thời điểm dạng YYYY-MM-DD HH:MM"}
        ) from None


def quote(
    session: Session, calendar_source: CalendarSource, procedure_code: str, at: dt.datetime
) -> AppointmentQuote:
    """The appointment for ``procedure_code`` received ``at``, and the days it counts and skips."""
    procedure = session.get(Procedure, procedure_code.strip())
    if procedure is None or not procedure.active:
        # Reception refuses a retired procedure, so no appointment is quoted for one.
        raise NotFound(f"Không có thủ tục mã {procedure_code.strip()} trong danh mục đang áp dụng.")
    info = procedure_info(procedure)
    calendar = calendar_source.get(session)
    start = calendar.counting_start(at, info.cutoff)
    due = calendar.appointment(at, info.processing_amount, info.processing_unit, info.cutoff)
    counted, skipped = [], []
    day = start.date()
    while day < due.date():
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted.append(day)
        else:
            skipped.append((day, calendar.status(day)))
    if info.processing_unit == WORKING_DAY and not counted:
        counted.append(due.date())  # a same-day procedure counts its one day
    return AppointmentQuote(
        info.code,
        info.name,
        info.processing_label,
        at,
        start,
        due,
        tuple(counted),
        tuple(skipped),
    )


def day_label(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"


def describe(found: AppointmentQuote) -> list[str]:
    """The quote as the lines the command prints, in Vietnamese."""
    lines = [
        f"Thủ tục: {found.procedure_code} — {found.procedure_name}",
        f"Thời hạn giải quyết: {found.processing_label}",
        f"Tiếp nhận lúc: {found.received_at:%H:%M} {day_label(found.received_at.date())}",
    ]
    if found.counting_from != found.received_at:
        lines.append(
            f"Bắt đầu tính từ: {found.counting_from:%H:%M} {day_label(found.counting_from.date())}"
        )
    lines.append(f"Ngày hẹn trả kết quả: {found.due_at:%H:%M} {day_label(found.due_at.date())}")
    counted = ", ".join(day_label(day) for day in found.counted_days)
    lines.append(f"Ngày làm việc được tính ({len(found.counted_days)}): {counted}")
    if found.skipped_days:
        lines.append("Ngày nghỉ không tính:")
        for day, status in found.skipped_days:
            why = status.name if status is not None and status.name else "nghỉ cuối tuần"
            if status is not None and not status.confirmed:
                why += " — chưa được xác nhận"
            lines.append(f"  {day_label(day)}: {why}")
    return lines
