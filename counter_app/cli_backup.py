"""``counter-app backup`` and ``counter-app restore``: the administrator's copy of everything.

Both are run by an administrator who gives their password (``counter_app.cli_auth``):
a backup carries every citizen's data out of the PC, a restore replaces the
store. Restore authenticates against the store it replaces when that store can
still be read, and otherwise (the usual reason to restore: it is lost or
damaged) against a scratch copy of the backup itself, with the password the
administrator had when the backup was taken.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from counter_app.cli_auth import add_user_option, authenticate
from counter_app.clock import SystemClock
from counter_app.errors import NotInitialised
from counter_app.paths import DATABASE_FILE, database_path, resolve_data_dir
from counter_app.roles import Role, StaffIdentity

ADMINS = frozenset({Role.ADMIN})


def register(commands: Any) -> None:
    make = commands.add_parser(
        "backup",
        help="sao lưu cơ sở dữ liệu và giấy tờ số hóa vào một thư mục (vd. ổ USB)",
        description="Tạo thư mục ward-counter-backup-NĂMTHÁNGNGÀY-GIỜPHÚTGIÂY trong --to, "
        "kiểm tra lại rồi mới đặt tên; chạy được khi chương trình đang mở.",
    )
    make.add_argument("--to", required=True, metavar="THƯ_MỤC", help="thư mục chứa các bản sao lưu")
    make.add_argument(
        "--keep", type=int, metavar="N", help="chỉ giữ N bản sao lưu mới nhất trong thư mục đó"
    )
    add_user_option(make)
    make.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    make.set_defaults(handler=run_backup)

    back = commands.add_parser(
        "restore",
        help="khôi phục từ một bản sao lưu (hãy đóng cửa sổ chương trình trước)",
        description="Kiểm tra bản sao lưu, cất cơ sở dữ liệu hiện tại sang tên "
        "counter.sqlite3.before-restore-… rồi thay bằng bản sao lưu.",
    )
    back.add_argument("folder", metavar="BẢN_SAO_LƯU", help="thư mục ward-counter-backup-…")
    add_user_option(back)
    back.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    back.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    # backup and intake (Pillow) load only when a backup is made, not for every command.
    from counter_app import backup
    from counter_app.intake import format_size
    from counter_app.store import Store

    store = Store.open(resolve_data_dir(args.data_dir), create=False)
    try:
        actor = authenticate(args, store, ADMINS)
        now = SystemClock().now()
        made = backup.make_backup(store, Path(args.to), at=now, keep=args.keep)
        backup.record_made(store, made, actor=actor.username, at=now)
    finally:
        store.close()
    print(
        f"Đã sao lưu vào {made.folder}: cơ sở dữ liệu và {made.scans} tệp giấy tờ số hóa "
        f"({format_size(made.bytes)}); đã kiểm tra lại mã SHA-256."
    )
    if made.absent:
        print(
            f"{len(made.absent)} tệp giấy tờ không có (hoặc hỏng) trên máy này nên không được "
            "sao lưu; chạy 'counter-app verify' để xem hồ sơ nào."
        )
    for folder in made.removed:
        print(f"Đã xóa bản sao lưu cũ {folder.name}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from counter_app import backup

    data_dir = resolve_data_dir(args.data_dir)
    folder = Path(args.folder)
    backup.verify_backup(folder)  # refuse a bad backup before asking for any password
    actor = _restore_actor(args, data_dir, folder)
    restored = backup.restore(data_dir, folder, actor=actor.username, at=SystemClock().now())
    print(f"Đã khôi phục từ {folder.name} (sao lưu lúc {restored.backup_taken_at}).")
    if restored.kept_aside is not None:
        print(f"Cơ sở dữ liệu trước khi khôi phục được giữ lại: {restored.kept_aside}")
    if restored.unsent_left_behind:
        print(
            f"Chú ý: cơ sở dữ liệu cũ còn {restored.unsent_left_behind} thay đổi chưa gửi lên "
            "máy chủ tỉnh; chúng chỉ còn trong tệp được giữ lại ở trên.",
            file=sys.stderr,
        )
    print(
        "Hồ sơ tiếp nhận sau thời điểm sao lưu sẽ được lấy lại từ máy chủ tỉnh ở lần đồng bộ "
        "tới; mã hồ sơ đã cấp không bị cấp lại."
    )
    return 0


def _restore_actor(args: argparse.Namespace, data_dir: Path, folder: Path) -> StaffIdentity:
    """An administrator of the store being replaced, or of the backup when that store is gone."""
    from sqlalchemy.exc import DatabaseError

    from counter_app.installation import load_context
    from counter_app.store import Store

    store = None
    if database_path(data_dir).is_file():
        try:
            store = Store.open(data_dir)
            with store.read() as session:
                load_context(session)
        except (NotInitialised, sqlite3.DatabaseError, DatabaseError):
            if store is not None:
                store.close()
            store = None
    if store is not None:
        try:
            return authenticate(args, store, ADMINS)
        finally:
            store.close()
    with tempfile.TemporaryDirectory(prefix="counter-restore-") as scratch:
        shutil.copyfile(folder / DATABASE_FILE, Path(scratch) / DATABASE_FILE)
        copy = Store.open(Path(scratch))
        try:
            return authenticate(args, copy, ADMINS)
        finally:
            copy.close()
