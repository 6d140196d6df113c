"""The digitization index (chỉ số số hóa) of this unit, per day or month and per counter PC.

The province is ranked by the public service index of Decision 766/QĐ-TTg
(2023), shown on the National Public Service Portal, which scores the
digitization of dossiers and of results among other things. The project's
legal notes (LEGAL-2025.md) record no formula from that decision, so the
figures below are read from the counter's own data by rules of our own, each
stated here so a supervisor can recount them:

- *received*: dossiers of this unit whose reception falls in the period, on
  the day (or month) of their reception, under the counter PC that received
  them (``Dossier.device_id``; a PC this store does not know is named by its id).
- *digitized at reception*: of those, the ones whose every document handed in
  (``dossier_document.received``) had its scan linked no later than the
  reception (``dossier_document.attached_at <= dossier.received_at``); a
  dossier with no document handed in is not counted as digitized. The link's
  time is what counts, not the time the file was first stored: a scan kept
  from an earlier dossier counts when it was linked to this one. A link made
  on another counter and pulled from the province carries the time it was
  made there, whether or not its file was fetched here yet, so every counter
  of the unit counts another PC's dossiers as that PC does. (Links made
  before this rule have the time their file was first stored, migration 0018.)
- *resolved*, *on time*: results released ("result_ready") in the period, on
  the day of the release, under the PC that received the dossier; on time when
  released by the appointment (early or on the day), the rule of
  ``counter_app.timeliness`` and of the tallies.
- *results digitized*: of the results resolved in the period, the ones whose
  dossier has a scan of the result (``dossier.result_sha256``,
  ``counter_app.result_scans``) stored no later than the result left the
  centre: no "returned" event before ``dossier.result_digitized_at``. A
  result still waiting at the counter counts once it is scanned; one scanned
  only after it was handed over does not. A scan signed here later keeps the
  time of the scan it signs; a scan taken off takes the result out.
- *online*, *counter*, *post*: the reception channel (``CHANNEL_LABELS``).
- *boundary-free* (phi địa giới): received here for another competent unit
  (``competent_unit_code`` differs from ``receiving_unit_code``).

Two SQL statements, each grouped by period and PC: the dossiers received (from
``ix_dossier_received_at``, each with its documents' links summed in a
subquery grouped by dossier) and the results released (from ``ix_dossier_event_at``,
each dossier's "returned" event looked up by its (dossier_id, seq) index only
when the dossier has a result scan).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import and_, exists, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from counter_app.installation import load_context
from counter_app.models import Device, Dossier, DossierDocument, DossierEvent, Unit
from counter_app.tally_queries import count_when

DAY, MONTH = "day", "month"
GROUPINGS = (DAY, MONTH)
GROUPING_LABELS = {DAY: "Theo ngày", MONTH: "Theo tháng"}
UNKNOWN_COUNTER = "(không rõ máy tiếp nhận)"
# At most this many days may be shown day by day (a year); longer ranges go by month.
MAX_DAILY_DAYS = 366


class IndexRangeError(ValueError):
    """A range the index cannot be shown for, with the reason in Vietnamese."""


@dataclass(frozen=True)
class IndexFigures:
    """The counts of one line; the shares are read from them."""

    received: int = 0
    digitized_at_reception: int = 0
    direct: int = 0
    postal: int = 0
    online: int = 0
    boundary_free: int = 0
    resolved: int = 0
    on_time: int = 0
    results_digitized: int = 0

    def __add__(self, other: IndexFigures) -> IndexFigures:
        return IndexFigures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def digitized_share(self) -> float | None:
        return self._share(self.digitized_at_reception, self.received)

    @property
    def on_time_share(self) -> float | None:
        return self._share(self.on_time, self.resolved)

    @property
    def boundary_free_share(self) -> float | None:
        return self._share(self.boundary_free, self.received)

    @property
    def online_share(self) -> float | None:
        return self._share(self.online, self.received)

    @property
    def results_digitized_share(self) -> float | None:
        return self._share(self.results_digitized, self.resolved)


@dataclass(frozen=True)
class IndexColumn:
    """One column of the printed, exported and shown index: a count or a share."""

    attr: str
    heading: str
    share: bool = False


INDEX_COLUMNS = (
    IndexColumn("received", "Hồ sơ tiếp nhận"),
    IndexColumn("digitized_at_reception", "Số hóa khi tiếp nhận"),
    IndexColumn("digitized_share", "Tỷ lệ số hóa khi tiếp nhận", share=True),
    IndexColumn("resolved", "Đã giải quyết"),
    IndexColumn("results_digitized", "Kết quả được số hóa"),
    IndexColumn("results_digitized_share", "Tỷ lệ kết quả được số hóa", share=True),
    IndexColumn("on_time", "Đúng hạn"),
    IndexColumn("on_time_share", "Tỷ lệ đúng hạn", share=True),
    IndexColumn("online", "Trực tuyến"),
    IndexColumn("direct", "Trực tiếp"),
    IndexColumn("postal", "Bưu chính"),
    IndexColumn("boundary_free", "Phi địa giới"),
    IndexColumn("boundary_free_share", "Tỷ lệ phi địa giới", share=True),
)


# The shares every chart of the index draws per period, with their headings.
CHART_SHARES = (
    ("digitized_share", "Tỷ lệ số hóa khi tiếp nhận"),
    ("results_digitized_share", "Tỷ lệ kết quả được số hóa"),
    ("on_time_share", "Tỷ lệ đúng hạn"),
    ("boundary_free_share", "Tỷ lệ phi địa giới"),
)


def share_text(rate: float | None, missing: str = "—") -> str:
    """0.25 → "25,0%", as Vietnamese reports write it; ``missing`` when there is no base."""
    return missing if rate is None else f"{rate * 100:.1f}".replace(".", ",") + "%"


def cell_text(figures: IndexFigures, column: IndexColumn) -> str:
    """A cell as every output writes it: a count with dots, a share with a comma."""
    figure = getattr(figures, column.attr)
    if column.share:
        return share_text(figure)
    return f"{int(figure):,}".replace(",", ".")


@dataclass(frozen=True)
class IndexRow:
    period: str  # "2026-10-05" or "2026-10"; "" for a counter's whole range
    period_label: str
    counter: str  # the PC's device id; "" for every PC together
    counter_label: str
    figures: IndexFigures


@dataclass(frozen=True)
class DigitizationIndex:
    unit_code: str
    unit_name: str
    first: dt.date
    last: dt.date
    grouping: str
    as_of: dt.datetime
    rows: tuple[IndexRow, ...]  # per period and PC, the periods in order
    periods: tuple[IndexRow, ...]  # per period, every PC together; every period of the range
    counters: tuple[IndexRow, ...]  # per PC over the whole range
    total: IndexFigures

    @property
    def period_label(self) -> str:
        if self.first == self.last:
            return f"Ngày {self.first:%d/%m/%Y}"
        return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"


def _period_of(at: Any, grouping: str) -> Any:
    return func.date(at) if grouping == DAY else func.strftime("%Y-%m", at)


def _periods(first: dt.date, last: dt.date, grouping: str) -> list[tuple[str, str]]:
    if grouping == DAY:
        days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        return [(day.isoformat(), f"{day:%d/%m/%Y}") for day in days]
    keys, month = [], first.replace(day=1)
    while month <= last:
        keys.append((f"{month:%Y-%m}", f"{month:%m/%Y}"))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return keys


def compute_index(
    session: Session,
    unit_code: str,
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
    grouping: str = DAY,
) -> DigitizationIndex:
    """The index of ``unit_code`` from ``first`` to ``last`` inclusive, as it stands at ``now``."""
    if grouping not in GROUPINGS:
        raise IndexRangeError(f"Cách nhóm '{grouping}' không có; hãy chọn theo ngày hoặc tháng.")
    if last < first:
        first, last = last, first
    if grouping == DAY and (last - first).days >= MAX_DAILY_DAYS:
        raise IndexRangeError(
            "Khoảng ngày dài hơn một năm; hãy xem theo tháng hoặc chọn khoảng ngắn hơn."
        )
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    d, doc = Dossier, DossierDocument
    in_range = and_(d.received_at >= start, d.received_at < end, d.receiving_unit_code == unit_code)
    # Per dossier received in the range: documents handed in, and those linked to a scan in time.
    linked_in_time = and_(doc.attachment_sha256.is_not(None), doc.attached_at <= d.received_at)
    docs = (
        select(
            doc.dossier_id.label("id"),
            func.count().label("handed_in"),
            count_when(linked_in_time).label("scanned"),
        )
        .join(d, d.id == doc.dossier_id)
        .where(in_range, doc.received.is_(True))
        .group_by(doc.dossier_id)
        .subquery()
    )
    period = _period_of(d.received_at, grouping)
    digitized = and_(docs.c.handed_in > 0, docs.c.scanned == docs.c.handed_in)
    received = session.execute(
        select(
            period,
            d.device_id,
            func.count(),
            count_when(digitized),
            count_when(d.channel == "direct"),
            count_when(d.channel == "postal"),
            count_when(d.channel == "online"),
            count_when(d.competent_unit_code != d.receiving_unit_code),
        )
        .outerjoin(docs, docs.c.id == d.id)
        .where(in_range)
        .group_by(period, d.device_id)
    )
    cells: dict[tuple[str, str], IndexFigures] = defaultdict(IndexFigures)
    for key, device, *numbers in received:
        cells[(str(key), device or "")] += IndexFigures(*(int(n or 0) for n in numbers))
    e, handed = DossierEvent, aliased(DossierEvent)
    released = _period_of(e.at, grouping)
    # Scanned before the result left the centre: no "returned" event before the scan.
    returned_before = exists().where(
        handed.dossier_id == d.id,
        handed.kind == "returned",
        handed.at < d.result_digitized_at,
    )
    scanned = and_(
        d.result_sha256.is_not(None), d.result_digitized_at.is_not(None), ~returned_before
    )
    resolved = session.execute(
        select(
            released, d.device_id, func.count(), count_when(e.at <= d.due_at), count_when(scanned)
        )
        # "+": the period's events drive and each finds its dossier by key.
        .join(d, d.id == literal_column("+dossier_event.dossier_id"))
        .where(
            e.kind == "result_ready",
            e.at >= start,
            e.at < end,
            d.receiving_unit_code == unit_code,
        )
        .group_by(released, d.device_id)
    )
    for key, device, count, on_time, results in resolved:
        cells[(str(key), device or "")] += IndexFigures(
            resolved=int(count), on_time=int(on_time), results_digitized=int(results)
        )
    return _assemble(session, unit_code, first, last, grouping, now, cells)


def _assemble(
    session: Session,
    unit_code: str,
    first: dt.date,
    last: dt.date,
    grouping: str,
    now: dt.datetime,
    cells: dict[tuple[str, str], IndexFigures],
) -> DigitizationIndex:
    devices = {key for _period, key in cells if key}
    known = {
        device_id: (slot, name)
        for device_id, slot, name in session.execute(
            select(Device.id, Device.slot, Device.name).where(Device.id.in_(devices))
        )
    }

    def counter_label(key: str) -> str:
        if not key:
            return UNKNOWN_COUNTER
        if key in known:
            slot, name = known[key]
            return name or f"Quầy {slot}"
        return f"Máy {key[:8]}"

    def counter_order(key: str) -> tuple[int, str]:
        return (known[key][0], key) if key in known else (10**6, counter_label(key))

    periods = _periods(first, last, grouping)
    order = sorted(devices | {key for _p, key in cells}, key=counter_order)
    rows = tuple(
        IndexRow(period, label, key, counter_label(key), cells[(period, key)])
        for period, label in periods
        for key in order
        if (period, key) in cells
    )
    by_period = tuple(
        IndexRow(
            period,
            label,
            "",
            "Tất cả",
            sum((r.figures for r in rows if r.period == period), IndexFigures()),
        )
        for period, label in periods
    )
    by_counter = tuple(
        IndexRow(
            "",
            "Cả kỳ",
            key,
            counter_label(key),
            sum((r.figures for r in rows if r.counter == key), IndexFigures()),
        )
        for key in order
    )
    unit = session.get(Unit, unit_code)
    return DigitizationIndex(
        unit_code=unit_code,
        unit_name=unit.name if unit else unit_code,
        first=first,
        last=last,
        grouping=grouping,
        as_of=now,
        rows=rows,
        periods=by_period,
        counters=by_counter,
        total=sum((r.figures for r in by_counter), IndexFigures()),
    )


def load_unit_index(
    store: Any, first: dt.date, last: dt.date, now: dt.datetime, grouping: str = DAY
) -> DigitizationIndex:
    """The index of this counter's unit, read in one session (the window, the CLI, the bench)."""
    with store.read() as session:
        unit_code = load_context(session).unit_code
        return compute_index(session, unit_code, first, last, now, grouping)
