"""Checks on typed input: citizen-ID numbers (CCCD), phones, emails, dates of birth.

A CCCD is PPP C YY RRRRRR: province-of-birth code, century-and-sex digit
(Circular 07/2016/TT-BCA art. 7: 0/1 men/women born 1900-1999, 2/3 2000-2099,
4/5 2100-2199, 6/7 2200-2299, 8/9 2300-2399), two digits of the birth year and six
random digits. Each error message must say what is wrong, so the tests assert on
the distinctive part of the Vietnamese text.
"""

from __future__ import annotations

import datetime as dt

import pytest

from counter_app.validation import (
    CccdFacts,
    check_cccd,
    check_date_of_birth,
    check_email,
    check_phone,
    normalise_phone,
    parse_cccd,
    parse_day,
)

TODAY = dt.date(2026, 11, 16)


# CCCD: valid numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "001090012345", CccdFacts("001090012345", "001", 1990, "male"), id="man-1990-ha-noi"
        ),
        pytest.param(
            "001190012345", CccdFacts("001190012345", "001", 1990, "female"), id="woman-1990"
        ),
        pytest.param(
            "079185123456", CccdFacts("079185123456", "079", 1985, "female"), id="woman-1985-hcm"
        ),
        pytest.param("038000000001", CccdFacts("038000000001", "038", 1900, "male"), id="man-1900"),
        pytest.param("038205001234", CccdFacts("038205001234", "038", 2005, "male"), id="man-2005"),
        pytest.param(
            "048310654321", CccdFacts("048310654321", "048", 2010, "female"), id="woman-2010"
        ),
        pytest.param(
            "096300999999", CccdFacts("096300999999", "096", 2000, "female"), id="woman-2000"
        ),
        pytest.param(
            "001226012345", CccdFacts("001226012345", "001", 2026, "male"), id="born-this-year"
        ),
        pytest.param(
            "001 190 012 345",
            CccdFacts("001190012345", "001", 1990, "female"),
            id="spaces-inside",
        ),
        pytest.param(
            " 0011 9001 2345\t", CccdFacts("001190012345", "001", 1990, "female"), id="tab-edges"
        ),
    ],
)
def test_parse_cccd_reads_the_facts(value: str, expected: CccdFacts) -> None:
    assert parse_cccd(value, TODAY) == expected


@pytest.mark.parametrize(
    ("value", "date_of_birth", "sex"),
    [
        pytest.param("001090012345", dt.date(1990, 1, 1), "male", id="man-1990"),
        pytest.param("001190012345", dt.date(1990, 3, 12), "female", id="woman-1990"),
        pytest.param("038205001234", dt.date(2005, 12, 31), "male", id="man-2005"),
        pytest.param("048310654321", dt.date(2010, 6, 15), "female", id="woman-2010"),
        pytest.param("001 190 012 345", dt.date(1990, 3, 12), "female", id="with-spaces"),
        pytest.param("001190012345", None, None, id="number-only"),
    ],
)
def test_check_cccd_accepts_consistent_numbers(
    value: str, date_of_birth: dt.date | None, sex: str | None
) -> None:
    assert check_cccd(value, TODAY, date_of_birth, sex) is None


# CCCD: what is wrong ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param("00119001234", "phải có đúng 12 chữ số (đã nhập 11)", id="eleven-digits"),
        pytest.param("0011900123456", "phải có đúng 12 chữ số (đã nhập 13)", id="thirteen"),
        pytest.param("190012345", "phải có đúng 12 chữ số (đã nhập 9)", id="old-cmnd-9-digits"),
        pytest.param("00119001234A", "chỉ gồm chữ số", id="letter-at-end"),
        pytest.param("CCCD001190012", "chỉ gồm chữ số", id="letters-in-front"),
        pytest.param("001-190-012-345", "chỉ gồm chữ số", id="dashes"),
        pytest.param("", "chỉ gồm chữ số", id="empty"),
        pytest.param("003190012345", "Ba chữ số đầu (003) không phải mã tỉnh", id="province-003"),
        pytest.param("097190012345", "Ba chữ số đầu (097) không phải mã tỉnh", id="province-097"),
        pytest.param("000190012345", "Ba chữ số đầu (000) không phải mã tỉnh", id="province-000"),
        pytest.param("005190012345", "Ba chữ số đầu (005) không phải mã tỉnh", id="province-005"),
        pytest.param("001227012345", "năm sinh 2027, sau năm hiện tại", id="born-next-year"),
        pytest.param("001399012345", "năm sinh 2099, sau năm hiện tại", id="woman-2099"),
        pytest.param("001400012345", "năm sinh 2100, sau năm hiện tại", id="century-digit-4"),
        pytest.param("001750012345", "năm sinh 2250, sau năm hiện tại", id="century-digit-7"),
    ],
)
def test_parse_cccd_names_what_is_wrong(value: str, fragment: str) -> None:
    message = parse_cccd(value, TODAY)
    assert isinstance(message, str)
    assert fragment in message
    assert check_cccd(value, TODAY) == message


@pytest.mark.parametrize(
    ("value", "year"),
    [
        pytest.param("001895012345", 2395, id="century-digit-8"),
        pytest.param("001990012345", 2390, id="century-digit-9"),
    ],
)
def test_century_digits_8_and_9_mean_the_2300s(value: str, year: int) -> None:
    message = parse_cccd(value, TODAY)
    assert isinstance(message, str)
    assert f"năm sinh {year}, sau năm hiện tại" in message


@pytest.mark.parametrize(
    ("value", "date_of_birth", "fragment"),
    [
        pytest.param(
            "001190012345",
            dt.date(1991, 3, 12),
            "năm sinh 1990, nhưng ngày sinh đã nhập là năm 1991",
            id="one-year-off",
        ),
        pytest.param(
            "001290012345",
            dt.date(1990, 3, 12),
            "năm sinh 2090, sau năm hiện tại",
            id="wrong-century-digit",
        ),
        pytest.param(
            "038205001234",
            dt.date(1905, 5, 1),
            "năm sinh 2005, nhưng ngày sinh đã nhập là năm 1905",
            id="right-digits-wrong-century",
        ),
        pytest.param(
            "048310654321",
            dt.date(2001, 6, 15),
            "năm sinh 2010, nhưng ngày sinh đã nhập là năm 2001",
            id="swapped-digits",
        ),
    ],
)
def test_check_cccd_names_a_date_of_birth_mismatch(
    value: str, date_of_birth: dt.date, fragment: str
) -> None:
    message = check_cccd(value, TODAY, date_of_birth)
    assert message is not None
    assert fragment in message


@pytest.mark.parametrize(
    ("value", "sex", "fragment"),
    [
        pytest.param("001190012345", "male", "của công dân nữ, khác giới tính", id="woman-as-man"),
        pytest.param("001090012345", "female", "của công dân nam, khác giới tính", id="man-as-w"),
        pytest.param("038205001234", "female", "của công dân nam, khác giới tính", id="man-2005"),
        pytest.param("048310654321", "male", "của công dân nữ, khác giới tính", id="woman-2010"),
    ],
)
def test_check_cccd_names_a_sex_mismatch(value: str, sex: str, fragment: str) -> None:
    message = check_cccd(value, TODAY, None, sex)
    assert message is not None
    assert fragment in message


def test_check_cccd_reports_the_number_before_the_date_of_birth() -> None:
    message = check_cccd("003190012345", TODAY, dt.date(1991, 1, 1), "male")
    assert message is not None
    assert "(003)" in message


# Phones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalised"),
    [
        pytest.param("0912345678", "0912345678", id="mobile-09"),
        pytest.param("0312345678", "0312345678", id="mobile-03"),
        pytest.param("0512345678", "0512345678", id="mobile-05"),
        pytest.param("0712345678", "0712345678", id="mobile-07"),
        pytest.param("0812345678", "0812345678", id="mobile-08"),
        pytest.param("+84912345678", "0912345678", id="plus-84"),
        pytest.param("+84 912 345 678", "0912345678", id="plus-84-spaces"),
        pytest.param("84912345678", "0912345678", id="84-without-plus"),
        pytest.param("0912.345.678", "0912345678", id="dots"),
        pytest.param("0912 345 678", "0912345678", id="spaces"),
        pytest.param("0912-345-678", "0912345678", id="dashes"),
        pytest.param("02438251234", "02438251234", id="landline-ha-noi"),
        pytest.param("024 3825 1234", "02438251234", id="landline-spaces"),
        pytest.param("(024) 3825 1234", "02438251234", id="landline-brackets"),
        pytest.param("0236.3821.234", "02363821234", id="landline-da-nang-dots"),
        pytest.param("+84 24 3825 1234", "02438251234", id="landline-plus-84"),
    ],
)
def test_valid_phones_are_accepted_and_normalised(value: str, normalised: str) -> None:
    assert normalise_phone(value) == normalised
    assert check_phone(value) is None


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("091234567", id="mobile-9-digits"),
        pytest.param("09123456789", id="mobile-11-digits"),
        pytest.param("0412345678", id="prefix-04"),
        pytest.param("0612345678", id="prefix-06"),
        pytest.param("0112345678", id="prefix-01"),
        pytest.param("01234567890", id="old-11-digit-mobile"),
        pytest.param("0212345678", id="landline-10-digits"),
        pytest.param("024382512345", id="landline-12-digits"),
        pytest.param("912345678", id="no-leading-zero"),
        pytest.param("+8491234567", id="plus-84-too-short"),
    ],
)
def test_invalid_phone_numbers_are_refused(value: str) -> None:
    message = check_phone(value)
    assert message is not None
    assert "Số điện thoại không hợp lệ" in message


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("0912abc678", id="letters"),
        pytest.param("+1 212 555 0100", id="foreign-plus"),
        pytest.param("0912/345/678", id="slashes"),
        pytest.param("", id="empty"),
    ],
)
def test_phone_with_non_digits_says_digits_only(value: str) -> None:
    message = check_phone(value)
    assert message is not None
    assert "chỉ gồm chữ số" in message


# Email ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("mai.tran@gmail.com", id="gmail"),
        pytest.param("ubnd@hacthanh.thanhhoa.gov.vn", id="gov-vn"),
        pytest.param("tran_thi.mai+hoso@example.vn", id="plus-tag"),
    ],
)
def test_valid_emails(value: str) -> None:
    assert check_email(value) is None


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("mai.tran", id="no-at"),
        pytest.param("mai@", id="no-domain"),
        pytest.param("mai@gmail", id="no-dot-in-domain"),
        pytest.param("@gmail.com", id="no-local-part"),
        pytest.param("mai tran@gmail.com", id="space"),
        pytest.param("mai@tran@gmail.com", id="two-ats"),
        pytest.param("", id="empty"),
    ],
)
def test_invalid_emails(value: str) -> None:
    message = check_email(value)
    assert message is not None
    assert "email không hợp lệ" in message


# Date of birth --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(dt.date(1990, 3, 12), id="adult"),
        pytest.param(TODAY, id="born-today"),
        pytest.param(dt.date(1896, 1, 1), id="130-years-back"),
    ],
)
def test_plausible_dates_of_birth(value: dt.date) -> None:
    assert check_date_of_birth(value, TODAY) is None


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param(dt.date(2026, 11, 17), "không thể ở sau ngày hôm nay", id="tomorrow"),
        pytest.param(dt.date(2090, 1, 1), "không thể ở sau ngày hôm nay", id="far-future"),
        pytest.param(dt.date(1895, 12, 31), "quá xa", id="131-years-back"),
        pytest.param(dt.date(1800, 1, 1), "quá xa", id="1800"),
    ],
)
def test_implausible_dates_of_birth(value: dt.date, fragment: str) -> None:
    message = check_date_of_birth(value, TODAY)
    assert message is not None
    assert fragment in message


def test_full_width_digits_are_not_a_cccd() -> None:
    message = parse_cccd("００１１９００１２３４５", TODAY)
    assert isinstance(message, str)
    assert "chỉ gồm chữ số" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/1990", dt.date(1990, 3, 12)),
        ("1/3/1990", dt.date(1990, 3, 1)),
        ("12-03-1990", dt.date(1990, 3, 12)),
        ("12.03.1990", dt.date(1990, 3, 12)),
        ("12031990", dt.date(1990, 3, 12)),
        ("29/02/2000", dt.date(2000, 2, 29)),
    ],
)
def test_parse_day_reads_dd_mm_yyyy(text: str, expected: dt.date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("31/02/1990", ("31/02/1990 không có thật", "tháng 2 năm 1990 chỉ có 28 ngày")),
        ("29/02/1900", ("không có thật", "28 ngày")),  # 1900 is not a leap year
        ("31/04/2024", ("không có thật", "30 ngày")),
        ("00/05/1990", ("không có thật", "31 ngày")),
        ("12/13/1990", ("không có thật", "không có tháng 13")),
    ],
)
def test_parse_day_says_a_day_does_not_exist(text: str, fragments: tuple[str, ...]) -> None:
    message = parse_day(text)
    assert isinstance(message, str)
    for fragment in fragments:
        assert fragment in message
    assert "dd/mm/yyyy" not in message


@pytest.mark.parametrize("text", ["1990-03-12", "12/3/90", "mười hai", "12/03", ""])
def test_parse_day_names_the_shape_when_the_shape_is_wrong(text: str) -> None:
    message = parse_day(text, "Ngày cấp")
    assert isinstance(message, str) and message.startswith("Ngày cấp phải có dạng dd/mm/yyyy")
