"""Receipt books and dossiers with fees to collect."""

from __future__ import annotations

import dataclasses

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.fee_receipts import ReceiptBook
from counter_app.settings import Settings
from counter_app.store import Store
from tests.support.counter_store import applicant
from tests.support.returns import receive
from ui.services import CounterServices

SETTINGS = Settings(
    place_name="Hạc Thành",
    parent_agency="UBND tỉnh Thanh Hóa",
    receipt_form_symbol="01BLP0-001",
    receipt_series="AA-25P",
    tax_code="2801234567",
)


BOOK = ReceiptBook("paper", "01BLP0-001", "AA-25P", "2801234567")


ELECTRONIC = ReceiptBook("electronic", tax_code="2801234567")


CERTIFIED_COPY = "2.000815"  # chứng thực bản sao từ bản chính: per page


def dossier(store: Store, clock: FixedClock, clerk: StaffIdentity, n: int, **kw: object) -> str:
    clock.advance(minutes=5)
    person = applicant(cccd=f"0011900{n:05d}", full_name="Lê Thị Hồng")
    return receive(store, clock, clerk, applicant=person, **kw)


def services_for(
    store: Store, clock: FixedClock, clerk: StaffIdentity, **settings: str
) -> CounterServices:
    services = CounterServices.open(store, clock)
    services.user = clerk
    services.settings = dataclasses.replace(SETTINGS, **settings)
    return services
