"""A counter store as ``counter-app init`` leaves it, and the people and times tests use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from counter_app.applicants import ApplicantInput
from counter_app.installation import initialise
from counter_app.store import Store

UNIT_CODE = "000.00.11.H57"


UNIT_NAME = "UBND phường Hạc Thành"


ADMIN_PASSWORD = "mat-khau-quan-tri"


# A Monday with no holiday near it, mid-morning.
MONDAY_MORNING = dt.datetime(2026, 11, 16, 9, 0)


def open_counter(data_dir: Path, slot: int = 1, unit_code: str = UNIT_CODE) -> Store:
    """A freshly initialised counter store, as ``counter-app init`` leaves it."""
    store = Store.open(data_dir)
    initialise(
        store,
        unit_code=unit_code,
        unit_name=UNIT_NAME,
        slot=slot,
        admin_username="admin",
        admin_password=ADMIN_PASSWORD,
        admin_full_name="Quản trị hệ thống",
        at=MONDAY_MORNING,
    )
    return store


def applicant(**overrides: object) -> ApplicantInput:
    """A valid applicant: a woman born 12 March 1990 in Hà Nội (province code 001)."""
    values: dict[str, object] = {
        "full_name": "Trần Thị Mai",
        "address": "Số 12 đường Lê Lợi, phường Hạc Thành",
        "cccd": "001190012345",
        "date_of_birth": dt.date(1990, 3, 12),
        "sex": "female",
        "phone": "0912345678",
    }
    values.update(overrides)
    return ApplicantInput(**values)  # type: ignore[arg-type]
