"""How the forms write dates, times, money and people, in the style of Vietnamese documents.

Kept apart from the layouts so every form says "09 giờ 00 phút, ngày 16/11/2026"
and "8.000 đồng" the same way, and so the rules (Decree 30/2020/NĐ-CP on the
presentation of administrative documents) are tested once.
"""

from __future__ import annotations

import datetime as dt
import html
import re

from counter_app.dossier_view import DossierView

HONORIFICS = {"male": "Ông", "female": "Bà"}
BLANK = "…………"

_UNIT_PREFIX = re.compile(
    r"^\s*(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)?\s*"
    r"(?:phường|xã|thị trấn|đặc khu|thành phố|tỉnh)?\s+",
    re.IGNORECASE,
)


def markup(text: str) -> str:
    """``text`` made safe inside Paragraph markup: a name with "&" or "<" prints as typed.

    ``html.escape`` without quotes is ``xml.sax.saxutils.escape``; reportlab's own markup
    parser has loaded ``html`` already, while saxutils imports urllib.request and with it
    http.client, ssl and e-mail, which nothing else in printing a form needs.
    """
    return html.escape(text, quote=False)


def date_line(place: str, day: dt.date) -> str:
    """The place-and-date line under the national header: "Hạc Thành, ngày 05 tháng 02 năm 2026".

    Decree 30/2020 writes days below 10 and the months January and February with a
    leading zero, so that nobody can add a digit by hand.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def clock_and_date(at: dt.datetime) -> str:
    """A moment as the receipt states it: "09 giờ 00 phút, ngày 16/11/2026"."""
    return f"{at:%H} giờ {at:%M} phút, ngày {at:%d/%m/%Y}"


def money(vnd: int) -> str:
    """An amount in đồng with dots between thousands: 8000 → "8.000 đồng"."""
    return f"{vnd:,}".replace(",", ".") + " đồng"


def fee_line(view: DossierView) -> str | None:
    """What the applicant pays (lệ phí is ``fee_vnd``, phí ``charge_vnd``), or None if free.

    The catalog's fee note (reductions, online rates) is for the clerk, not the slip.
    """
    total = view.fee_vnd + view.charge_vnd
    if total <= 0:
        return None
    line = money(total)
    if view.fee_vnd and view.charge_vnd:
        line += f" (lệ phí {money(view.fee_vnd)}, phí {money(view.charge_vnd)})"
    return line


def honorific(sex: str | None) -> str:
    """How a form addresses the applicant: "Ông", "Bà", or "Ông/Bà" when the sex is unknown."""
    return HONORIFICS.get(sex or "", "Ông/Bà")


def addressee(view: DossierView) -> str:
    """The applicant as a form names them: "Bà Trần Thị Mai"."""
    return f"{honorific(view.applicant.sex)} {view.applicant.full_name}"


def two_digits(count: int) -> str:
    """Counts on forms are written with two digits ("01 bộ"), as in official documents."""
    return f"{count:02d}"


def place_from_unit(unit_name: str) -> str:
    """The place of the date line, from the unit's name: "UBND phường Hạc Thành" → "Hạc Thành"."""
    return _UNIT_PREFIX.sub("", unit_name, count=1).strip() or unit_name.strip()


def return_place(view: DossierView) -> str:
    """Where the result is collected, with the postal address when it goes by post."""
    if view.return_method == "post" and view.return_address:
        return f"{view.return_label}, địa chỉ: {view.return_address}"
    if view.return_method == "counter":
        return f"Bộ phận tiếp nhận và trả kết quả {view.receiving_unit.name}"
    return view.return_label
