"""Applying the mutations that follow a reception: a fee taken, a scan attached later.

All belong to the receiving unit, as the dossier does. A fee is pulled back
only by that unit's counters (it is that unit's money and receipt book); a
document's scan goes to the competent unit as well, since that unit processes
the dossier from it, and so does the scan of the result it decided.

A dossier's fee is taken once. Two counters of a unit that were both offline
may each have taken it; the first to reach the province is kept and the second
is refused with the first one's time and clerk, so the clerk refunds it.

A scan is named only by a unit that holds it (a device of it uploaded the bytes,
or it sees a dossier already carrying it), and downloaded only by the units that
see a dossier naming it: a hash alone opens nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import select as select_module
import threading
from collections.abc import Callable, Collection, Iterable
from typing import Any

from sqlalchemy import Engine, or_, select, union
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counter_app import lifecycle
from sync import protocol
from sync.server.blobs import Holder, is_sha256
from sync.server.changes import ChangeLog, Numbered
from sync.server.devices import DeviceIdentity
from sync.server.models import (
    BlobRef,
    BlobUpload,
    ServerDossier,
    ServerFeePayment,
    ServerFeeReceiptCancelled,
    SetAsideReport,
)
from sync.server.rejection import Rejected

METHOD_WORDS = {"cash": "thu tiền mặt", "transfer": "thu chuyển khoản", "exempt": "miễn thu"}


def record_fee(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    data: protocol.FeePaymentData,
    earlier: ServerFeePayment | None,
    *,
    device_id: str,
    now: dt.datetime,
) -> tuple[ServerFeePayment, Numbered]:
    """Store the payment of ``dossier``, unless ``earlier`` (another payment of it) was stored."""
    if earlier is not None:
        raise Rejected(
            "fee_already_taken",
            f"Phí, lệ phí của hồ sơ {dossier.code} đã được {METHOD_WORDS.get(earlier.method, '')} "
            f"lúc {earlier.collected_at:%H:%M %d/%m/%Y} (cán bộ {earlier.collected_by}, máy "
            "khác của đơn vị); khoản thu này không được ghi nhận, hãy hoàn lại cho công dân "
            "và hủy biên lai.",
        )
    payment = ServerFeePayment(
        id=data.id,
        dossier_id=dossier.id,
        unit_code=data.unit_code,
        device_id=device_id,
        amount_vnd=data.amount_vnd,
        method=data.method,
        stage=data.stage,
        collected_at=data.collected_at,
        collected_by=data.collected_by,
        payload=data.model_dump(mode="json"),
        stored_at=now,
    )
    session.add(payment)
    body = protocol.Change(seq=0, kind="fee_payment", dossier_id=dossier.id, fee_payment=data)
    numbered = log.add(
        "fee_payment", dossier.id, {dossier.receiving_unit_code}, body.model_dump(mode="json"), []
    )
    return payment, numbered


def _label(form: str | None, series: str | None, number: int | None) -> str:
    return f"{form or ''} {series or ''} số {number or 0:07d}".strip()


def reissue_receipt(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    payment: ServerFeePayment,
    data: protocol.ReceiptReissue,
    *,
    device_id: str,
    now: dt.datetime,
) -> Numbered:
    """Renumber ``payment``'s receipt and keep the number it cancelled.

    Only the payment's current number may be cancelled: a reissue judged against
    another number (sent twice under new keys, or after another counter's) would
    leave the province naming a cancelled receipt again.
    """
    payload = payment.payload
    current = (
        payload.get("receipt_form"),
        payload.get("receipt_series"),
        payload.get("receipt_number"),
    )
    old, new = data.cancelled, data.receipt
    if current != (old.form, old.series, old.number):
        raise Rejected(
            "receipt_not_current",
            f"Khoản thu của hồ sơ {dossier.code} trên máy chủ tỉnh mang biên lai "
            f"{_label(*current)}, không phải biên lai "
            f"{_label(old.form, old.series, old.number)} được hủy; việc cấp số mới không được "
            "ghi nhận, hãy báo quản trị tỉnh.",
        )
    if (new.form, new.series, new.number) == (old.form, old.series, old.number):
        raise Rejected(
            "invalid_payload",
            f"Biên lai mới của hồ sơ {dossier.code} trùng số với biên lai bị hủy.",
        )
    renumbered = {
        **payload,
        "receipt_form": new.form,
        "receipt_series": new.series,
        "receipt_number": new.number,
    }
    # Checked before anything is written: a refusal must leave the province as it was.
    fee = protocol.FeePaymentData.model_validate(renumbered)
    session.add(
        ServerFeeReceiptCancelled(
            payment_id=payment.id,
            form_symbol=old.form,
            series=old.series,
            number=old.number,
            cancelled_at=old.at,
            cancelled_by=old.by,
            reason=old.reason,
            device_id=device_id,
            stored_at=now,
        )
    )
    payment.payload = renumbered  # a new dict, so the JSON column is seen as changed
    body = protocol.Change(seq=0, kind="fee_payment", dossier_id=dossier.id, fee_payment=fee)
    return log.add(
        "fee_payment", dossier.id, {dossier.receiving_unit_code}, body.model_dump(mode="json"), []
    )


def attach_document(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    data: protocol.DocumentAttachment,
    *,
    blob_stored: bool,
) -> Numbered:
    """Point one document of ``dossier`` at a scan (or at none) and tell both units."""
    documents: list[dict[str, Any]] = [dict(d) for d in dossier.payload.get("documents") or []]
    found = next((d for d in documents if d.get("id") == data.document_id), None)
    if found is None:
        raise Rejected(
            "unknown_document",
            f"Hồ sơ {dossier.code} trên máy chủ tỉnh không có giấy tờ này; "
            "hãy báo quản trị để kiểm tra.",
        )
    sha256 = data.attachment_sha256
    if sha256 is not None and not blob_stored:
        raise Rejected(
            "missing_blob",
            f"Máy chủ tỉnh chưa nhận đủ tệp đính kèm '{found.get('name', '')}' "
            f"của hồ sơ {dossier.code}.",
        )
    found["attachment_sha256"] = sha256
    # A new dict, so the JSON column is seen as changed.
    dossier.payload = {**dossier.payload, "documents": documents}
    if sha256 is not None and session.get(BlobRef, (sha256, dossier.id)) is None:
        session.add(BlobRef(sha256=sha256, dossier_id=dossier.id))
    body = protocol.Change(seq=0, kind="document", dossier_id=dossier.id, document=data)
    audience = {dossier.receiving_unit_code, dossier.competent_unit_code}
    return log.add("document", dossier.id, audience, body.model_dump(mode="json"), [])


# The counter's rule (a result exists once ready, and stays once handed over), as stored here.
RESULT_STATUSES = frozenset(status.value for status in lifecycle.RESULT_STATUSES)


def attach_result(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    data: protocol.ResultAttachment,
    *,
    blob_stored: bool,
) -> Numbered:
    """Point ``dossier``'s result at a scan (or at none) and tell both units.

    A result is scanned once it exists, as the counter checks too: a scan of a
    dossier whose result the province has not heard of is refused, so the
    province never shows a result scan before the result itself.
    """
    if dossier.status not in RESULT_STATUSES:
        raise Rejected(
            "no_result",
            f"Hồ sơ {dossier.code} trên máy chủ tỉnh chưa có kết quả giải quyết nên chưa nhận "
            "bản số hóa kết quả; hãy đồng bộ lại sau khi kết quả được ghi nhận.",
        )
    sha256 = data.result_sha256
    if sha256 is not None and not blob_stored:
        raise Rejected(
            "missing_blob",
            f"Máy chủ tỉnh chưa nhận đủ tệp bản số hóa kết quả của hồ sơ {dossier.code}.",
        )
    dossier.result_sha256 = sha256
    dossier.result_digitized_at = (data.digitized_at or data.at) if sha256 else None
    if sha256 is not None and session.get(BlobRef, (sha256, dossier.id)) is None:
        session.add(BlobRef(sha256=sha256, dossier_id=dossier.id))
    body = protocol.Change(seq=0, kind="result", dossier_id=dossier.id, result=data)
    audience = {dossier.receiving_unit_code, dossier.competent_unit_code}
    return log.add("result", dossier.id, audience, body.model_dump(mode="json"), [])


def record_set_aside(
    session: Session,
    device: DeviceIdentity,
    changes: list[protocol.SetAsideChange],
    now: dt.datetime,
) -> None:
    """Keep what a counter could not store from its pull, for the administrator to put right."""
    known = set(
        session.scalars(
            select(SetAsideReport.seq).where(
                SetAsideReport.device_id == device.id,
                SetAsideReport.seq.in_([c.seq for c in changes]),
            )
        )
    )
    for change in changes:
        if change.seq in known or "\x00" in change.reason + change.dossier_id + change.kind:
            continue
        known.add(change.seq)
        session.add(
            SetAsideReport(
                device_id=device.id,
                seq=change.seq,
                unit_code=device.unit_code,
                kind=change.kind,
                dossier_id=change.dossier_id,
                reason=change.reason,
                reported_at=now,
            )
        )


def record_uploads(
    session: Session, holders: Iterable[tuple[str, str, str]], now: dt.datetime
) -> None:
    """Note which devices sent the bytes of which blobs (checked), once per device and blob."""
    rows = [
        {"sha256": sha256, "device_id": device_id, "unit_code": unit_code, "uploaded_at": now}
        for sha256, device_id, unit_code in holders
    ]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(BlobUpload).values(rows).on_conflict_do_nothing())


def blobs_held(session: Session, hashes: Collection[str], unit_code: str) -> set[str]:
    """Which of ``hashes`` the unit holds: a device of it uploaded them, or it may read them."""
    if not hashes:
        return set()
    wanted = sorted(set(hashes))
    uploaded = select(BlobUpload.sha256).where(
        BlobUpload.sha256.in_(wanted), BlobUpload.unit_code == unit_code
    )
    seen = (
        select(BlobRef.sha256)
        .join(ServerDossier, ServerDossier.id == BlobRef.dossier_id)
        .where(
            BlobRef.sha256.in_(wanted),
            or_(
                ServerDossier.receiving_unit_code == unit_code,
                ServerDossier.competent_unit_code == unit_code,
            ),
        )
    )
    return set(session.scalars(union(uploaded, seen)))


def named_blobs(mutations: Iterable[protocol.Mutation]) -> set[str]:
    """Every SHA-256 a push's payloads name, read before they are validated (strings only)."""
    found: set[str] = set()
    for mutation in mutations:
        payload = mutation.payload
        candidates = [payload.get("attachment_sha256"), payload.get("result_sha256")]
        documents = payload.get("documents")
        if isinstance(documents, list):
            candidates += [d.get("attachment_sha256") for d in documents if isinstance(d, dict)]
        # Only well-formed hashes reach the query (a NUL fails a PostgreSQL IN list for the
        # whole push); anything else is refused mutation by mutation when it is validated.
        found.update(c for c in candidates if isinstance(c, str) and is_sha256(c))
    return found


Holders = Callable[[Session, Collection[str], str], set[str]]


def nameable_blob(
    session: Session,
    unit_code: str,
    mutations: list[protocol.Mutation],
    durable: Callable[[str], bool],
    held_by: Holders = blobs_held,
) -> Callable[[str], bool]:
    """What a push by a device of ``unit_code`` may name: a durable blob its unit holds.

    A device names a scan only after uploading it (or when its unit already holds
    it, e.g. as the competent unit of a dossier carrying it); knowing a hash is
    not enough, or any unit could take any other's scan by naming it. The
    holders of every hash in the push are read in one query.
    """
    held = held_by(session, named_blobs(mutations), unit_code)

    def nameable(sha256: str) -> bool:
        if sha256 not in held and not held_by(session, [sha256], unit_code):
            return False
        return durable(sha256)

    return nameable


def unit_may_read_blob(session: Session, sha256: str, unit_code: str) -> bool:
    """A unit may download a scan named by a dossier it sees (received, or competent for)."""
    found = session.scalar(
        select(BlobRef.dossier_id)
        .join(ServerDossier, ServerDossier.id == BlobRef.dossier_id)
        .where(
            BlobRef.sha256 == sha256,
            or_(
                ServerDossier.receiving_unit_code == unit_code,
                ServerDossier.competent_unit_code == unit_code,
            ),
        )
        .limit(1)
    )
    return found is not None


class HolderLog:
    """Notes a blob's uploader, durably, while the blob itself is being made durable.

    Once per blob received, on the upload's path, and the answer waits for it:
    the push that names the blob must find the row on any process, and after a
    power cut too (a row lost behind an acknowledged upload would get that push
    refused ``missing_blob``). So it is an ordinary commit, flushed to the WAL
    like every other write. Two things keep it off the upload's time: on
    PostgreSQL ``begin`` sends one autocommit INSERT on a connection kept for
    notes (through the pool and a session a note cost a checkout, its ping,
    BEGIN, COMMIT and the reset, more than the rest of a 200 KB upload) and
    returns at once (the blob store sends it as soon as the upload's hash
    matches, before or while the blob's ``fdatasync`` runs), and the function
    it returns collects the commit's answer, called once the blob is in
    place: PostgreSQL's WAL flush and the blob's flush overlap. The
    connection is used by one thread at a time, the hand-over ordered by the
    hashing's future. SQLite, every connection busy, and any trouble with one go
    through ``write`` at once, on the pool.
    """

    # Notes in flight at once on connections of their own; more wait on the pool instead.
    CONNECTIONS = 4
    _SQL = (
        f"INSERT INTO {BlobUpload.__tablename__} (sha256, device_id, unit_code, uploaded_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
    ).encode()

    def __init__(self, engine: Engine, write: Callable[[list[Holder]], None]) -> None:
        self.engine = engine
        self.write = write
        self.direct = engine.dialect.name == "postgresql"
        self._lock = threading.Lock()
        self._idle: list[Any] = []  # pooled DBAPI connections, autocommit, none sending
        self._open = 0

    def note(self, holder: Holder, now: dt.datetime) -> None:
        """Write the note and wait for its commit."""
        self.begin(holder, now)()

    def begin(self, holder: Holder, now: dt.datetime) -> Callable[[], None]:
        """Send the note; the function returned waits for its commit (later, any one thread)."""
        raw = self._take() if self.direct else None
        if raw is None:
            self.write([holder])
            return _done
        values = [*holder, now.isoformat(" ")]
        try:
            pgconn = raw.driver_connection.pgconn
            pgconn.send_query_params(self._SQL, [v.encode() for v in values])
            _flush(pgconn)
        except Exception:
            self._drop(raw)
            self.write([holder])
            return _done

        def finish() -> None:
            try:
                _collect(pgconn)
            except Exception:
                self._drop(raw)
                self.write([holder])  # whether or not it was committed: the INSERT is idempotent
                return
            self._give_back(raw)

        return finish

    def _take(self) -> Any:
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if self._open >= self.CONNECTIONS:
                return None
            self._open += 1
        raw: Any = None
        try:
            raw = self.engine.raw_connection()
            raw.driver_connection.autocommit = True
        except Exception:
            with self._lock:
                self._open -= 1
            if raw is not None:
                with contextlib.suppress(Exception):
                    raw.invalidate()
            return None
        return raw

    def _give_back(self, raw: Any) -> None:
        with self._lock:
            self._idle.append(raw)

    def _drop(self, raw: Any) -> None:
        with self._lock:
            self._open -= 1
        with contextlib.suppress(Exception):  # already broken: nothing to give back
            raw.invalidate()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            self._open -= len(idle)
        for raw in idle:
            with contextlib.suppress(Exception):  # back to the pool as the pool lent it
                raw.driver_connection.autocommit = False
                raw.close()


def _done() -> None:
    """Nothing left to wait for."""


def _flush(pgconn: Any) -> None:
    """Send what libpq still holds (psycopg's connections are non-blocking), as libpq says to."""
    while pgconn.flush():
        readable, _, _ = select_module.select([pgconn.socket], [pgconn.socket], [])
        if readable:
            pgconn.consume_input()


def _collect(pgconn: Any) -> None:
    """Wait (in ``select``, without the GIL) for what ``pgconn`` was sent; raise if it failed."""
    from psycopg import OperationalError, pq

    while True:
        pgconn.consume_input()
        while pgconn.is_busy():
            select_module.select([pgconn.socket], [], [])
            pgconn.consume_input()
        result = pgconn.get_result()
        if result is None:
            return
        if result.status != pq.ExecStatus.COMMAND_OK:
            message = result.error_message.decode(errors="replace")
            raise OperationalError(message or "the note was not written")
