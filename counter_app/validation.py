"""Checks on what a person types: citizen-ID numbers, phone numbers, required fields.

Every check returns a message naming what is wrong and what to do, or None.
Messages are in Vietnamese, the language the clerk works in.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# Province-of-birth codes of the citizen-ID number (Circular 07/2016/TT-BCA, annex):
# the 63 provinces before the 2025 merger; numbers issued since keep these codes.
CCCD_PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)

# Century-and-sex digit (Circular 07/2016/TT-BCA art. 7): 0/1 for the 1900s, 2/3 for the
# 2000s, … 8/9 for the 2300s; even for men, odd for women.
_CENTURY_OF_DIGIT = {digit: 1900 + 100 * (digit // 2) for digit in range(10)}

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0(3|5|7|8|9)\d{8}$")
_LANDLINE = re.compile(r"^02\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CccdFacts:
    """What a citizen-ID number (căn cước công dân, CCCD) says about its holder."""

    number: str
    province_code: str
    birth_year: int
    sex: str  # "male" | "female"


def clean_cccd(value: str) -> str:
    return re.sub(r"\s", "", value)


def parse_cccd(value: str, today: dt.date) -> CccdFacts | str:
    """The facts of a CCCD number, or a message saying what is wrong with it."""
    number = clean_cccd(value)
    if not (number.isascii() and number.isdigit()):
        return "Số CCCD chỉ gồm chữ số; hãy nhập lại 12 chữ số in trên thẻ."
    if len(number) != 12:
        return f"Số CCCD phải có đúng 12 chữ số (đã nhập {len(number)})."
    province = number[:3]
    if province not in CCCD_PROVINCE_CODES:
        return f"Ba chữ số đầu ({province}) không phải mã tỉnh nơi đăng ký khai sinh hợp lệ."
    digit = int(number[3])
    birth_year = _CENTURY_OF_DIGIT[digit] + int(number[4:6])
    if birth_year > today.year:
        return f"Số CCCD cho năm sinh {birth_year}, sau năm hiện tại; hãy kiểm tra chữ số thứ 4-6."
    return CccdFacts(number, province, birth_year, "male" if digit % 2 == 0 else "female")


def check_cccd(
    value: str, today: dt.date, date_of_birth: dt.date | None = None, sex: str | None = None
) -> str | None:
    """None when the number is valid and agrees with the date of birth and sex given."""
    facts = parse_cccd(value, today)
    if isinstance(facts, str):
        return facts
    if date_of_birth is not None and date_of_birth.year != facts.birth_year:
        return (
            f"Số CCCD cho năm sinh {facts.birth_year}, nhưng ngày sinh đã nhập là năm "
            f"{date_of_birth.year}; hãy kiểm tra lại số CCCD hoặc ngày sinh."
        )
    if sex is not None and sex != facts.sex:
        said = "nam" if facts.sex == "male" else "nữ"
        return f"Số CCCD là của công dân {said}, khác giới tính đã chọn."
    return None


def normalise_phone(value: str) -> str:
    number = _SEPARATORS.sub("", value)
    if number.startswith("+84"):
        number = "0" + number[3:]
    elif number.startswith("84") and len(number) in (11, 12):
        number = "0" + number[2:]
    return number


def check_phone(value: str) -> str | None:
    """None for a Vietnamese mobile (10 digits) or landline (11 digits, 02x) number."""
    number = normalise_phone(value)
    if not (number.isascii() and number.isdigit()):
        return "Số điện thoại chỉ gồm chữ số (có thể bắt đầu bằng +84)."
    if _MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number):
        return None
    return "Số điện thoại không hợp lệ: di động 10 số (03, 05, 07, 08, 09…), cố định 11 số (02…)."


def check_email(value: str) -> str | None:
    return None if _EMAIL.fullmatch(value) else "Địa chỉ email không hợp lệ (dạng ten@mien.vn)."


def check_required(value: str | None, label: str) -> str | None:
    return None if value and value.strip() else f"Chưa nhập {label}."


def check_date_of_birth(value: dt.date, today: dt.date) -> str | None:
    if value > today:
        return "Ngày sinh không thể ở sau ngày hôm nay."
    if value.year < today.year - 130:
        return "Ngày sinh quá xa; hãy kiểm tra lại năm sinh."
    return None


_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$|^(\d{2})(\d{2})(\d{4})$")


def parse_day(text: str, label: str = "Ngày sinh") -> dt.date | str:
    """The date typed as dd/mm/yyyy, or a message: a wrong shape and a day that does not
    exist are different mistakes (31/02/1990 is well typed, but there is no such day).
    """
    value = text.strip()
    match = _DAY_MONTH_YEAR.fullmatch(value)
    if match is None:
        return f"{label} phải có dạng dd/mm/yyyy (ví dụ 12/03/1990)."
    day, month, year = (int(g) for g in match.groups() if g is not None)
    if not 1 <= month <= 12:
        return f"{label} {value} không có thật: không có tháng {month} (tháng từ 1 đến 12)."
    if year < 1:
        return f"{label} {value} không có thật: năm phải từ 1 trở lên."
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (
            f"{label} {value} không có thật: tháng {month} năm {year} chỉ có {last} ngày; "
            "hãy kiểm tra lại ngày."
        )
    return dt.date(year, month, day)
