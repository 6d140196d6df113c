"""What the provincial administrator does: enrol devices, publish reference data, set statuses.

The same functions serve the ``province-server`` command line, the tests and the
benchmarks, so a status set "centrally" goes through exactly the code path a
real one would.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from counter_app import catalog as counter_catalog
from counter_app import models as counter_models
from counter_app.clock import SystemClock
from counter_app.codes import check_unit_code
from counter_app.errors import CounterError, ValidationError
from counter_app.lifecycle import STATUS_LABELS, TRANSITIONS, Status
from counter_app.text import nfc
from sync import protocol
from sync.server import devices
from sync.server.changes import ChangeLog
from sync.server.db import Database, utcnow
from sync.server.models import (
    ServerDossier,
    ServerEvent,
    ServerFeePayment,
    ServerUnit,
    SetAsideReport,
    Snapshot,
)
from sync.server.push import Rejected, append_event

PROVINCE_ACTOR = "province"


class AdminError(CounterError):
    """Something the administrator asked for that cannot be done, said plainly."""


@dataclass(frozen=True)
class Published:
    name: str
    etag: str
    changed: bool


def enrol(database: Database, *, unit_code: str, unit_name: str, slot: int) -> str:
    try:
        with database.write() as session:
            code = devices.new_enrolment(
                session, unit_code=unit_code, unit_name=unit_name, slot=slot, now=utcnow()
            )
            session.flush()
            refresh_units(session)  # a unit met for the first time is one counters may name
            return code
    except ValueError as exc:
        raise AdminError(str(exc)) from None


def revoke(database: Database, *, unit_code: str, slot: int) -> int:
    with database.write() as session:
        return devices.revoke(session, unit_code, slot, utcnow())


def _etag(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()[:32]


def _publish(database: Database, name: str, body: str) -> Published:
    with database.write() as session:
        return _store_snapshot(session, name, body)


def _store_snapshot(session: Session, name: str, body: str) -> Published:
    etag = _etag(body)
    row = session.get(Snapshot, name)
    if row is not None and row.etag == etag:
        return Published(name, etag, changed=False)
    if row is None:
        row = Snapshot(name=name)
        session.add(row)
    row.etag, row.body, row.published_at = etag, body, utcnow()
    return Published(name, etag, changed=True)


def refresh_units(session: Session) -> Published:
    """Publish every unit the server knows (listed by the province, or met at enrolment)."""
    units = session.scalars(select(ServerUnit).order_by(ServerUnit.code))
    snapshot = protocol.UnitsSnapshot(
        units=[protocol.UnitData(code=u.code, name=u.name) for u in units]
    )
    return _store_snapshot(session, "units", snapshot.model_dump_json(by_alias=True))


def publish_units(database: Database, data: dict[str, Any]) -> Published:
    """Add or rename the province's units; one left out of the file stays (dossiers name it)."""
    try:
        snapshot = protocol.UnitsSnapshot.model_validate(data)
    except Exception as exc:
        raise AdminError(f"Tệp danh sách đơn vị không hợp lệ — {exc}") from None
    codes = [u.code for u in snapshot.units]
    if len(set(codes)) != len(codes):
        raise AdminError("Tệp danh sách đơn vị có một mã đơn vị được khai báo hai lần.")
    for unit in snapshot.units:
        if message := check_unit_code(unit.code):
            raise AdminError(f"Đơn vị {unit.name!r}: {message}")
    with database.write() as session:
        for unit in snapshot.units:
            row = session.get(ServerUnit, unit.code)
            if row is None:
                session.add(ServerUnit(code=unit.code, name=nfc(unit.name)))
            else:
                row.name = nfc(unit.name)
        session.flush()
        return refresh_units(session)


def check_catalog(data: dict[str, Any]) -> None:
    """Refuse a catalog the counters would refuse, by running their own import on a scratch copy."""
    engine = create_engine("sqlite://")
    try:
        counter_models.Base.metadata.create_all(engine)
        with Session(engine) as session:
            counter_catalog.import_catalog(session, data)
    finally:
        engine.dispose()


def publish_catalog(database: Database, data: dict[str, Any]) -> Published:
    try:
        check_catalog(data)
    except ValidationError as exc:
        problems = "; ".join(f"{field}: {message}" for field, message in exc.errors.items())
        raise AdminError(f"Danh mục không hợp lệ — {problems}") from None
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return _publish(database, "catalog", body)


def publish_holidays(database: Database, data: dict[str, Any]) -> Published:
    try:
        snapshot = protocol.HolidaysSnapshot.model_validate(data)
    except Exception as exc:
        raise AdminError(f"Tệp ngày nghỉ không hợp lệ — {exc}") from None
    days = [d.day for d in snapshot.days]
    if len(set(days)) != len(days):
        raise AdminError("Tệp ngày nghỉ có một ngày được khai báo hai lần.")
    body = snapshot.model_dump_json(by_alias=True)
    return _publish(database, "holidays", body)


def set_status(
    database: Database, code: str, status: str, *, actor: str = PROVINCE_ACTOR, note: str = ""
) -> ServerEvent:
    """Record the province's processing step that leads ``code`` to ``status``."""
    try:
        wanted = Status(status)
    except ValueError:
        names = ", ".join(s.value for s in Status if s is not Status.DRAFT)
        raise AdminError(f"Không có trạng thái {status!r}; chọn một trong: {names}.") from None
    now = utcnow()
    with database.write() as session:
        dossier = session.scalar(
            select(ServerDossier).where(ServerDossier.code == code.strip()).with_for_update()
        )
        if dossier is None:
            raise AdminError(f"Không có hồ sơ mã {code} trên máy chủ tỉnh.")
        current = Status(dossier.status)
        kinds = [
            kind
            for kind, t in TRANSITIONS.items()
            if t.status_after is wanted and current in t.allowed_from
        ]
        if not kinds:
            raise AdminError(
                f"Hồ sơ {code} đang ở trạng thái '{STATUS_LABELS[current]}', "
                f"không thể chuyển sang '{STATUS_LABELS[wanted]}'."
            )
        data = protocol.EventData(
            id=str(uuid.uuid4()),
            dossier_id=dossier.id,
            kind=kinds[0],
            status_after=wanted.value,
            at=SystemClock().now(),
            actor=actor,
            unit_code=dossier.competent_unit_code,
            note=note,
        )
        log = ChangeLog()
        try:
            event, _ = append_event(session, log, dossier, data, origin="province")
        except Rejected as exc:
            raise AdminError(exc.message) from None
        log.commit(session, now)
        return event


def list_dossiers(database: Database, unit_code: str | None = None) -> list[dict[str, Any]]:
    with database.read() as session:
        query = select(ServerDossier).order_by(ServerDossier.code)
        if unit_code:
            query = query.where(
                (ServerDossier.receiving_unit_code == unit_code)
                | (ServerDossier.competent_unit_code == unit_code)
            )
        events = dict(
            session.execute(
                select(ServerEvent.dossier_id, func.count()).group_by(ServerEvent.dossier_id)
            ).all()
        )
        fees = {f.dossier_id: f for f in session.scalars(select(ServerFeePayment))}
        return [
            {
                "id": d.id,
                "code": d.code,
                "status": d.status,
                "receiving_unit": d.receiving_unit_code,
                "competent_unit": d.competent_unit_code,
                "procedure_code": d.procedure_code,
                "received_at": d.received_at.isoformat() if d.received_at else None,
                "events": events.get(d.id, 0),
                "scans": sum(
                    1 for doc in d.payload.get("documents") or [] if doc.get("attachment_sha256")
                ),
                "fee": _fee_summary(fees.get(d.id)),
            }
            for d in session.scalars(query)
        ]


def list_set_aside(database: Database) -> list[dict[str, Any]]:
    """What counters pulled but could not store, oldest change first, with their reasons."""
    with database.read() as session:
        rows = session.scalars(
            select(SetAsideReport).order_by(SetAsideReport.seq, SetAsideReport.unit_code)
        )
        return [
            {
                "seq": r.seq,
                "unit_code": r.unit_code,
                "device_id": r.device_id,
                "kind": r.kind,
                "dossier_id": r.dossier_id,
                "reason": r.reason,
                "reported_at": r.reported_at.isoformat(),
            }
            for r in rows
        ]


def _fee_summary(payment: ServerFeePayment | None) -> dict[str, Any] | None:
    if payment is None:
        return None
    return {
        "amount_vnd": payment.amount_vnd,
        "method": payment.method,
        "collected_at": payment.collected_at.isoformat(),
        "collected_by": payment.collected_by,
        # The receipt it carries now: after a reissue, the new number (records.reissue_receipt).
        "receipt_form": payment.payload.get("receipt_form"),
        "receipt_series": payment.payload.get("receipt_series"),
        "receipt_number": payment.payload.get("receipt_number"),
        "e_receipt_number": payment.payload.get("e_receipt_number"),
    }
