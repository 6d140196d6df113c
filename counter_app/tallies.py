"""The supervisor's tallies (số liệu thống kê) of this unit for a day or any range of days.

The headings are those of the provincial summary (DESIGN.md, "Early, on time,
late"), and they balance for every procedure and channel, and for every clerk
as the receiver of dossiers:

    received = new at the counter + via the postal service + online + carried over
             = resolved (early + on time + late) + in progress (not yet due + overdue)
               + waiting for a supplement + withdrawn or stopped + refused

- *new*: received in the period; *carried over*: received before it and still
  open (received, in processing or waiting for a supplement) when it began.
- *resolved*: the result was released ("result_ready") in the period; early,
  on time or late by ``counter_app.timeliness.classify`` against the appointment.
- *refused*, *withdrawn or stopped*: the dossier closed so in the period.
- *in progress*, *waiting for a supplement*: still open at the end of the
  period (or now, for a period not over yet); overdue when past the appointment
  in force then. A dossier waiting for a supplement is neither: its time limit
  starts again when the supplement comes (Decree 297/2025 art. 6(4)(a)).
- *guided*, *refused at the counter* ("hướng dẫn", "từ chối tiếp nhận"): forms 02
  and 03 handed out at the counter in the period *without receiving* the dossier
  (Đồng Tháp 138/2025/QĐ-UBND; MOH 3621/QĐ-BYT): outside the balance above, since
  nothing was received. They are records of this counter (``counter_app.guidance``),
  not synced, so another counter's tally of the unit does not see them.
- *returned*, *supplement requested*: what happened in the period; *overdue
  now*: open dossiers, not waiting for a supplement, past their appointment at
  this moment; *fees*: money taken
  in the period (cash and transfer; exemptions are counted, not summed), each
  payment listed with its receipt's form symbol, series and number, and the
  receipt numbers cancelled in the period listed as cancelled (Decree 123/2020
  art. 32 as amended by Decree 70/2025: numbered without gaps per series).

Per clerk, a dossier's figures go to the clerk who received it, while a
return and a fee go to the clerk who handed over or took the money.

Everything is counted by SQL aggregates, in ``counter_app.tally_queries``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.dossier_view import CHANNEL_LABELS
from counter_app.fee_receipts import ReceiptLine, receipt_lines
from counter_app.fees import FeeTotal
from counter_app.guidance import SUPPLEMENT, guidance_counts
from counter_app.models import Dossier, Procedure, StaffUser, Unit
from counter_app.tally_queries import (
    Cube,
    add_to,
    bucket,
    event_statement,
    fee_statement,
    fold_events,
    fold_fees,
    timeline_unit,
)
from counter_app.text import fold

if TYPE_CHECKING:
    pass

CHANNELS = ("direct", "postal", "online")
OFFICE_HOURS = range(7, 18)


class Dimension(StrEnum):
    PROCEDURE = "procedure"
    CLERK = "clerk"
    CHANNEL = "channel"


DIMENSION_LABELS = {
    Dimension.PROCEDURE: "Theo thủ tục hành chính",
    Dimension.CLERK: "Theo cán bộ",
    Dimension.CHANNEL: "Theo kênh tiếp nhận",
}


@dataclass(frozen=True)
class Counts:
    """The figures of one line of a tally (see the module docstring for each)."""

    new_counter: int = 0
    new_postal: int = 0
    new_online: int = 0
    carried_over: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    in_progress_not_due: int = 0
    in_progress_overdue: int = 0
    waiting_supplement: int = 0
    withdrawn: int = 0
    refused: int = 0
    returned: int = 0
    supplement_requested: int = 0
    overdue_now: int = 0
    fees_cash_vnd: int = 0
    fees_transfer_vnd: int = 0
    fee_payments: int = 0
    exemptions: int = 0
    guided: int = 0
    refused_at_counter: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def received_new(self) -> int:
        return self.new_counter + self.new_postal + self.new_online

    @property
    def received_total(self) -> int:
        return self.received_new + self.carried_over

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def resolved_in_time(self) -> int:
        """Early and on time together: what the province counts as on time."""
        return self.resolved_early + self.resolved_on_time

    @property
    def in_progress(self) -> int:
        return self.in_progress_not_due + self.in_progress_overdue

    @property
    def fees_vnd(self) -> int:
        return self.fees_cash_vnd + self.fees_transfer_vnd

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved, as the province reports it; None when nothing resolved."""
        return self.resolved_in_time / self.resolved if self.resolved else None

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Column:
    """One figure of the printed and exported tallies: ``group`` heads a run of columns."""

    attr: str
    heading: str
    group: str = ""
    money: bool = False


RECEIVED, RESOLVED, IN_PROGRESS = (
    "Số hồ sơ nhận giải quyết",
    "Số hồ sơ đã giải quyết",
    "Số hồ sơ đang giải quyết",
)
GIVEN_BACK, IN_PERIOD = "Rút hoặc trả lại", "Trong kỳ"
NOT_RECEIVED = "Tại quầy, không tiếp nhận"
COLUMNS = (
    Column("received_total", "Tổng số", RECEIVED),
    Column("new_counter", "Trực tiếp", RECEIVED),
    Column("new_postal", "Bưu chính", RECEIVED),
    Column("new_online", "Trực tuyến", RECEIVED),
    Column("carried_over", "Kỳ trước chuyển qua", RECEIVED),
    Column("resolved", "Tổng số", RESOLVED),
    Column("resolved_early", "Trước hạn", RESOLVED),
    Column("resolved_on_time", "Đúng hạn", RESOLVED),
    Column("resolved_late", "Quá hạn", RESOLVED),
    Column("in_progress", "Tổng số", IN_PROGRESS),
    Column("in_progress_not_due", "Chưa đến hạn", IN_PROGRESS),
    Column("in_progress_overdue", "Quá hạn", IN_PROGRESS),
    Column("waiting_supplement", "Chờ bổ sung"),
    Column("withdrawn", "Rút, dừng", GIVEN_BACK),
    Column("refused", "Từ chối", GIVEN_BACK),
    Column("returned", "Đã trả kết quả", IN_PERIOD),
    Column("supplement_requested", "Yêu cầu bổ sung", IN_PERIOD),
    Column("overdue_now", "Quá hạn đến nay"),
    Column("guided", "Hướng dẫn", NOT_RECEIVED),
    Column("refused_at_counter", "Từ chối tiếp nhận", NOT_RECEIVED),
    Column("fees_vnd", "Phí, lệ phí đã thu (đồng)", money=True),
)


def value(counts: Counts, attr: str) -> int:
    return int(getattr(counts, attr))


@dataclass(frozen=True)
class TallyRow:
    key: str
    label: str
    counts: Counts


@dataclass(frozen=True)
class TimelinePoint:
    """One bar group of the chart: an hour of a day, a day of a range, or a month."""

    label: str
    received: int
    resolved: int
    returned: int


@dataclass(frozen=True)
class Tally:
    """A unit's tally from ``first`` to ``last`` (inclusive), as it stood at ``as_of``."""

    unit_code: str
    unit_name: str
    first: dt.date
    last: dt.date
    as_of: dt.datetime
    total: Counts
    by_procedure: tuple[TallyRow, ...]
    by_clerk: tuple[TallyRow, ...]
    by_channel: tuple[TallyRow, ...]
    timeline: tuple[TimelinePoint, ...]
    fees: tuple[FeeTotal, ...]
    # Each payment's receipt (form symbol, series, number) and the numbers cancelled.
    receipts: tuple[ReceiptLine, ...] = ()

    def rows(self, dimension: Dimension) -> tuple[TallyRow, ...]:
        return {
            Dimension.PROCEDURE: self.by_procedure,
            Dimension.CLERK: self.by_clerk,
            Dimension.CHANNEL: self.by_channel,
        }[dimension]

    @property
    def single_day(self) -> bool:
        return self.first == self.last

    @property
    def timeline_unit(self) -> str:
        """What one bar group of the chart stands for: "hour", "day" or "month"."""
        return timeline_unit(self.first, self.last)

    @property
    def period_label(self) -> str:
        if self.single_day:
            return f"Ngày {self.first:%d/%m/%Y}"
        return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"


def compute_tally(
    session: Session, unit_code: str, first: dt.date, last: dt.date, now: dt.datetime
) -> Tally:
    """The tally of ``unit_code`` from ``first`` to ``last`` inclusive, as it stands at ``now``."""
    if last < first:
        first, last = last, first
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    d = Dossier
    ours = d.receiving_unit_code == unit_code
    cube: Cube = defaultdict(dict)
    chart: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def bucket_of(at: Any) -> Any:
        return bucket(at, first, last)

    received = session.execute(
        select(d.procedure_code, d.received_by, d.channel, func.count())
        .where(d.received_at >= start, d.received_at < end, ours)
        .group_by(d.procedure_code, d.received_by, d.channel)
    )
    for procedure, clerk, channel, number in received:
        name = {"postal": "new_postal", "online": "new_online"}.get(channel, "new_counter")
        add_to(cube, (procedure, clerk or "", channel, None), (name,), (number,))
    by_bucket = bucket_of(d.received_at)
    for label, number in session.execute(
        select(by_bucket, func.count())
        .where(d.received_at >= start, d.received_at < end, ours)
        .group_by(by_bucket)
    ):
        chart[str(label)]["received"] += int(number)

    fold_events(
        session.execute(event_statement(unit_code, start, end, now, bucket_of)),
        cube,
        chart,
    )

    for procedure, clerk, kind, number in guidance_counts(session, unit_code, start, end):
        name = "guided" if kind == SUPPLEMENT else "refused_at_counter"
        add_to(cube, (procedure, clerk, "direct", None), (name,), (number,))

    fees = fold_fees(session.execute(fee_statement(unit_code, start, end)), cube)
    tally = _assemble(session, unit_code, first, last, now, cube, chart, fees)
    return replace(tally, receipts=tuple(receipt_lines(session, first, last, unit_code)))


def _assemble(
    session: Session,
    unit_code: str,
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
    cube: Cube,
    chart: dict[str, dict[str, int]],
    fees: tuple[FeeTotal, ...],
) -> Tally:
    sums: dict[Dimension, dict[str, Counter[str]]] = {
        dim: defaultdict(Counter) for dim in Dimension
    }
    grand: Counter[str] = Counter()
    for (procedure, clerk, channel, actor), cell in cube.items():
        grand.update(cell)
        sums[Dimension.PROCEDURE][procedure].update(cell)
        sums[Dimension.CLERK][actor or clerk].update(cell)
        sums[Dimension.CHANNEL][channel].update(cell)
    total = Counts(**grand)
    by = {dim: {key: Counts(**cell) for key, cell in sums[dim].items()} for dim in Dimension}
    procedures = dict(
        session.execute(
            select(Procedure.code, Procedure.name).where(
                Procedure.code.in_(by[Dimension.PROCEDURE])
            )
        ).all()
    )
    staff = dict(
        session.execute(
            select(StaffUser.username, StaffUser.full_name).where(
                StaffUser.username.in_(by[Dimension.CLERK])
            )
        ).all()
    )
    for channel in CHANNELS:
        by[Dimension.CHANNEL].setdefault(channel, Counts())

    def rows(dim: Dimension, names: dict[str, str]) -> tuple[TallyRow, ...]:
        made = [
            TallyRow(key, names.get(key, key or "(không rõ)"), counts)
            for key, counts in by[dim].items()
            if not counts.empty or dim is Dimension.CHANNEL
        ]
        if dim is Dimension.CHANNEL:
            return tuple(
                sorted(made, key=lambda r: CHANNELS.index(r.key) if r.key in CHANNELS else 9)
            )
        return tuple(sorted(made, key=lambda r: (fold(r.label), r.key)))

    unit = session.get(Unit, unit_code)
    return Tally(
        unit_code=unit_code,
        unit_name=unit.name if unit else unit_code,
        first=first,
        last=last,
        as_of=now,
        total=total,
        by_procedure=rows(Dimension.PROCEDURE, procedures),
        by_clerk=rows(Dimension.CLERK, staff),
        by_channel=rows(Dimension.CHANNEL, CHANNEL_LABELS),
        timeline=_timeline(first, last, chart),
        fees=fees,
    )


def _timeline(
    first: dt.date, last: dt.date, chart: dict[str, dict[str, int]]
) -> tuple[TimelinePoint, ...]:
    """Every bucket of the period in order, empty ones too, so the chart's axis is regular."""
    unit = timeline_unit(first, last)
    if unit == "hour":
        hours = set(OFFICE_HOURS) | {int(h) for h in chart}
        keys = [(f"{h:02d}", f"{h}h") for h in range(min(hours), max(hours) + 1)]
    elif unit == "day":
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        keys = [(day.isoformat(), f"{day:%d/%m}") for day in days]
    else:
        keys, month = [], first.replace(day=1)
        while month <= last:
            keys.append((f"{month:%Y-%m}", f"{month:%m/%Y}"))
            month = (month + dt.timedelta(days=32)).replace(day=1)
    return tuple(
        TimelinePoint(
            label,
            chart.get(key, {}).get("received", 0),
            chart.get(key, {}).get("resolved", 0),
            chart.get(key, {}).get("returned", 0),
        )
        for key, label in keys
    )
