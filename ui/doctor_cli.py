"""``counter-app doctor``: the preflight check in a terminal, for IT staff and scripts.

Declared by the window's plugin (``ui.launcher.register``) because its checks are
put together in ``ui.preflight``; only the declaration is imported when the
parser is built. Exit status: 0 when everything required is there (warnings
allowed), 1 when something required fails (``--strict``: anything warns too).
"""

from __future__ import annotations

import argparse
from typing import Any


def register(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="kiểm tra máy trước khi dùng: thư viện cửa sổ, phông chữ, máy in, thư mục, "
        "máy chủ tỉnh, đồng hồ…",
    )
    doctor.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    doctor.add_argument(
        "--server",
        help="địa chỉ máy chủ tỉnh cần thử (mặc định: máy chủ máy này đã đăng ký)",
    )
    doctor.add_argument("--strict", action="store_true", help="trả mã lỗi 1 cả khi chỉ có cảnh báo")
    doctor.set_defaults(handler=cmd_doctor)


def cmd_doctor(args: argparse.Namespace) -> int:
    from counter_app.doctor import text_report
    from counter_app.paths import resolve_data_dir
    from ui.preflight import run_preflight

    data_dir = resolve_data_dir(args.data_dir)
    report = run_preflight(data_dir, server=args.server)
    print(f"Kiểm tra máy — thư mục dữ liệu {data_dir}")
    print(text_report(report))
    return report.exit_status(strict=args.strict)
