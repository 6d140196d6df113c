"""``counter-app sign`` and ``check-signature``: signed digitized copies from the command line.

``sign`` goes through ``SigningService``, the window's path: the document's
(or, with ``--result``, the result's) stored PDF signed on the token and
attached as a new blob. The token's PIN is
asked on the terminal (or read from the first line of standard input with
``--pin-stdin``) and never kept. ``check-signature`` reads PDF files and says
what their signatures prove against the configured trust roots.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from counter_app.cli_auth import add_user_option, authenticate
from counter_app.clock import SystemClock
from counter_app.errors import ValidationError
from counter_app.paths import resolve_data_dir


def register(commands: Any) -> None:
    sign = commands.add_parser(
        "sign",
        help="ký số bản số hóa của một giấy tờ (hoặc của kết quả) bằng thiết bị ký số "
        "(USB token) của trung tâm",
        description="Ví dụ: counter-app sign 000.00.11.H57-261116-1001 --document 2 --user lan; "
        "counter-app sign 000.00.11.H57-261116-1001 --result --user lan",
    )
    sign.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ (hoặc mã hồ sơ nháp)")
    which = sign.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--document",
        type=int,
        metavar="N",
        help="số thứ tự của giấy tờ trong danh mục của hồ sơ (1, 2, …)",
    )
    which.add_argument(
        "--result", action="store_true", help="ký bản số hóa kết quả giải quyết của hồ sơ"
    )
    sign.add_argument(
        "--pin-stdin",
        action="store_true",
        help="đọc mã PIN của thiết bị ký số từ dòng đầu của đầu vào chuẩn (không hỏi)",
    )
    add_user_option(sign)
    sign.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    sign.set_defaults(handler=run_sign)

    check = commands.add_parser(
        "check-signature",
        help="kiểm tra chữ ký số của các tệp PDF theo chứng thư của tổ chức chứng thực đã cấu hình",
    )
    check.add_argument("files", nargs="+", metavar="TỆP", help="tệp PDF cần kiểm tra")
    check.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    check.set_defaults(handler=run_check)


def _pin(args: argparse.Namespace) -> str:
    if args.pin_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise ValidationError(
            {
                "--pin-stdin": "cần mã PIN của thiết bị ký số: chạy lệnh trong terminal để nhập, "
                "hoặc thêm --pin-stdin và đưa mã PIN vào đầu vào chuẩn"
            }
        )
    import getpass

    return getpass.getpass("Mã PIN của thiết bị ký số: ")


def run_sign(args: argparse.Namespace) -> int:
    from counter_app.attachments import AttachmentService
    from counter_app.intake import format_size
    from counter_app.signed_copies import SigningService
    from counter_app.signing import load_signing_settings, why_unavailable
    from counter_app.store import Store

    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir, create=False)
    service = SigningService(
        AttachmentService(store, SystemClock()), load_signing_settings(data_dir)
    )
    if not service.available:
        print(f"Lỗi: {why_unavailable(service.settings)}", file=sys.stderr)
        return 2
    actor = authenticate(args, store)
    if args.result:
        result = service.sign_result(args.code, _pin(args), actor)
        print(
            f"Đã ký số bản số hóa kết quả của hồ sơ {result.scan.code}: "
            f"{format_size(result.size)}, SHA-256 {result.sha256}. {result.status.describe()}"
        )
        return 0
    copy = service.sign_document(args.code, args.document, _pin(args), actor)
    slot = copy.target.slot(copy.number)
    print(
        f"Đã ký số giấy tờ {slot.number} ({slot.name}) của hồ sơ {copy.target.label}: "
        f"{format_size(copy.size)}, SHA-256 {copy.sha256}. {copy.status.describe()}"
    )
    return 0


def run_check(args: argparse.Namespace) -> int:
    from counter_app.signed_copies import check_pdf
    from counter_app.signing import load_signing_settings
    from counter_app.store_read import require_store

    data_dir = resolve_data_dir(args.data_dir)
    require_store(data_dir)  # the trust roots are this counter's: a wrong --data-dir is named
    settings = load_signing_settings(data_dir)
    worst = 0
    for name in args.files:
        path = Path(name)
        try:
            content = path.read_bytes()
        except OSError as exc:
            from counter_app.os_errors import os_reason

            print(f"Lỗi: không đọc được tệp {path} ({os_reason(exc)}).", file=sys.stderr)
            worst = max(worst, 2)
            continue
        status = check_pdf(content, settings)
        print(status.describe(path.name))
        if status.kind == "invalid":
            worst = max(worst, 1)
    return worst
