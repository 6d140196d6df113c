"""Vietnamese text normalisation and search keys; dossier code format and parsing."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from counter_app.codes import DossierCode, check_slot, check_unit_code, parse_code
from counter_app.text import fold, nfc, nfc_or_none

UNIT = "000.00.11.H57"


def decomposed(value: str) -> str:
    """``value`` as a decomposing input method would type it (NFD)."""
    result = unicodedata.normalize("NFD", value)
    assert result != value, "the sample must contain letters that decompose"
    return result


# nfc -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "composed",
    [
        pytest.param("Nguyễn Thị Lan", id="name"),
        pytest.param("Giấy khai sinh", id="document"),
        pytest.param("Đăng ký kết hôn", id="procedure"),
        pytest.param("Phường Hạc Thành, tỉnh Thanh Hóa", id="address"),
    ],
)
def test_nfc_makes_decomposed_input_equal_to_composed(composed: str) -> None:
    assert nfc(decomposed(composed)) == composed
    assert nfc(composed) == composed
    assert unicodedata.is_normalized("NFC", nfc(decomposed(composed)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  Trần   Thị  Mai  ", "Trần Thị Mai", id="repeated-spaces"),
        pytest.param("Trần\tThị\nMai", "Trần Thị Mai", id="tab-and-newline"),
        pytest.param("Trần\u00a0Thị Mai", "Trần Thị Mai", id="no-break-space"),
        pytest.param("Đăng Ký", "Đăng Ký", id="keeps-case-and-marks"),
        pytest.param("   ", "", id="only-spaces"),
    ],
)
def test_nfc_collapses_spaces_and_keeps_the_text(value: str, expected: str) -> None:
    assert nfc(value) == expected


def test_nfc_or_none() -> None:
    assert nfc_or_none(None) is None
    assert nfc_or_none("  \t ") is None
    assert nfc_or_none("") is None
    assert nfc_or_none(decomposed(" Lê  Văn Hùng ")) == "Lê Văn Hùng"


# fold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Giấy khai sinh", "giay khai sinh", id="giay-khai-sinh"),
        pytest.param("Đăng ký", "dang ky", id="dang-ky"),
        pytest.param("đăng ký", "dang ky", id="lower-d-stroke"),
        pytest.param("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon", id="upper-case"),
        pytest.param("Trích lục hộ tịch", "trich luc ho tich", id="dot-below"),
        pytest.param("Người ở Huế", "nguoi o hue", id="horn-letters"),
        pytest.param("Chứng thực bản sao từ bản chính", "chung thuc ban sao tu ban chinh", id="ư"),
        pytest.param("giay khai sinh", "giay khai sinh", id="already-folded"),
        pytest.param("", "", id="empty"),
    ],
)
def test_fold_drops_case_and_diacritics(value: str, expected: str) -> None:
    assert fold(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("Đăng ký khai tử", id="d-stroke"),
        pytest.param("Cấp bản sao trích lục", id="stacked-marks"),
        pytest.param("Nguyễn Thị Lan", id="name"),
    ],
)
def test_fold_gives_the_same_key_for_decomposed_input(value: str) -> None:
    assert fold(decomposed(value)) == fold(value)
    assert fold(nfc(decomposed(value))) == fold(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("  Giấy   khai\tsinh \n", "giay khai sinh", id="repeated-spaces"),
        pytest.param("Khai sinh; kết hôn!", "khai sinh ket hon", id="semicolon-and-bang"),
        pytest.param("Giấy khai sinh (bản sao)", "giay khai sinh ban sao", id="brackets"),
        pytest.param("chứng thực/ký số", "chung thuc ky so", id="slash"),
        pytest.param("Hộ tịch - Khai sinh, Kết hôn", "ho tich khai sinh ket hon", id="dash-comma"),
        pytest.param("«Giấy tờ»", "giay to", id="guillemets"),
        pytest.param("Mẫu 01", "mau 01", id="digits-kept"),
        pytest.param("1.001193", "1.001193", id="procedure-code-dot-kept"),
    ],
)
def test_fold_splits_on_punctuation_and_collapses_spaces(value: str, expected: str) -> None:
    assert fold(value) == expected


# Dossier codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text"),
    [
        pytest.param(
            DossierCode(UNIT, dt.date(2026, 11, 16), 1001), f"{UNIT}-261116-1001", id="slot-1"
        ),
        pytest.param(
            DossierCode(UNIT, dt.date(2026, 1, 2), 9999), f"{UNIT}-260102-9999", id="slot-9-last"
        ),
        pytest.param(
            DossierCode("000.23.45.G02", dt.date(2027, 2, 11), 5),
            "000.23.45.G02-270211-0005",
            id="online-slot-0",
        ),
    ],
)
def test_dossier_code_format_and_round_trip(code: DossierCode, text: str) -> None:
    assert str(code) == text
    assert parse_code(text) == code
    assert parse_code(str(code)) == code


@pytest.mark.parametrize(
    ("code", "text"),
    [
        pytest.param(
            DossierCode("H55.242", dt.date(2026, 12, 3), 1001),
            "H55.242-261203-1001",
            id="own-code-decision-20-unit",
        ),
        # Circular 04/2025/TT-VPCP art. 13(3): MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX, the day's
        # number at least four digits.
        pytest.param(
            DossierCode("H57.123.45", dt.date(2026, 2, 3), 1, central_system="01"),
            "H57.123.45-260203-010001",
            id="central-four-digit-number",
        ),
        pytest.param(
            DossierCode("H57.123.45", dt.date(2026, 2, 3), 123456, central_system="07", digits=6),
            "H57.123.45-260203-07123456",
            id="central-six-digit-number",
        ),
        pytest.param(
            DossierCode("H57.123.45", dt.date(2026, 2, 3), 42, central_system="07", digits=5),
            "H57.123.45-260203-0700042",
            id="central-five-digits-leading-zeros",
        ),
    ],
)
def test_other_code_shapes_round_trip(code: DossierCode, text: str) -> None:
    assert str(code) == text
    assert parse_code(text) == code
    assert parse_code(f" {text.lower()}\r\n") == code


def test_a_central_code_is_not_taken_for_a_counter_slot() -> None:
    central = parse_code("H57.123.45-260203-019001")
    assert central is not None and central.central_system == "01"
    assert (central.number, central.slot) == (9001, 0)


def test_dossier_code_slot() -> None:
    assert DossierCode(UNIT, dt.date(2026, 11, 16), 1001).slot == 1
    assert DossierCode(UNIT, dt.date(2026, 11, 16), 9999).slot == 9
    assert DossierCode(UNIT, dt.date(2026, 11, 16), 42).slot == 0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("000.00.11.h57-261116-1001", id="lower-case"),
        pytest.param("  000.00.11.H57-261116-1001\n", id="scanner-whitespace"),
        pytest.param("000.00.11.h57-261116-1001\r\n", id="lower-case-and-crlf"),
    ],
)
def test_parse_code_accepts_what_a_scanner_or_clerk_sends(text: str) -> None:
    assert parse_code(text) == DossierCode(UNIT, dt.date(2026, 11, 16), 1001)


def test_parse_code_reads_a_leap_day() -> None:
    assert parse_code(f"{UNIT}-280229-2001") == DossierCode(UNIT, dt.date(2028, 2, 29), 2001)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"{UNIT}-261332-1001", id="month-13-day-32"),
        pytest.param(f"{UNIT}-261301-1001", id="month-13"),
        pytest.param(f"{UNIT}-260230-1001", id="30-february"),
        pytest.param(f"{UNIT}-270229-1001", id="29-february-not-leap"),
        pytest.param(f"{UNIT}-261100-1001", id="day-0"),
        pytest.param(f"{UNIT}-261131-1001", id="31-november"),
    ],
)
def test_parse_code_rejects_impossible_dates(text: str) -> None:
    assert parse_code(text) is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("hello", id="word"),
        pytest.param("8935049500018", id="ean-13-barcode"),
        pytest.param(f"{UNIT}-261116-101", id="three-digit-number"),
        pytest.param(f"{UNIT}-261116-10011", id="five-digit-number"),
        pytest.param(f"{UNIT}-2611160-1001", id="seven-digit-date"),
        pytest.param("00.00.11.H57-261116-1001", id="short-unit"),
        pytest.param("000.00.11.57H-261116-1001", id="letter-misplaced"),
        pytest.param(f"{UNIT} 261116 1001", id="spaces-not-dashes"),
        pytest.param(f"{UNIT}-261116-1001-1", id="trailing-part"),
        pytest.param(f"X{UNIT}-261116-1001", id="leading-junk"),
        pytest.param("H57.123.45-260203-01001", id="central-three-digit-day-number"),
        pytest.param("H57.123.45-260203-12345", id="five-digits-neither-shape"),
        pytest.param(f"{UNIT}-260203-010001", id="central-number-on-a-2018-unit"),
        pytest.param("H57.123.45-260230-010001", id="central-30-february"),
    ],
)
def test_parse_code_rejects_junk(text: str) -> None:
    assert parse_code(text) is None


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(UNIT, id="sample"),
        pytest.param("000.23.45.G02", id="other-letter"),
        pytest.param("123.45.67.Z99", id="all-digits-used"),
        # Decision 20/2020/QĐ-TTg shape, level-1 group first (LEGAL-2025.md, [S]).
        pytest.param("H55.242", id="decision-20-level-2"),
        pytest.param("H57.123.45", id="decision-20-level-3"),
        pytest.param("H57.123.45.06", id="decision-20-level-4"),
    ],
)
def test_check_unit_code_accepts(code: str) -> None:
    assert check_unit_code(code) is None


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("", id="empty"),
        pytest.param("H57", id="only-last-part"),
        pytest.param("000.00.11", id="missing-last-part"),
        pytest.param("000.00.11.H5", id="short-last-part"),
        pytest.param("000.0.11.H57", id="short-middle"),
        pytest.param("000-00-11-H57", id="dashes"),
        pytest.param("000.00.11.h57", id="lower-case-letter"),
        pytest.param("000.00.11.H57-261116-1001", id="a-whole-dossier-code"),
        pytest.param("H57.12", id="decision-20-short-level-2"),
        pytest.param("H57.123.4", id="decision-20-short-level-3"),
        pytest.param("h57.123.45", id="decision-20-lower-case"),
        pytest.param("H57.123.45.06.07", id="decision-20-five-levels"),
    ],
)
def test_check_unit_code_refuses(code: str) -> None:
    message = check_unit_code(code)
    assert message is not None
    assert "phải có dạng 000.00.11.H57" in message and "H57.123.45" in message


@pytest.mark.parametrize("slot", range(1, 10), ids=lambda slot: f"slot-{slot}")
def test_check_slot_accepts_1_to_9(slot: int) -> None:
    assert check_slot(slot) is None


@pytest.mark.parametrize("slot", [0, 10, -1, 99], ids=lambda slot: f"slot-{slot}")
def test_check_slot_refuses_others(slot: int) -> None:
    message = check_slot(slot)
    assert message is not None
    assert "từ 1 đến 9" in message
