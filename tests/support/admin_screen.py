"""The services the administration screen runs on."""

from __future__ import annotations

from counter_app.auth import Role, StaffIdentity
from counter_app.clock import FixedClock
from counter_app.store import Store
from tests.support.counter_store import UNIT_CODE
from ui.admin_screen import AdminScreen
from ui.services import CounterServices


def admin_services(store: Store, clock: FixedClock) -> CounterServices:
    services = CounterServices.open(store, clock, store.data_dir)
    services.user = StaffIdentity("admin", "Quản trị hệ thống", Role.ADMIN, UNIT_CODE)
    return services


def usernames(screen: AdminScreen) -> list[str]:
    return [screen.users.item(row, 0).text() for row in range(screen.users.rowCount())]
