"""``counter-app enrol``, ``sync`` and ``setup``, plugged in through ``counter_app.commands``.

Only the declarations live here: every ``counter-app`` start (the window too)
builds the parser, so the work is imported from ``sync.client.commands`` when a
command actually runs. Exit statuses are documented there.
"""

from __future__ import annotations

import argparse
from typing import Any

from counter_app.cli_auth import add_user_option


def register(commands: Any) -> None:
    enrol = commands.add_parser("enrol", help="đăng ký máy này với máy chủ tỉnh (mã một lần)")
    _data_dir_option(enrol)
    enrol.add_argument(
        "--server", required=True, metavar="ĐỊA_CHỈ", help="địa chỉ máy chủ tỉnh, vd. https://…"
    )
    enrol.add_argument(
        "--code", required=True, metavar="MÃ", help="mã đăng ký một lần do quản trị tỉnh cấp"
    )
    add_user_option(enrol)
    enrol.set_defaults(handler=cmd_enrol)

    sync = commands.add_parser("sync", help="đồng bộ một lần với máy chủ tỉnh")
    _data_dir_option(sync)
    sync.add_argument(
        "--retry-rejected",
        action="store_true",
        help="gửi lại các thay đổi đã bị máy chủ từ chối (sau khi đã xử lý nguyên nhân)",
    )
    sync.set_defaults(handler=cmd_sync)

    setup = commands.add_parser(
        "setup",
        help="thiết lập máy mới từ tệp cấu hình của tỉnh, không hỏi gì (cài đặt tự động)",
    )
    _data_dir_option(setup)
    setup.add_argument(
        "--config",
        metavar="TỆP",
        help="tệp cấu hình TOML hoặc JSON (mặc định: COUNTER_CONFIG, cạnh tệp chạy, "
        "rồi thư mục cấu hình; xem docs/install.md)",
    )
    setup.add_argument(
        "--code", metavar="MÃ", help="mã đăng ký một lần của máy này (hoặc COUNTER_ENROL_CODE)"
    )
    setup.add_argument(
        "--device-slot", type=int, metavar="SỐ", help="số máy quầy của máy này (thay số trong tệp)"
    )
    setup.set_defaults(handler=cmd_setup)


def _data_dir_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a --data-dir given before the command from being overwritten by None.
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )


def cmd_enrol(args: argparse.Namespace) -> int:
    from sync.client.commands import enrol

    return enrol(args)


def cmd_setup(args: argparse.Namespace) -> int:
    from sync.client.setup import setup

    return setup(args)


def cmd_sync(args: argparse.Namespace) -> int:
    from sync.client.commands import sync

    return sync(args)
