"""``province-server updates init | publish | refresh``: the IT staff's side of counter updates.

The work is in ``update_repo.py``; it is imported when a command runs, so
``province-server --help`` does not load the signing libraries.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from sync.server.settings import DEFAULT_UPDATES_DIR, ENV_UPDATES_DIR

ENV_KEYS_DIR = "PROVINCE_UPDATE_KEYS_DIR"
DEFAULT_KEYS_DIR = "update-keys"


def register(commands: Any) -> None:
    updates = commands.add_parser(
        "updates", help="bản cập nhật phần mềm quầy (ký và công bố)"
    ).add_subparsers(dest="updates_command", metavar="VIỆC", required=True)

    init = updates.add_parser("init", help="tạo khóa ký và kho cập nhật (một lần)")
    _folders(init)
    init.set_defaults(handler=cmd_init)

    publish = updates.add_parser(
        "publish", help="ký và công bố một phiên bản mới cho các máy quầy đã đăng ký"
    )
    publish.add_argument(
        "bundle",
        metavar="GÓI",
        help="thư mục bản đóng gói (vd. dist/counter-app) hoặc tệp nén .zip, .tar.gz của nó",
    )
    publish.add_argument(
        "--version",
        metavar="SỐ",
        help="số phiên bản mới, vd. 1.2.0 (mặc định: số bản dựng ghi trong gói)",
    )
    _folders(publish)
    publish.set_defaults(handler=cmd_publish)

    refresh = updates.add_parser(
        "refresh", help="ký lại hạn dùng của thông tin cập nhật (chạy hằng tuần)"
    )
    _folders(refresh)
    refresh.set_defaults(handler=cmd_refresh)


def _folders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo",
        default=os.environ.get(ENV_UPDATES_DIR) or DEFAULT_UPDATES_DIR,
        metavar="THƯ_MỤC",
        help=f"kho cập nhật máy chủ phục vụ (mặc định: {ENV_UPDATES_DIR} hoặc "
        f"{DEFAULT_UPDATES_DIR})",
    )
    parser.add_argument(
        "--keys",
        default=os.environ.get(ENV_KEYS_DIR) or DEFAULT_KEYS_DIR,
        metavar="THƯ_MỤC",
        help=f"thư mục khóa ký riêng, không nằm trong kho (mặc định: {ENV_KEYS_DIR} hoặc "
        f"{DEFAULT_KEYS_DIR})",
    )


def cmd_init(args: argparse.Namespace) -> int:
    from sync.server import update_repo

    root = update_repo.initialise(Path(args.repo), Path(args.keys))
    print(f"Đã tạo kho cập nhật {args.repo} và khóa ký trong {args.keys}.")
    print(f"Gốc tin cậy của các máy quầy: {root}")
    print("Hãy sao lưu thư mục khóa ra nơi an toàn; mất khóa thì không công bố được nữa.")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from sync.server import update_repo

    archive = update_repo.publish(Path(args.repo), Path(args.keys), Path(args.bundle), args.version)
    print(f"Đã công bố {archive.name}: {archive}")
    print("Các máy quầy sẽ tải về khi mở chương trình và cài ở lần mở sau.")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from sync.server import update_repo

    update_repo.refresh(Path(args.repo), Path(args.keys))
    print(f"Đã ký lại thông tin cập nhật trong {args.repo}.")
    return 0
