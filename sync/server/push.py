"""Applying pushed mutations: each once, in order, each with its own answer.

A mutation is checked completely before anything is written for it, so a
rejected one leaves no trace and the batch goes on with the next. A rejection
defers the later mutations of the same dossier in the batch: they wait on the
counter behind the rejected one, while every other dossier keeps flowing.
What is checked, and why, is in push_checks.py.

The batch is written in one SAVEPOINT; if the database refuses it, it is
written again with each mutation in a SAVEPOINT of its own, flushed there, so
a database error that no check foresaw is answered for that mutation alone
and the batch commits the rest: one bad record must not turn the whole push
into a 500 that the counter retries for ever.

Authorization is by unit: a device writes only dossiers its unit received. A
boundary-free dossier's changes are addressed to its competent unit too, so
that unit's counters see it; they do not write it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from counter_app.lifecycle import STATUS_LABELS, TRANSITIONS, Status
from sync import protocol
from sync.server import push_checks
from sync.server.changes import ChangeLog, Numbered
from sync.server.devices import DeviceIdentity
from sync.server.models import (
    AppliedMutation,
    BlobRef,
    ServerDocument,
    ServerDossier,
    ServerEvent,
    ServerFeePayment,
    ServerUnit,
)
from sync.server.records import attach_document, attach_result, record_fee, reissue_receipt
from sync.server.rejection import Rejected

__all__ = ["PushBatch", "Rejected", "append_event", "dossier_change_body"]

logger = logging.getLogger(__name__)

RECEIVE = ("dossier", "receive")
APPEND_EVENT = ("dossier_event", "append_event")
# A fee is an entity of its own (a refused payment holds back no event of its
# dossier); its dossier travels in the payload.
COLLECT_FEE = ("fee_payment", "collect")
REISSUE_RECEIPT = ("fee_payment", "reissue_receipt")
FEE_OPERATIONS = (COLLECT_FEE, REISSUE_RECEIPT)
ATTACH_DOCUMENT = ("dossier_document", "attach")
ATTACH_RESULT = ("dossier_result", "attach_result")


def dossier_of(mutation: protocol.Mutation) -> str:
    """The dossier a mutation is about, whatever entity it names."""
    if (mutation.entity, mutation.operation) in FEE_OPERATIONS:
        return str(mutation.payload.get("dossier_id", ""))
    return mutation.entity_id


def unit_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    wanted = set(codes)
    rows = session.execute(
        select(ServerUnit.code, ServerUnit.name).where(ServerUnit.code.in_(wanted))
    )
    return {row.code: row.name for row in rows}


def event_data(event: ServerEvent) -> protocol.EventData:
    return protocol.EventData(
        id=event.id,
        dossier_id=event.dossier_id,
        kind=event.kind,
        status_after=event.status_after,
        at=event.at,
        actor=event.actor,
        unit_code=event.unit_code,
        device_id=event.device_id,
        note=event.note,
        data=event.data,
        server_seq=event.server_seq,
    )


def dossier_change_body(
    dossier: ServerDossier, events: list[ServerEvent], names: dict[str, str]
) -> dict[str, Any]:
    """The pull body of a whole dossier, its number still blank (the change log fills it)."""
    data = protocol.DossierData.model_validate(
        {
            **dossier.payload,
            "events": [event_data(e) for e in events],
            "receiving_unit_name": names.get(dossier.receiving_unit_code),
            "competent_unit_name": names.get(dossier.competent_unit_code),
        }
    )
    change = protocol.Change(seq=0, kind="dossier", dossier_id=dossier.id, dossier=data)
    return change.model_dump(mode="json")


def append_event(
    session: Session,
    log: ChangeLog,
    dossier: ServerDossier,
    data: protocol.EventData,
    *,
    origin: str,
) -> tuple[ServerEvent, Numbered]:
    """Record one more event of ``dossier`` after checking the transition is allowed."""
    transition = TRANSITIONS.get(data.kind)
    if transition is None:
        raise Rejected("unknown_event", f"Không có thao tác {data.kind!r} trên hồ sơ.")
    current = Status(dossier.status)
    if current not in transition.allowed_from:
        raise Rejected(
            "not_allowed",
            f"Hồ sơ {dossier.code} đang ở trạng thái '{STATUS_LABELS[current]}' trên máy chủ "
            f"tỉnh, không thể ghi thao tác '{data.kind}'.",
        )
    status_after = transition.status_after or current
    event = ServerEvent(
        id=data.id,
        dossier_id=dossier.id,
        kind=data.kind,
        status_after=status_after.value,
        at=data.at,
        actor=data.actor,
        unit_code=data.unit_code,
        device_id=data.device_id,
        origin=origin,
        note=data.note,
        data=data.data,
    )
    session.add(event)
    dossier.status = status_after.value

    body = protocol.Change(seq=0, kind="event", dossier_id=dossier.id, event=event_data(event))
    audience = {dossier.receiving_unit_code, dossier.competent_unit_code}
    numbered = log.add("event", dossier.id, audience, body.model_dump(mode="json"), [event])
    return event, numbered


@dataclass
class Answer:
    mutation: protocol.Mutation
    outcome: protocol.Outcome
    slot: Numbered | None = None
    rejection: Rejected | None = None

    def result(self) -> protocol.MutationResult:
        return protocol.MutationResult(
            mutation_id=self.mutation.mutation_id,
            outcome=self.outcome,
            server_seq=self.slot.seq if self.slot else None,
            reason_code=self.rejection.code if self.rejection else None,
            reason=self.rejection.message if self.rejection else None,
        )


_MISSING = object()
# What writing one mutation may raise when its data is not what the database takes (or
# a check has a bug); a lost connection or a lock timeout (OperationalError) is not.
_FAILURES = (SQLAlchemyError, ValueError, TypeError, KeyError, AttributeError)


class PushBatch:
    """One push request, applied inside the caller's write transaction.

    ``apply`` checks and writes; the caller then numbers the change log and calls
    ``finish``, which records the applied mutations with their numbers.
    """

    def __init__(
        self,
        session: Session,
        device: DeviceIdentity,
        log: ChangeLog,
        now: dt.datetime,
        blob_stored: Callable[[str], bool],
    ) -> None:
        self.session = session
        self.device = device
        self.log = log
        self.now = now
        self.blob_stored = blob_stored
        self._names: dict[str, str] = {}
        self._dossiers: dict[str, ServerDossier] = {}
        self._codes: dict[str, None] = {}
        self._events: dict[str, int | None] = {}
        # Which dossier an id already belongs to: an event, a document, a fee payment.
        self._owners: dict[str, str] = {}
        self._fees: dict[str, ServerFeePayment] = {}
        # What the mutation being applied put in the caches above, to take out if it fails.
        self._undo: list[tuple[dict[str, Any], str, object]] = []
        self.answers: list[Answer] = []

    def _put(self, cache: dict[str, Any], key: str, value: Any) -> None:
        self._undo.append((cache, key, cache.get(key, _MISSING)))
        cache[key] = value

    def _preload(self, mutations: list[protocol.Mutation]) -> dict[str, int | None]:
        """Read what the batch needs in a few queries, not a few per mutation.

        Dossiers that events will be added to are locked (FOR UPDATE on
        PostgreSQL), so two counters returning the same result cannot both pass
        the transition check.
        """
        ids = [m.mutation_id for m in mutations]
        done = {
            row.mutation_id: row.server_seq
            for row in self.session.scalars(
                select(AppliedMutation).where(AppliedMutation.mutation_id.in_(ids))
            )
        }
        dossier_ids = {dossier_of(m) for m in mutations}
        receptions = [m.payload for m in mutations if (m.entity, m.operation) == RECEIVE]
        codes = {str(p.get("code")) for p in receptions if p.get("code")}
        event_ids = {
            str(m.payload.get("id")) for m in mutations if (m.entity, m.operation) == APPEND_EVENT
        }
        event_ids.update(str(e.get("id")) for e in _listed(receptions, "events"))
        document_ids = {str(d.get("id")) for d in _listed(receptions, "documents")}
        fee_ids = {m.entity_id for m in mutations if (m.entity, m.operation) == COLLECT_FEE}
        self._dossiers = {
            d.id: d
            for d in self.session.scalars(
                select(ServerDossier).where(ServerDossier.id.in_(dossier_ids)).with_for_update()
            )
        }
        self._codes = dict.fromkeys(
            self.session.scalars(select(ServerDossier.code).where(ServerDossier.code.in_(codes)))
        )
        for row in self.session.execute(
            select(ServerEvent.id, ServerEvent.server_seq, ServerEvent.dossier_id).where(
                ServerEvent.id.in_(event_ids)
            )
        ):
            self._events[row.id] = row.server_seq
            self._owners[row.id] = row.dossier_id
        if document_ids:
            self._owners.update(
                (row.id, row.dossier_id)
                for row in self.session.execute(
                    select(ServerDocument.id, ServerDocument.dossier_id).where(
                        ServerDocument.id.in_(document_ids)
                    )
                )
            )
        fee_dossiers = {
            dossier_of(m) for m in mutations if (m.entity, m.operation) in FEE_OPERATIONS
        }
        if fee_dossiers:
            found = self.session.scalars(
                select(ServerFeePayment).where(
                    ServerFeePayment.dossier_id.in_(fee_dossiers) | ServerFeePayment.id.in_(fee_ids)
                )
            )
            for fee in found:
                self._fees[fee.dossier_id] = fee
                self._owners[fee.id] = fee.dossier_id
        return done

    def apply(self, mutations: list[protocol.Mutation]) -> None:
        done = self._preload(mutations)
        with self.session.no_autoflush:
            if not self._apply_at_once(mutations, done):
                self._apply(mutations, done, self._guarded)

    def _apply_at_once(
        self, mutations: list[protocol.Mutation], done: dict[str, int | None]
    ) -> bool:
        """The whole batch in one SAVEPOINT and one flush: the usual case, and twice as fast.

        False when the database refused some of it: then nothing of it is kept,
        and the batch is applied again mutation by mutation (``_guarded``).
        """
        self._undo.clear()
        mark = len(self.log.pending)
        try:
            with self.session.begin_nested():
                self._apply(mutations, done, self._unguarded)
                self.session.flush()
        except OperationalError:
            raise
        except _FAILURES:
            self._forget(mark)
            self.answers.clear()
            return False
        return True

    def _unguarded(self, mutation: protocol.Mutation) -> Answer:
        # Every check comes before the first write, so a refusal leaves nothing to take back.
        try:
            return Answer(mutation, "applied", self._apply_one(mutation))
        except Rejected as rejection:
            return Answer(mutation, "rejected", rejection=rejection)

    def _apply(
        self,
        mutations: list[protocol.Mutation],
        done: dict[str, int | None],
        apply_one: Callable[[protocol.Mutation], Answer],
    ) -> None:
        slots: dict[str, Numbered] = {}
        blocked: set[str] = set()
        for mutation in mutations:
            key = mutation.mutation_id
            if key in done or key in slots:
                replay = slots.get(key) or Numbered(done[key])
                self.answers.append(Answer(mutation, "duplicate", replay))
            elif mutation.entity_id in blocked or dossier_of(mutation) in blocked:
                self.answers.append(Answer(mutation, "deferred"))
            else:
                answer = apply_one(mutation)
                if answer.slot is not None:
                    slots[key] = answer.slot
                if answer.outcome != "applied":
                    blocked.add(mutation.entity_id)
                self.answers.append(answer)

    def _guarded(self, mutation: protocol.Mutation) -> Answer:
        """Apply one mutation in a SAVEPOINT, flushed, so that whatever fails stays its own.

        A unique index hit here is another push writing the same record at the
        same moment: deferred, the counter sends it again and finds it stored.
        Any other error is refused with a reason the clerk can pass on. A lost
        connection or a lock timeout is no mutation's fault: it fails the batch,
        which the counter retries.
        """
        self._undo.clear()
        mark = len(self.log.pending)
        try:
            with self.session.begin_nested():
                slot = self._apply_one(mutation)
                self.session.flush()
        except Rejected as rejection:
            self._forget(mark)
            return Answer(mutation, "rejected", rejection=rejection)
        except OperationalError:
            raise
        except IntegrityError:
            self._forget(mark)
            logger.warning("push %s: a concurrent write; deferred", mutation.mutation_id)
            conflict = Rejected("conflict", "Máy chủ tỉnh đang ghi cùng bản ghi; sẽ gửi lại.")
            return Answer(mutation, "deferred", rejection=conflict)
        except _FAILURES:
            self._forget(mark)
            logger.exception("push %s could not be stored", mutation.mutation_id)
            failure = Rejected(
                "server_error",
                "Máy chủ tỉnh gặp lỗi khi ghi thay đổi này nên chưa ghi nhận nó (các thay đổi "
                "khác vẫn được ghi); hãy báo quản trị tỉnh, rồi bấm «Gửi lại tất cả».",
            )
            return Answer(mutation, "rejected", rejection=failure)
        return Answer(mutation, "applied", slot)

    def _forget(self, mark: int) -> None:
        """Take back what a failed mutation put in the change log and the caches."""
        del self.log.pending[mark:]
        for cache, key, old in reversed(self._undo):
            if old is _MISSING:
                cache.pop(key, None)
            else:
                cache[key] = old
        self._undo.clear()

    def finish(self) -> list[protocol.MutationResult]:
        self.session.add_all(
            AppliedMutation(
                mutation_id=a.mutation.mutation_id,
                device_id=self.device.id,
                server_seq=a.slot.seq if a.slot else None,
                applied_at=self.now,
            )
            for a in self.answers
            if a.outcome == "applied"
        )
        return [a.result() for a in self.answers]

    def _apply_one(self, mutation: protocol.Mutation) -> Numbered:
        if mutation.schema_version not in protocol.SUPPORTED_PAYLOAD_VERSIONS:
            raise Rejected(
                "unsupported_version",
                f"Máy chủ tỉnh chưa hiểu dữ liệu phiên bản {mutation.schema_version}; "
                "hãy báo quản trị tỉnh cập nhật máy chủ.",
            )
        push_checks.check_envelope(mutation)
        kind = (mutation.entity, mutation.operation)
        try:
            if kind == RECEIVE:
                return self._receive(
                    mutation, protocol.DossierData.model_validate(mutation.payload)
                )
            if kind == APPEND_EVENT:
                return self._event(mutation, protocol.EventData.model_validate(mutation.payload))
            if kind == COLLECT_FEE:
                return self._fee(mutation, protocol.FeePaymentData.model_validate(mutation.payload))
            if kind == REISSUE_RECEIPT:
                return self._reissue(
                    mutation, protocol.ReceiptReissue.model_validate(mutation.payload)
                )
            if kind == ATTACH_DOCUMENT:
                return self._attach(
                    mutation, protocol.DocumentAttachment.model_validate(mutation.payload)
                )
            if kind == ATTACH_RESULT:
                return self._attach_result(
                    mutation, protocol.ResultAttachment.model_validate(mutation.payload)
                )
        except ValidationError as exc:
            raise push_checks.invalid_payload(exc) from None
        raise Rejected(
            "unsupported_operation",
            f"Máy chủ tỉnh không có thao tác {mutation.entity}/{mutation.operation}.",
        )

    def _check_writer(self, receiving_unit_code: str, code: str) -> None:
        if receiving_unit_code != self.device.unit_code:
            raise Rejected(
                "wrong_unit",
                f"Máy này thuộc đơn vị {self.device.unit_code}, không được ghi hồ sơ {code} "
                f"do đơn vị {receiving_unit_code} tiếp nhận.",
            )

    def _check_unclaimed(self, ids: Iterable[str], dossier_id: str, code: str) -> None:
        """Ids a counter will store as keys must not belong to another dossier already."""
        for record_id in ids:
            owner = self._owners.get(record_id)
            if owner is not None and owner != dossier_id:
                raise Rejected(
                    "id_taken",
                    f"Mã bản ghi {record_id} của hồ sơ {code} đã thuộc một hồ sơ khác trên máy "
                    "chủ tỉnh; thay đổi này không được ghi nhận, hãy báo quản trị tỉnh.",
                )

    def _receive(self, mutation: protocol.Mutation, data: protocol.DossierData) -> Numbered:
        if data.id != mutation.entity_id:
            raise Rejected("invalid_payload", "Mã bản ghi hồ sơ không khớp với thay đổi.")
        self._check_writer(data.receiving_unit_code, data.code)
        if not data.code.startswith(data.receiving_unit_code + "-"):
            raise Rejected("bad_code", f"Mã hồ sơ {data.code} không mang mã đơn vị tiếp nhận.")
        if data.id in self._dossiers:
            raise Rejected("dossier_exists", f"Hồ sơ {data.code} đã có trên máy chủ tỉnh.")
        if data.code in self._codes:
            raise Rejected(
                "code_taken",
                f"Mã hồ sơ {data.code} đã được dùng cho một hồ sơ khác trên máy chủ tỉnh.",
            )
        statuses = push_checks.check_dossier(data)
        self._check_unclaimed([e.id for e in data.events], data.id, data.code)
        self._check_unclaimed([d.id for d in data.documents], data.id, data.code)
        hashes = {d.attachment_sha256 for d in data.documents if d.attachment_sha256}
        if not all(self.blob_stored(sha256) for sha256 in hashes):
            raise Rejected(
                "missing_blob",
                f"Máy chủ tỉnh chưa nhận đủ tệp đính kèm của hồ sơ {data.code}.",
            )
        dossier = ServerDossier(
            id=data.id,
            code=data.code,
            procedure_code=data.procedure_code,
            receiving_unit_code=data.receiving_unit_code,
            competent_unit_code=data.competent_unit_code,
            status=statuses[-1].value,
            received_at=data.received_at,
            device_id=self.device.id,
            payload=data.model_dump(
                mode="json",
                exclude={"events", "receiving_unit_name", "competent_unit_name"},
            ),
            stored_at=self.now,
        )
        self.session.add(dossier)
        self.session.add_all(BlobRef(sha256=sha256, dossier_id=data.id) for sha256 in hashes)
        self.session.add_all(ServerDocument(id=d.id, dossier_id=data.id) for d in data.documents)
        self._put(self._dossiers, dossier.id, dossier)
        self._put(self._codes, dossier.code, None)
        for record_id in [*(e.id for e in data.events), *(d.id for d in data.documents)]:
            self._put(self._owners, record_id, data.id)
        events = [
            ServerEvent(
                id=e.id,
                dossier_id=data.id,
                kind=e.kind,
                status_after=status.value,
                at=e.at,
                actor=e.actor,
                unit_code=e.unit_code,
                device_id=e.device_id,
                origin="counter",
                note=e.note,
                data=e.data,
            )
            for e, status in zip(data.events, statuses, strict=True)
        ]
        self.session.add_all(events)
        codes = (data.receiving_unit_code, data.competent_unit_code)
        missing = [code for code in codes if code not in self._names]
        if missing:
            self._names.update(unit_names(self.session, missing))
        body = dossier_change_body(dossier, events, self._names)
        return self.log.add("dossier", data.id, set(codes), body, events)

    def _event(self, mutation: protocol.Mutation, data: protocol.EventData) -> Numbered:
        dossier = self._known_dossier(data.dossier_id, mutation.entity_id)
        self._check_unclaimed([data.id], dossier.id, dossier.code)
        if data.id in self._events:
            return Numbered(self._events[data.id])
        push_checks.check_event_data(data, dossier.code)
        _, numbered = append_event(self.session, self.log, dossier, data, origin="counter")
        self._put(self._events, data.id, None)
        self._put(self._owners, data.id, dossier.id)
        return numbered

    def _known_dossier(self, dossier_id: str, entity_id: str) -> ServerDossier:
        dossier = self._dossiers.get(dossier_id)
        if dossier is None or dossier_id != entity_id:
            raise Rejected(
                "unknown_dossier", "Máy chủ tỉnh chưa có hồ sơ này (hồ sơ chưa được gửi lên)."
            )
        self._check_writer(dossier.receiving_unit_code, dossier.code)
        return dossier

    def _fee(self, mutation: protocol.Mutation, data: protocol.FeePaymentData) -> Numbered:
        if data.id != mutation.entity_id:
            raise Rejected("invalid_payload", "Mã khoản thu không khớp với thay đổi.")
        dossier = self._known_dossier(data.dossier_id, data.dossier_id)
        earlier = self._fees.get(dossier.id)
        if earlier is not None and earlier.id == data.id:
            return Numbered()  # this very payment, pushed under another key: nothing new
        self._check_unclaimed([data.id], dossier.id, dossier.code)
        payment, numbered = record_fee(
            self.session,
            self.log,
            dossier,
            data,
            earlier,
            device_id=self.device.id,
            now=self.now,
        )
        self._put(self._fees, dossier.id, payment)
        self._put(self._owners, data.id, dossier.id)
        return numbered

    def _reissue(self, mutation: protocol.Mutation, data: protocol.ReceiptReissue) -> Numbered:
        if data.payment_id != mutation.entity_id:
            raise Rejected("invalid_payload", "Mã khoản thu không khớp với thay đổi.")
        dossier = self._known_dossier(data.dossier_id, data.dossier_id)
        payment = self._fees.get(dossier.id)
        if payment is None or payment.id != data.payment_id:
            raise Rejected(
                "unknown_fee",
                f"Máy chủ tỉnh chưa có khoản thu này của hồ sơ {dossier.code} (chưa được gửi "
                "lên, hoặc đã bị từ chối); việc hủy biên lai, cấp số mới không được ghi nhận.",
            )
        return reissue_receipt(
            self.session,
            self.log,
            dossier,
            payment,
            data,
            device_id=self.device.id,
            now=self.now,
        )

    def _attach(self, mutation: protocol.Mutation, data: protocol.DocumentAttachment) -> Numbered:
        dossier = self._known_dossier(data.dossier_id, mutation.entity_id)
        sha256 = data.attachment_sha256
        stored = sha256 is not None and self.blob_stored(sha256)
        return attach_document(self.session, self.log, dossier, data, blob_stored=stored)

    def _attach_result(
        self, mutation: protocol.Mutation, data: protocol.ResultAttachment
    ) -> Numbered:
        # Only the unit that received the dossier (and holds its result) writes its scan.
        dossier = self._known_dossier(data.dossier_id, mutation.entity_id)
        sha256 = data.result_sha256
        stored = sha256 is not None and self.blob_stored(sha256)
        return attach_result(self.session, self.log, dossier, data, blob_stored=stored)


def _listed(payloads: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The dicts listed under ``key`` in each payload, whatever else a payload holds."""
    found: list[dict[str, Any]] = []
    for payload in payloads:
        items = payload.get(key)
        if isinstance(items, list):
            found.extend(item for item in items if isinstance(item, dict))
    return found
