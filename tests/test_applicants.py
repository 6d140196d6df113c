"""Applicants found again by CCCD, and the chip card's QR code."""

from __future__ import annotations

import datetime as dt

from counter_app import applicants
from counter_app.store import Store
from tests.support.counter_store import MONDAY_MORNING, applicant


def test_chip_card_qr_fills_the_panel() -> None:
    scanned = (
        "001190012345|123456789|Trần Thị Mai|12031990|Nữ|"
        "Số 12 đường Lê Lợi, Phường Hạc Thành, Tỉnh Thanh Hóa|01072021"
    )
    data = applicants.parse_chip_qr(scanned)
    assert data is not None
    assert data.cccd == "001190012345"
    assert data.full_name == "Trần Thị Mai"
    assert data.date_of_birth == dt.date(1990, 3, 12)
    assert data.sex == "female"
    assert data.address.startswith("Số 12 đường Lê Lợi")


def test_a_plain_number_is_not_a_chip_qr() -> None:
    assert applicants.parse_chip_qr("001190012345") is None
    assert applicants.parse_chip_qr("a|b|c|d|e|f") is None


def test_found_by_cccd_with_spaces(store: Store) -> None:
    with store.write() as session:
        applicants.upsert(session, applicant(), MONDAY_MORNING)
    with store.read() as session:
        found = applicants.find_by_cccd(session, "0011 9001 2345")
        missing = applicants.find_by_cccd(session, "001190099999")
    assert found is not None and found.full_name == "Trần Thị Mai"
    assert found.phone == "0912345678"
    assert missing is None
