"""This counter's identity: its unit, its device slot, its first administrator.

``counter-app init`` runs ``initialise`` once per data directory. Every other
service is handed the ``CounterContext`` read back from the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

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
) -> CounterContext:
    """Make this data directory the counter ``slot`` of ``unit_code``, with the seed catalog."""
    import json

    errors = {}
    if message := check_unit_code(unit_code.strip()):
        errors["unit_code"] = message
    if not nfc(unit_name):
        errors["unit_name"] = "Chưa nhập tên đơn vị."
    elif message := length_error("Tên đơn vị", nfc(unit_name), limits.UNIT_NAME):
        errors["unit_name"] = message  # printed in every letterhead
    if message := check_slot(slot):
        errors["device_slot"] = message
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
