"""``counter-app setup --config FILE``: set a PC up from the province's file, asking nothing.

For a silent install (``docs/install.md``): the file (``counter_app.provisioning``)
says how — by hand (``[counter]``) or by enrolment with the province's one-time
code (``[server]``, the code per PC from ``--code`` or ``COUNTER_ENROL_CODE``) —
and the administrator's password comes from ``COUNTER_ADMIN_PASSWORD``. Every
key is checked before anything is made. On a PC already set up, only the
file's settings are written, so running the same script twice does no harm.

Exit status: 0 set up (or settings updated); 2 a key of the file, the password
or the province's code is wrong (nothing made); 3 the provincial server cannot
be reached (nothing made: run it again when the network is back).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from counter_app import provisioning
from counter_app.clock import SystemClock
from counter_app.errors import NotInitialised, ValidationError
from counter_app.installation import CounterContext, FirstAdmin, load_context, set_up
from counter_app.paths import database_path, resolve_data_dir
from counter_app.store import Store

ENV_ADMIN_PASSWORD = "COUNTER_ADMIN_PASSWORD"
EXIT_OK, EXIT_ACTION_NEEDED, EXIT_UNREACHABLE = 0, 2, 3


def setup(args: argparse.Namespace) -> int:
    from sync.client.commands import set_up_by_enrolment
    from sync.client.errors import SyncError, Transient, Unreachable

    path = Path(args.config) if args.config else provisioning.find_config_file()
    if path is None:
        places = "\n  ".join(str(p) for p in provisioning.config_locations())
        raise ValidationError(
            {"--config": f"chưa chọn tệp cấu hình và không thấy tệp nào ở:\n  {places}"}
        )
    code = args.code or os.environ.get(provisioning.ENV_ENROL_CODE)
    found = provisioning.load(path, enrol_code=code, device_slot=args.device_slot)
    data_dir = resolve_data_dir(args.data_dir)

    existing = _set_up_already(data_dir)
    if existing is not None:
        provisioning.apply_settings(data_dir, found)
        print(
            f"Máy đã được thiết lập trước đó ({existing.unit_name}, máy số {existing.slot}); "
            f"đã cập nhật cài đặt từ {path}."
        )
        if found.enrols:
            print(
                "Để đăng ký máy này với máy chủ tỉnh, chạy: counter-app enrol --server "
                f"{found.server_url} --code <mã> --user <tài khoản quản trị>."
            )
        return EXIT_OK

    password = _admin_password(found.admin_username)
    admin = FirstAdmin(found.admin_username, found.admin_full_name, password, password)
    if errors := admin.errors():
        if "password" in errors:
            errors[ENV_ADMIN_PASSWORD] = errors.pop("password")
        raise ValidationError(errors)
    provisioning.prepare_folders(found)
    at = SystemClock().now()
    try:
        if found.enrols:
            assert found.server_url is not None and found.enrol_code is not None
            context = set_up_by_enrolment(
                data_dir, server=found.server_url, code=found.enrol_code, admin=admin, at=at
            )
        else:
            assert found.unit_code is not None and found.unit_name is not None
            assert found.device_slot is not None
            context = set_up(
                data_dir,
                unit_code=found.unit_code,
                unit_name=found.unit_name,
                slot=found.device_slot,
                admin=admin,
                at=at,
            )
    except (Unreachable, Transient) as exc:
        print(f"Lỗi: {exc} Chưa thiết lập gì; hãy chạy lại khi có mạng.", file=sys.stderr)
        return EXIT_UNREACHABLE
    except SyncError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ACTION_NEEDED
    provisioning.apply_settings(data_dir, found)
    how = f"đăng ký với máy chủ tỉnh {found.server_url}" if found.enrols else "thiết lập bằng tay"
    print(
        f"Đã thiết lập {context.unit_name} ({context.unit_code}), máy số {context.slot} "
        f"({how}) từ {path}."
    )
    print(f"Dữ liệu: {data_dir}")
    return EXIT_OK


def _set_up_already(data_dir: Path) -> CounterContext | None:
    if not database_path(data_dir).exists():
        return None
    store = Store.open(data_dir, create=False)
    try:
        with store.read() as session:
            return load_context(session)
    except NotInitialised:
        return None  # a store an init left half made: set up over it, as the window does
    finally:
        store.close()


def _admin_password(username: str) -> str:
    from_env = os.environ.get(ENV_ADMIN_PASSWORD)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise ValidationError(
            {ENV_ADMIN_PASSWORD: "cần mật khẩu quản trị: đặt biến môi trường này khi cài tự động."}
        )
    first = getpass.getpass(f"Mật khẩu cho {username}: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValidationError({"password": "Hai lần nhập mật khẩu không khớp."})
    return first
