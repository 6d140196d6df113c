"""``counter-app report …``: the supervisor's tally and the dossier book, headless.

    counter-app report daily --date 2026-11-16 --out ngay.pdf [--xlsx ngay.xlsx] [--csv ngay.csv]
    counter-app report range --from 2026-10-01 --to 2026-10-31 --out t10.pdf [--xlsx …] [--csv …]
    counter-app report book --from 2026-11-16 --to 2026-11-20 --out so.pdf [--field "Hộ tịch"]
    counter-app report fees --from 2026-11-01 --to 2026-11-30
    counter-app report index --from 01/11/2026 --to 30/11/2026 [--by month] [--xlsx F] [--pdf F]

So a nightly job can file the day's report without anybody at the window.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app.clock import SystemClock
from counter_app.errors import ValidationError
from counter_app.os_errors import os_reason
from counter_app.paths import resolve_data_dir
from counter_app.settings import load_settings

if TYPE_CHECKING:
    from counter_app.store import Store


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --data-dir given before the command from being overwritten by None.
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )


def register(commands: Any) -> None:
    report = commands.add_parser("report", help="số liệu thống kê và sổ theo dõi hồ sơ")
    actions = report.add_subparsers(dest="report_command", metavar="VIỆC", required=True)

    daily = actions.add_parser("daily", help="số liệu một ngày ra PDF (và XLSX, CSV)")
    daily.add_argument("--date", required=True, metavar="NGÀY", help="ngày, dạng YYYY-MM-DD")
    ranged = actions.add_parser("range", help="số liệu một khoảng ngày ra PDF (và XLSX, CSV)")
    ranged.add_argument(
        "--from", dest="first", required=True, metavar="NGÀY", help="từ ngày, YYYY-MM-DD"
    )
    ranged.add_argument(
        "--to", dest="last", required=True, metavar="NGÀY", help="đến ngày, YYYY-MM-DD"
    )
    for parser in (daily, ranged):
        parser.add_argument("--out", required=True, metavar="TỆP", help="tệp PDF sẽ ghi")
        parser.add_argument("--xlsx", metavar="TỆP", help="tệp Excel (XLSX) sẽ ghi")
        parser.add_argument("--csv", metavar="TỆP", help="tệp CSV sẽ ghi")
        _data_dir_option(parser)
        parser.set_defaults(handler=run_tally)

    book = actions.add_parser("book", help="sổ theo dõi hồ sơ (mẫu 07) ra PDF")
    book.add_argument(
        "--from", dest="first", required=True, metavar="NGÀY", help="từ ngày, YYYY-MM-DD"
    )
    book.add_argument(
        "--to", dest="last", required=True, metavar="NGÀY", help="đến ngày, YYYY-MM-DD"
    )
    book.add_argument("--out", required=True, metavar="TỆP", help="tệp PDF sẽ ghi")
    book.add_argument(
        "--field",
        default="",
        metavar="LĨNH_VỰC",
        help='chỉ in sổ của một lĩnh vực, ví dụ "Hộ tịch"',
    )
    _data_dir_option(book)
    book.set_defaults(handler=run_book)

    fees = actions.add_parser("fees", help="phí, lệ phí đã thu theo ngày và hình thức")
    fees.add_argument(
        "--from", dest="first", required=True, metavar="NGÀY", help="từ ngày, YYYY-MM-DD"
    )
    fees.add_argument(
        "--to", dest="last", required=True, metavar="NGÀY", help="đến ngày, YYYY-MM-DD"
    )
    _data_dir_option(fees)
    fees.set_defaults(handler=run_fees)

    index = actions.add_parser(
        "index", help="chỉ số số hóa theo ngày hoặc tháng và theo máy tiếp nhận"
    )
    index.add_argument(
        "--from", dest="first", required=True, metavar="NGÀY", help="từ ngày, DD/MM/YYYY"
    )
    index.add_argument(
        "--to", dest="last", required=True, metavar="NGÀY", help="đến ngày, DD/MM/YYYY"
    )
    index.add_argument(
        "--by",
        choices=("day", "month"),
        default="day",
        metavar="NHÓM",
        help="nhóm theo ngày (day, mặc định) hoặc tháng (month)",
    )
    index.add_argument("--xlsx", metavar="TỆP", help="tệp Excel (XLSX) sẽ ghi, có biểu đồ")
    index.add_argument("--pdf", metavar="TỆP", help="tệp PDF sẽ ghi (A4 ngang)")
    _data_dir_option(index)
    index.set_defaults(handler=run_index)


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            {option: f"Ngày '{text}' không hợp lệ; hãy viết dạng YYYY-MM-DD, vd. 2026-11-16."}
        ) from None


def _vn_day(text: str, option: str) -> dt.date:
    """DD/MM/YYYY as the forms write dates; YYYY-MM-DD as the other commands take them."""
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            {option: f"Ngày '{text}' không hợp lệ; hãy viết dạng DD/MM/YYYY, vd. 16/11/2026."}
        ) from None


def _range(args: argparse.Namespace) -> tuple[dt.date, dt.date]:
    if getattr(args, "date", None):
        day = _day(args.date, "--date")
        return day, day
    first, last = _day(args.first, "--from"), _day(args.last, "--to")
    if last < first:
        raise ValidationError({"--to": "Ngày kết thúc phải từ ngày bắt đầu trở đi."})
    return first, last


def _write(path: str, data: bytes, option: str) -> Path:
    target = Path(path)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ValidationError({option: f"Không ghi được tệp {target}: {os_reason(exc)}."}) from None
    return target


def _open_store(data_dir: Path) -> Store:
    from counter_app.store import Store  # SQLAlchemy loads when a report is made

    return Store.open(data_dir, create=False)


def run_tally(args: argparse.Namespace) -> int:
    # Each command imports what it uses here, so registering costs no reportlab or openpyxl.
    from printing.report_print import load_unit_tally, tally_pdf
    from printing.tally_pdf import number

    first, last = _range(args)
    data_dir = resolve_data_dir(args.data_dir)
    store = _open_store(data_dir)
    now = SystemClock().now()
    tally = load_unit_tally(store, first, last, now)
    out = _write(args.out, tally_pdf(tally, load_settings(data_dir), now), "--out")
    total = tally.total
    print(
        f"{tally.period_label}: nhận {number(total.received_total)}, đã giải quyết "
        f"{number(total.resolved)}, đang giải quyết {number(total.in_progress)}, "
        f"đã trả {number(total.returned)}, phí thu {number(total.fees_vnd)} đồng"
    )
    print(f"Đã in báo cáo ra {out}")
    if args.xlsx:
        from counter_app.tally_export import to_xlsx

        print(f"Đã xuất Excel ra {_write(args.xlsx, to_xlsx(tally), '--xlsx')}")
    if args.csv:
        from counter_app.tally_export import to_csv

        print(f"Đã xuất CSV ra {_write(args.csv, to_csv(tally), '--csv')}")
    return 0


def run_book(args: argparse.Namespace) -> int:
    from printing.report_print import book_pdf, load_unit_book

    first, last = _range(args)
    data_dir = resolve_data_dir(args.data_dir)
    store = _open_store(data_dir)
    book = load_unit_book(store, first, last, args.field)
    pdf = book_pdf(book, load_settings(data_dir), SystemClock().now())
    out = _write(args.out, pdf, "--out")
    scope = f"lĩnh vực {book.field}, " if book.field else ""
    print(f"Đã in sổ theo dõi hồ sơ ({scope}{book.period_label}, {len(book.lines)} hồ sơ) ra {out}")
    return 0


def run_fees(args: argparse.Namespace) -> int:
    from counter_app.fees import FeeService
    from printing.tally_pdf import number

    first, last = _range(args)
    store = _open_store(resolve_data_dir(args.data_dir))
    totals = FeeService(store, SystemClock()).totals(first, last)
    for total in totals:
        print(
            f"{total.day:%d/%m/%Y}\t{total.method_label}\t{total.payments} khoản\t"
            f"{number(total.amount_vnd)} đồng"
        )
    taken = sum(t.amount_vnd for t in totals if t.method != "exempt")
    print(f"Cộng đã thu: {number(taken)} đồng")
    lines = FeeService(store, SystemClock()).receipts_issued(first, last)
    if lines:
        print("Biên lai (mẫu số, ký hiệu, số):")
    for line in lines:
        if line.cancelled:
            note = "ĐÃ HỦY" + (f" ({line.cancel_reason})" if line.cancel_reason else "")
        elif line.electronic:
            note = f"biên lai điện tử, mã tra cứu {line.lookup}"
        else:
            note = "" if line.number else "chưa đánh số trên máy"
        print(
            f"{line.form_symbol or '-'}\t{line.series or '-'}\t{line.number or '-'}\t"
            f"{line.dossier_code}\t{number(line.amount_vnd)} đồng\t"
            f"{line.issued_at:%H:%M %d/%m/%Y}\t{note}".rstrip()
        )
    return 0


def run_index(args: argparse.Namespace) -> int:
    from counter_app.digitization_index import (
        INDEX_COLUMNS,
        IndexRangeError,
        cell_text,
        load_unit_index,
    )

    first, last = _vn_day(args.first, "--from"), _vn_day(args.last, "--to")
    if last < first:
        raise ValidationError({"--to": "Ngày kết thúc phải từ ngày bắt đầu trở đi."})
    data_dir = resolve_data_dir(args.data_dir)
    store = _open_store(data_dir)
    now = SystemClock().now()
    try:
        index = load_unit_index(store, first, last, now, args.by)
    except IndexRangeError as exc:
        raise ValidationError({"--by": str(exc)}) from None
    print(f"Chỉ số số hóa — {index.unit_name} — {index.period_label}")
    print("\t".join(["Thời gian", "Máy tiếp nhận", *(c.heading for c in INDEX_COLUMNS)]))
    for row in (*index.rows, *index.counters):
        cells = (cell_text(row.figures, c) for c in INDEX_COLUMNS)
        print("\t".join([row.period_label, row.counter_label, *cells]))
    cells = (cell_text(index.total, c) for c in INDEX_COLUMNS)
    print("\t".join(["Cả kỳ", "Tổng cộng", *cells]))
    if args.xlsx:
        from counter_app.index_export import index_xlsx

        print(f"Đã xuất Excel ra {_write(args.xlsx, index_xlsx(index), '--xlsx')}")
    if args.pdf:
        from printing.report_print import index_pdf

        pdf = index_pdf(index, load_settings(data_dir), now)
        print(f"Đã in chỉ số số hóa ra {_write(args.pdf, pdf, '--pdf')}")
    return 0
