"""What the forms say, before any PDF: wording rules, timeliness, the control slip's rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from reportlab.pdfbase import pdfmetrics

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.reception import ReceptionService
from counter_app.returns import ReturnRequest, ReturnService
from counter_app.store import Store
from printing import fonts
from printing.codes import code128_modules, qr_blocks, qr_modules, runs
from printing.form_data import EARLY, LATE, ON_TIME, HandoverRow, handover_rows, timeliness
from printing.paper import sheet
from printing.wording import (
    clock_and_date,
    date_line,
    fee_line,
    honorific,
    money,
    place_from_unit,
)
from tests.support.reception import full_checklist, request


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 16), "Hạc Thành, ngày 16 tháng 11 năm 2026"),
        (dt.date(2026, 2, 5), "Hạc Thành, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 1, 31), "Hạc Thành, ngày 31 tháng 01 năm 2026"),
        (dt.date(2026, 3, 9), "Hạc Thành, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_date_line_pads_as_decree_30_asks(day: dt.date, expected: str) -> None:
    assert date_line("Hạc Thành", day) == expected


def test_times_and_money_read_as_on_official_slips() -> None:
    assert clock_and_date(dt.datetime(2026, 11, 16, 9, 5)) == "09 giờ 05 phút, ngày 16/11/2026"
    assert money(8000) == "8.000 đồng"
    assert money(1250000) == "1.250.000 đồng"
    assert money(500) == "500 đồng"


def test_applicants_are_addressed_by_sex() -> None:
    assert [honorific(s) for s in ("male", "female", None, "other")] == [
        "Ông",
        "Bà",
        "Ông/Bà",
        "Ông/Bà",
    ]


@pytest.mark.parametrize(
    ("unit", "place"),
    [
        ("UBND phường Hạc Thành", "Hạc Thành"),
        ("Ủy ban nhân dân xã Quảng Phú", "Quảng Phú"),
        ("UBND đặc khu Phú Quốc", "Phú Quốc"),
        ("Hạc Thành", "Hạc Thành"),
    ],
)
def test_place_comes_from_the_unit_name(unit: str, place: str) -> None:
    assert place_from_unit(unit) == place


def test_result_timeliness() -> None:
    due = dt.datetime(2026, 11, 19, 9, 0)
    assert timeliness(dt.datetime(2026, 11, 18, 16, 0), due) == EARLY
    assert timeliness(dt.datetime(2026, 11, 19, 8, 0), due) == ON_TIME
    assert timeliness(due, due) == ON_TIME
    assert timeliness(dt.datetime(2026, 11, 19, 9, 1), due) == LATE


def test_control_slip_rows_follow_the_events(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    residence = request(
        store, procedure_code="1.004194", documents=full_checklist(store, "1.004194")
    )
    code = ReceptionService(store, clock).receive(residence, clerk).code
    events = DossierService(store, clock)
    clock.advance(hours=1)
    events.record(code, "processing_started", clerk)
    clock.advance(days=1)
    events.record(code, "result_ready", clerk, note="Đã cập nhật cơ sở dữ liệu cư trú")
    clock.advance(hours=2)
    events.record(code, "returned", clerk)
    with store.read() as session:
        view = load_dossier_view(session, code)

    rows = handover_rows(view)
    assert [(r.giver_body, r.receiver_body) for r in rows] == [
        ("Bộ phận TN&TKQ", "UBND phường Hạc Thành"),
        ("UBND phường Hạc Thành", "Bộ phận TN&TKQ"),
        ("Bộ phận TN&TKQ", "Trần Thị Mai"),
    ]
    assert rows[0] == HandoverRow(
        "Bộ phận TN&TKQ",
        "UBND phường Hạc Thành",
        dt.datetime(2026, 11, 16, 10, 0),
        giver="lan.nt",
        note="Chuyển xử lý",
    )
    assert rows[1].result == EARLY and rows[1].receiver == "lan.nt"
    assert rows[1].note == "Đã cập nhật cơ sở dữ liệu cư trú"
    assert rows[2].result == EARLY and rows[2].receiver == "Trần Thị Mai"


def test_code128_pattern_and_qr_matrix_are_whole() -> None:
    modules = code128_modules("000.00.11.H57-261116-1001")
    assert modules.startswith("11010011100"), "digits first: code set C"
    assert modules.endswith("1100011101011"), "the stop symbol"
    assert sum(length for _, length in runs(modules)) == modules.count("1")
    matrix = qr_modules("000.00.11.H57-261116-1001")
    dark = sum(row.count(True) for row in matrix)
    assert sum(w * h for _, _, w, h in qr_blocks(matrix)) == dark
    with pytest.raises(ValueError, match="printable ASCII"):
        code128_modules("mã hồ sơ")


def test_fonts_and_styles_are_made_once() -> None:
    assert fonts.register_fonts() == fonts.register_fonts() == "Tinos"
    registered = set(pdfmetrics.getRegisteredFontNames())
    assert {fonts.REGULAR, fonts.BOLD, fonts.ITALIC, fonts.BOLD_ITALIC} <= registered
    assert sheet("A5") is sheet("A5") and sheet("A4").styles is sheet("A4").styles
    with pytest.raises(ValueError, match="paper must be one of"):
        sheet("Letter")  # type: ignore[arg-type]


def test_fee_line_names_the_le_phi_and_the_phi(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    with store.read() as session:
        view = load_dossier_view(session, code)
    assert fee_line(replace(view, fee_vnd=0, charge_vnd=0)) is None
    both = replace(view, fee_vnd=8000, charge_vnd=2000)
    # fee_vnd is the lệ phí, charge_vnd the phí, as in the catalog.
    assert fee_line(both) == "10.000 đồng (lệ phí 8.000 đồng, phí 2.000 đồng)"


def test_control_slip_judges_a_return_by_when_the_result_was_released(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    residence = request(
        store, procedure_code="1.004194", documents=full_checklist(store, "1.004194")
    )
    code = ReceptionService(store, clock).receive(residence, clerk).code
    events = DossierService(store, clock)
    clock.advance(hours=1)
    events.record(code, "processing_started", clerk)
    events.record(code, "result_ready", clerk)  # long before the appointment
    clock.advance(days=10)  # the applicant comes late to collect it
    ReturnService(store, clock).hand_over(
        ReturnRequest(code, recipient_name="Trần Thị Mai", recipient_cccd="001190012345"), clerk
    )
    with store.read() as session:
        rows = handover_rows(load_dossier_view(session, code))
    assert rows[-1].result == EARLY


@pytest.mark.parametrize(
    "code",
    [
        "000.00.11.H57-261116-1001",
        "H57.123.45-261116-1001",
        "H57.123-261116-0112345",  # a central system's code: a long run of digits
        "990.00.11.H57-261116-1001",  # python-barcode dropped a leading "99"
        "12345",  # an odd run: the last digit goes in code set B
        "A1234B",
    ],
)
def test_a_scanner_reads_the_code128_bars_as_the_code(code: str) -> None:
    modules = code128_modules(code)
    scale, quiet = 3, 10
    image = Image.new("L", ((len(modules) + 2 * quiet) * scale, 60), 255)
    draw = ImageDraw.Draw(image)
    for first, length in runs(modules):
        left = (quiet + first) * scale
        draw.rectangle((left, 0, left + length * scale - 1, 59), fill=0)
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.Code128)
    assert [result.text for result in found] == [code]
