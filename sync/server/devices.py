"""Counter devices: one-time enrolment codes, device tokens, revocation.

The provincial administrator runs ``province-server enrol`` for a unit's counter
slot and reads the code to the counter's administrator over the phone; the
counter trades it once for a device token. Only hashes are stored, so a copy of
the database lets nobody sync as a counter. Enrolling a slot again (a replaced
PC) revokes the token of the PC that held it.

Every request checks its token against the database (one read by a unique
index, see ``TokenCheck``): a token revoked by ``province-server device revoke``
(another process) or by enrolling its slot again is refused on its very next
request, by every server process alike. The one exception is the requests that
carry a scan's bytes (tus POST and PATCH), which may reuse a check this process
made less than ``UPLOAD_TOKEN_REUSE_S`` ago: a revoked device can go on sending
scans for at most that long, and nothing else (its push naming them is refused).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from anyio import to_thread
from sqlalchemy import Connection, Engine, bindparam, select
from sqlalchemy.orm import Session

from counter_app.codes import check_slot, check_unit_code
from counter_app.text import nfc
from sync import protocol
from sync.server.db import utcnow
from sync.server.models import ServerDevice, ServerUnit

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
CODE_LENGTH = 12
CODE_VALIDITY = dt.timedelta(days=7)
# How long after an enrolment the same device may present the same code again, for a
# token whose answer it never received (and so never used).
ENROL_RETRY_WINDOW = dt.timedelta(hours=1)
# How long a token check may be reused by the requests that carry a scan's bytes: the
# bound on how long a revoked device can go on uploading (see the module's docstring).
UPLOAD_TOKEN_REUSE_S = 5.0
# Above this many remembered checks, the stale ones are dropped (then all, if need be).
REUSED_CHECKS_MAX = 4096


class DeviceError(Exception):
    """A refusal with a code the client acts on and a message a person can act on."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class DeviceIdentity:
    """The caller of a request, as authorization needs it."""

    id: str
    unit_code: str
    slot: int


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_enrolment(
    session: Session, *, unit_code: str, unit_name: str, slot: int, now: dt.datetime
) -> str:
    """Create a one-time code for counter ``slot`` of ``unit_code``; returns the code."""
    for message in (check_unit_code(unit_code), check_slot(slot)):
        if message:
            raise ValueError(message)
    unit = session.get(ServerUnit, unit_code)
    if unit is None:
        session.add(ServerUnit(code=unit_code, name=nfc(unit_name)))
    elif unit_name:
        unit.name = nfc(unit_name)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(
        ServerDevice(
            id=str(uuid.uuid4()),
            unit_code=unit_code,
            slot=slot,
            code_hash=digest(raw),
            code_expires_at=now + CODE_VALIDITY,
            name=f"Quầy {slot}",
            created_at=now,
        )
    )
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def redeem(
    session: Session, request: protocol.EnrolRequest, now: dt.datetime
) -> tuple[str, ServerDevice, ServerUnit]:
    """Trade a one-time code for a device token.

    The code is spent for every other device at once. The device that redeemed
    it may present it again for a while, as long as it never used the token: the
    answer may have been lost on the way (a cut connection, a gateway's 504), and
    a code burnt by a lost answer would need another phone call to the province.
    It then gets a new token, and the lost one is void.
    """
    device = session.scalar(
        select(ServerDevice)
        .where(ServerDevice.code_hash == digest(_normalise_code(request.code)))
        .with_for_update()
    )
    if device is None or device.code_expires_at is None or device.code_expires_at < now:
        raise DeviceError(
            400,
            protocol.ERR_BAD_ENROLMENT,
            "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn; hãy xin quản trị tỉnh mã mới.",
        )
    if request.unit_code is not None and (device.unit_code, device.slot) != (
        request.unit_code,
        request.device_slot,
    ):
        raise DeviceError(
            400,
            protocol.ERR_BAD_ENROLMENT,
            f"Mã đăng ký này dành cho máy số {device.slot} của đơn vị {device.unit_code}, "
            f"nhưng máy này là máy số {request.device_slot} của đơn vị {request.unit_code}.",
        )
    if device.enrolled_at is not None:
        _check_retry(device, request, now)
    for previous in session.scalars(
        select(ServerDevice).where(
            ServerDevice.unit_code == device.unit_code,
            ServerDevice.slot == device.slot,
            ServerDevice.id != device.id,
            ServerDevice.token_hash.is_not(None),
            ServerDevice.revoked_at.is_(None),
        )
    ):
        previous.revoked_at = now
    token = secrets.token_urlsafe(32)
    device.token_hash = digest(token)
    device.counter_device_id = request.device_id
    device.name = nfc(request.device_name) or device.name
    device.enrolled_at = device.enrolled_at or now
    unit = session.get(ServerUnit, device.unit_code)
    assert unit is not None, "new_enrolment records the unit"
    return token, device, unit


def _check_retry(device: ServerDevice, request: protocol.EnrolRequest, now: dt.datetime) -> None:
    """Refuse a code already redeemed unless its own device asks again for a lost answer."""
    assert device.enrolled_at is not None
    lost_answer = (
        device.counter_device_id == request.device_id
        and device.revoked_at is None
        and device.last_seen_at is None
        and now - device.enrolled_at <= ENROL_RETRY_WINDOW
    )
    if not lost_answer:
        raise DeviceError(
            400,
            protocol.ERR_BAD_ENROLMENT,
            "Mã đăng ký này đã dùng; hãy xin quản trị tỉnh mã mới.",
        )


_BY_TOKEN = select(
    ServerDevice.id, ServerDevice.unit_code, ServerDevice.slot, ServerDevice.revoked_at
).where(ServerDevice.token_hash == bindparam("token_hash"))


def authenticate(connection: Connection | Session, token: str | None) -> DeviceIdentity:
    """The device holding ``token``, or the DeviceError that refuses the request."""
    if not token:
        raise _unknown(token)
    row = connection.execute(_BY_TOKEN, {"token_hash": digest(token)}).first()
    return _identity(token, None if row is None else tuple(row))


def _unknown(token: str | None) -> DeviceError:
    if not token:
        return DeviceError(
            401, protocol.ERR_UNKNOWN_TOKEN, "Máy này chưa đăng ký với máy chủ tỉnh."
        )
    return DeviceError(
        401,
        protocol.ERR_UNKNOWN_TOKEN,
        "Máy chủ tỉnh không nhận ra máy này; hãy đăng ký lại bằng mã mới.",
    )


def _identity(token: str | None, row: tuple[Any, ...] | None) -> DeviceIdentity:
    """``row`` is (id, unit_code, slot, revoked_at) of the device with the token's hash."""
    if row is None:
        raise _unknown(token)
    device_id, unit_code, slot, revoked_at = row
    if revoked_at is not None:
        raise DeviceError(
            401,
            protocol.ERR_REVOKED_TOKEN,
            "Máy chủ tỉnh đã thu hồi quyền đồng bộ của máy này (có thể một máy khác đã được "
            "đăng ký thay). Hãy xin quản trị tỉnh mã đăng ký mới.",
        )
    return DeviceIdentity(str(device_id), str(unit_code), int(slot))


class TokenCheck:
    """Checks tokens on a database connection of its own, with the statement compiled once.

    Every request of every counter asks. Through the pool each ask cost about a
    millisecond of server CPU (checkout, BEGIN, ROLLBACK, result objects) — more
    than receiving a 200 KB scan — while the SELECT itself takes microseconds on
    SQLite, which therefore runs it on the event loop; PostgreSQL's round trip runs
    in a worker thread. Any trouble with the connection falls back to the pool,
    whose errors the app already answers (503).
    """

    def __init__(self, engine: Engine, reuse_s: float = UPLOAD_TOKEN_REUSE_S) -> None:
        self.engine = engine
        self.inline = engine.dialect.name == "sqlite"
        compiled = _BY_TOKEN.compile(dialect=engine.dialect)
        self._sql = str(compiled)
        self._names = list(compiled.positiontup or []) if compiled.positional else None
        self._lock = threading.Lock()
        self._raw: Any = None
        self.reuse_s = reuse_s
        # token hash -> (monotonic time of the database check, what it found); live ones only.
        self._checked: dict[str, tuple[float, DeviceIdentity]] = {}

    async def identity(self, token: str | None) -> DeviceIdentity:
        """Read from the database now: what every request but an upload's bytes asks."""
        if not token:
            raise _unknown(token)
        if self.inline:
            return self._check(token)
        return await to_thread.run_sync(self._check, token)

    async def recent_identity(self, token: str | None) -> DeviceIdentity:
        """``identity``, or this process's check of the same token less than ``reuse_s`` ago.

        For the requests that carry a scan's bytes, one per scan: the database
        check (a worker thread's round trip and PostgreSQL's) took about a
        millisecond and a half of each upload under load, a fifth of the time a
        plain durable PUT of the same bytes takes. Only a device found live is
        remembered, and only for ``reuse_s``: that is how long a revoked device
        can go on uploading. Runs on the event loop, so the dict needs no lock.
        """
        if not token:
            raise _unknown(token)
        key = digest(token)
        now = time.monotonic()
        found = self._checked.get(key)
        if found is not None and now - found[0] < self.reuse_s:
            return found[1]
        identity = await self.identity(token)
        if len(self._checked) >= REUSED_CHECKS_MAX:
            self._checked = {k: v for k, v in self._checked.items() if now - v[0] < self.reuse_s}
            if len(self._checked) >= REUSED_CHECKS_MAX:
                self._checked.clear()
        self._checked[key] = (now, identity)
        return identity

    def _check(self, token: str) -> DeviceIdentity:
        params = {"token_hash": digest(token)}
        args: Any = params if self._names is None else [params[n] for n in self._names]
        with self._lock:
            try:
                if self._raw is None:
                    self._raw = self.engine.raw_connection()
                    if not self.inline:  # each SELECT its own transaction, as on SQLite
                        self._raw.driver_connection.autocommit = True
                cursor = self._raw.cursor()
                try:
                    cursor.execute(self._sql, args)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
            except Exception:
                self.close()
                with self.engine.connect() as connection:
                    return authenticate(connection, token)
        return _identity(token, None if row is None else tuple(row))

    def close(self) -> None:
        if self._raw is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to give back
                self._raw.close()
            self._raw = None


def revoke(session: Session, unit_code: str, slot: int, now: dt.datetime) -> int:
    """Revoke every live token of that counter slot; returns how many."""
    count = 0
    for device in session.scalars(
        select(ServerDevice).where(
            ServerDevice.unit_code == unit_code,
            ServerDevice.slot == slot,
            ServerDevice.revoked_at.is_(None),
        )
    ):
        device.revoked_at = now
        device.code_hash = None
        count += 1
    return count


def touch(session: Session, device_id: str) -> None:
    device = session.get(ServerDevice, device_id)
    if device is not None:
        device.last_seen_at = utcnow()
