"""This counter's identity: its unit, its device slot, its first administrator.

``counter-app init`` runs ``initialise`` once per data directory; the window's
first-run dialog runs ``set_up``, which checks everything typed before it makes
any file, so a mistake or a cancel leaves the data directory as it was. Every
other service is handed the ``CounterContext`` read back from the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import auth, catalog, limits
from counter_app.codes import check_slot, check_unit_code
from counter_app.errors import NotInitialised, ValidationError
from counter_app.limits import length_error
from counter_app.models import Device, OfficeHours, Unit
from counter_app.store import Store
from counter_app.text import nfc
from counter_app.workdays import DEFAULT_SESSIONS

SEED_CATALOG = ("resources", "catalog/seed_catalog.json")
# The first administrator is created by whoever ran ``counter-app init`` (no account yet).
INIT_ACTOR = "counter-app init"


@dataclass(frozen=True)
class CounterContext:
    """Where the deeds of this PC happen: the unit and this device's slot in it."""

    unit_code: str
    unit_name: str
    device_id: str
    slot: int


def seed_catalog_text() -> str:
    package, name = SEED_CATALOG
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def initialise(
    store: Store,
    *,
    unit_code: str,
    unit_name: str,
    slot: int,
    admin_username: str,
    admin_password: str,
    admin_full_name: str,
    at: dt.datetime,
    device_id: str | None = None,
) -> CounterContext:
    """Make this data directory the counter ``slot`` of ``unit_code``, with the seed catalog.

    ``device_id`` is given when the province already knows this counter by it
    (enrolled before the store existed).
    """
    import json

    errors = unit_errors(unit_code, unit_name, slot)
    if errors:
        raise ValidationError(errors)
    with store.write() as session:
        if session.scalar(select(Device).where(Device.is_this_device.is_(True))):
            raise ValidationError(
                {"data_dir": "Thư mục dữ liệu này đã được khởi tạo; hãy chọn thư mục khác."}
            )
        unit = Unit(code=unit_code.strip(), name=nfc(unit_name))
        session.add(unit)
        session.flush()
        device = Device(unit_code=unit.code, slot=slot, name=f"Quầy {slot}", is_this_device=True)
        if device_id is not None:
            device.id = device_id
        session.add(device)
        session.add(OfficeHours(effective_from=dt.date(2000, 1, 1), sessions=DEFAULT_SESSIONS))
        session.flush()
        auth.add_user(
            session,
            username=admin_username,
            full_name=admin_full_name,
            role=auth.Role.ADMIN,
            password=admin_password,
            unit_code=unit.code,
            at=at,
            by=INIT_ACTOR,
        )
        catalog.import_catalog(session, json.loads(seed_catalog_text()))
        return CounterContext(unit.code, unit.name, device.id, device.slot)


def unit_errors(unit_code: str, unit_name: str, slot: int) -> dict[str, str]:
    """What is wrong with a counter's unit and slot, keyed by field."""
    errors = {}
    if message := check_unit_code(unit_code.strip()):
        errors["unit_code"] = message
    if not nfc(unit_name):
        errors["unit_name"] = "Chưa nhập tên đơn vị."
    elif message := length_error("Tên đơn vị", nfc(unit_name), limits.UNIT_NAME):
        errors["unit_name"] = message  # printed in every letterhead
    if message := check_slot(slot):
        errors["device_slot"] = message
    return errors


def admin_errors(
    username: str, full_name: str, password: str, password_again: str
) -> dict[str, str]:
    """What is wrong with the first administrator's account, keyed by field."""
    errors = {}
    if message := auth.check_username(username):
        errors["username"] = message
    if not nfc(full_name):
        errors["full_name"] = "Chưa nhập họ và tên."
    elif message := length_error("Họ và tên", nfc(full_name), limits.PERSON_NAME):
        errors["full_name"] = message
    if message := auth.check_new_password(password):
        errors["password"] = message
    elif password != password_again:
        errors["password_again"] = "Mật khẩu nhập lại không khớp."
    return errors


@dataclass(frozen=True)
class FirstAdmin:
    """The first administrator as typed in the first-run dialog (password twice)."""

    username: str
    full_name: str
    password: str
    password_again: str

    def errors(self) -> dict[str, str]:
        return admin_errors(self.username, self.full_name, self.password, self.password_again)


def set_up(
    data_dir: Path,
    *,
    unit_code: str,
    unit_name: str,
    slot: int,
    admin: FirstAdmin,
    at: dt.datetime,
    device_id: str | None = None,
) -> CounterContext:
    """Create the store in ``data_dir`` and ``initialise`` it, after checking every field.

    Nothing is written unless every field is right: a refused first run leaves
    no empty store behind for the next start to mistake for a set-up counter.
    """
    errors = unit_errors(unit_code, unit_name, slot) | admin.errors()
    if errors:
        raise ValidationError(errors)
    store = Store.open(data_dir, create=True)
    try:
        return initialise(
            store,
            unit_code=unit_code,
            unit_name=unit_name,
            slot=slot,
            admin_username=admin.username,
            admin_password=admin.password,
            admin_full_name=admin.full_name,
            at=at,
            device_id=device_id,
        )
    finally:
        store.close()


def load_context(session: Session) -> CounterContext:
    row = session.execute(
        select(Device, Unit)
        .join(Unit, Unit.code == Device.unit_code)
        .where(Device.is_this_device.is_(True))
    ).first()
    if row is None:
        raise NotInitialised(
            "Thư mục dữ liệu chưa được khởi tạo: hãy chạy 'counter-app init' "
            "(hoặc 'counter-app demo' để dùng thử)."
        )
    device, unit = row
    return CounterContext(unit.code, unit.name, device.id, device.slot)


def ensure_unit(session: Session, code: str, name: str) -> None:
    """Record another unit of the province (a competent unit for boundary-free reception)."""
    if session.get(Unit, code) is None:
        session.add(Unit(code=code, name=nfc(name)))
