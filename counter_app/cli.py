"""The ``counter-app`` command line, on the same services as the window.

Commands of the outer layers (the window, sync, printing) plug in through the
``counter_app.commands`` entry-point group, so this core package never imports
them. ``counter-app`` with no command starts the window.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app import cli_backup
from counter_app.cli_auth import add_user_option, authenticate
from counter_app.clock import SystemClock
from counter_app.errors import CounterError, ValidationError
from counter_app.paths import database_path, resolve_data_dir
from counter_app.plugins import command_plugins
from counter_app.roles import ROLE_LABELS, Role

if TYPE_CHECKING:
    from counter_app.store import Store

Handler = Callable[[argparse.Namespace], int]
ENV_ADMIN_PASSWORD = "COUNTER_ADMIN_PASSWORD"
ENV_USER_PASSWORD = "COUNTER_USER_PASSWORD"


def open_store(args: argparse.Namespace, *, create: bool = False) -> Store:
    """The store of ``--data-dir``; only the commands that set a counter up create one."""
    # Imported here: SQLAlchemy and the models load with a command that opens the store,
    # not with the parser every command builds.
    from counter_app.store import Store

    return Store.open(resolve_data_dir(args.data_dir), create=create)


def _password(env_name: str, prompt: str) -> str:
    from_env = os.environ.get(env_name)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise ValidationError(
            {env_name: "cần mật khẩu: đặt biến môi trường này hoặc chạy trong terminal"}
        )
    import getpass  # it loads the terminal's modules, which most commands never use

    first = getpass.getpass(prompt)
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValidationError({"password": "Hai lần nhập mật khẩu không khớp."})
    return first


def cmd_init(args: argparse.Namespace) -> int:
    from counter_app.installation import initialise

    password = _password(ENV_ADMIN_PASSWORD, f"Mật khẩu cho {args.admin_username}: ")
    store = open_store(args, create=True)
    context = initialise(
        store,
        unit_code=args.unit_code,
        unit_name=args.unit_name,
        slot=args.device_slot,
        admin_username=args.admin_username,
        admin_password=password,
        admin_full_name=args.admin_name,
        at=SystemClock().now(),
    )
    print(f"Đã khởi tạo {context.unit_name} ({context.unit_code}), máy số {context.slot}")
    print(f"Dữ liệu: {store.data_dir}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    from counter_app import auth
    from counter_app.installation import load_context

    store = open_store(args)
    actor = authenticate(args, store, {Role.ADMIN})
    password = _password(ENV_USER_PASSWORD, f"Mật khẩu cho {args.username}: ")
    with store.write() as session:
        context = load_context(session)
        user = auth.add_user(
            session,
            username=args.username,
            full_name=args.full_name,
            role=args.role,
            password=password,
            unit_code=context.unit_code,
            at=SystemClock().now(),
            by=actor.username,
        )
    print(f"Đã thêm {user.username} ({ROLE_LABELS[user.role]})")
    return 0


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from counter_app import audit, catalog
    from counter_app.installation import load_context

    data = catalog.load_catalog_file(Path(args.file))
    store = open_store(args)
    actor = authenticate(args, store, {Role.ADMIN})
    with store.write() as session:
        context = load_context(session)
        result = catalog.import_catalog(session, data)
        audit.record(
            session,
            at=SystemClock().now(),
            actor=actor.username,
            action="catalog.import",
            entity="catalog",
            entity_id=str(result.version)[:64],
            device_id=context.device_id,
            detail={"file": str(args.file), "added": result.added, "updated": result.updated},
        )
    print(
        f"Danh mục {result.version}: thêm {result.added}, cập nhật {result.updated}, "
        f"ngừng áp dụng {result.deactivated}"
    )
    return 0


def cmd_catalog_search(args: argparse.Namespace) -> int:
    from counter_app import catalog

    store = open_store(args)
    with store.read() as session:
        hits = catalog.search(session, " ".join(args.text), limit=args.limit)
    for hit in hits:
        print(f"{hit.code}\t{hit.name}")
    return 0 if hits else 1


def cmd_appointment(args: argparse.Namespace) -> int:
    """Print the appointment reception would give; reads the store, writes nothing."""
    from counter_app.appointment_quote import describe, parse_received_at, quote
    from counter_app.calendar_source import CalendarSource
    from counter_app.installation import load_context

    at = parse_received_at(args.received_at) if args.received_at else SystemClock().now()
    store = open_store(args)
    with store.read() as session:
        load_context(session)
        found = quote(session, CalendarSource(), args.procedure_code, at)
    print("\n".join(describe(found)))
    return 0


def cmd_dossier_show(args: argparse.Namespace) -> int:
    """Print one dossier (JSON for scripts, lines for people); reads the store, writes nothing."""
    from counter_app import dossier_export

    store = open_store(args)
    with store.read() as session:
        data = dossier_export.dossier_json(session, args.code)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print("\n".join(dossier_export.summary_lines(data)))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from counter_app import demo

    store = open_store(args, create=True)
    summary = demo.fill(store, SystemClock())
    if not summary.created:
        print(f"Thư mục {store.data_dir} đã có hồ sơ; không thêm dữ liệu mẫu.")
        return 0
    print(
        f"Đã tạo {summary.dossiers} hồ sơ và {summary.drafts} hồ sơ nháp mẫu tại {store.data_dir}"
    )
    print(
        "Đăng nhập: "
        + ", ".join(u for u, _, _ in demo.DEMO_STAFF)
        + f" / mật khẩu {demo.DEMO_PASSWORD}"
    )
    return 0


VERBOSE_HELP = "ghi cả thông tin gỡ lỗi ra màn hình (stderr), ngoài tệp nhật ký"


def program_version() -> str:
    """The version this program was installed or built as: what an update is compared with.

    A frozen build reads it from the ``ward_counter-<version>.dist-info`` it carries.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ward-counter")
    except PackageNotFoundError:
        return "(không rõ phiên bản)"


class _ShowVersion(argparse.Action):
    """``--version``, reading the version only when asked: every other command, ``print``
    included, starts without importlib.metadata (``tests/test_cold_start.py``)."""

    def __init__(self, option_strings: list[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"counter-app {program_version()}")
        parser.exit()


def build_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    """The parser, and the names of its commands (the window's among them when installed)."""
    from counter_app.cli_text import speak_vietnamese

    speak_vietnamese()
    parser = argparse.ArgumentParser(
        prog="counter-app",
        description="Phần mềm quầy một cửa cấp xã. Không có lệnh: mở cửa sổ chương trình.",
    )
    parser.add_argument(
        "--data-dir",
        metavar="THƯ_MỤC",
        help="thư mục dữ liệu (mặc định: COUNTER_DATA_DIR hoặc thư mục người dùng)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help=VERBOSE_HELP,
    )
    parser.add_argument(
        "--version",
        action=_ShowVersion,
        help="xem phiên bản chương trình rồi thoát",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="lệnh")

    init = commands.add_parser("init", help="khởi tạo thư mục dữ liệu cho một quầy")
    init.add_argument(
        "--unit-code",
        required=True,
        metavar="MÃ",
        help="mã định danh đơn vị, vd. 000.00.11.H57 hoặc H57.123.45",
    )
    init.add_argument("--unit-name", required=True, metavar="TÊN", help="tên đơn vị")
    init.add_argument(
        "--device-slot", type=int, required=True, metavar="SỐ", help="số thứ tự máy (1-9)"
    )
    init.add_argument(
        "--admin-username",
        default="admin",
        metavar="TÊN",
        help="tên đăng nhập của quản trị (mặc định: admin)",
    )
    init.add_argument(
        "--admin-name",
        default="Quản trị hệ thống",
        metavar="HỌ_TÊN",
        help="họ tên của quản trị (hiện trên màn hình)",
    )
    init.set_defaults(handler=cmd_init)

    user = commands.add_parser("user", help="tài khoản cán bộ").add_subparsers(
        dest="user_command", metavar="VIỆC", required=True
    )
    add = user.add_parser("add", help=f"thêm tài khoản (mật khẩu từ {ENV_USER_PASSWORD})")
    add.add_argument("--username", required=True, metavar="TÊN", help="tên đăng nhập")
    add.add_argument("--full-name", required=True, metavar="HỌ_TÊN", help="họ và tên cán bộ")
    add.add_argument("--role", required=True, choices=[r.value for r in Role], help="vai trò")
    add_user_option(add)
    add.set_defaults(handler=cmd_user_add)

    cat = commands.add_parser("catalog", help="danh mục thủ tục").add_subparsers(
        dest="catalog_command", metavar="VIỆC", required=True
    )
    imp = cat.add_parser("import", help="nhập danh mục từ tệp JSON")
    imp.add_argument("file", metavar="TỆP", help="tệp danh mục thủ tục (JSON)")
    add_user_option(imp)
    imp.set_defaults(handler=cmd_catalog_import)
    find = cat.add_parser("search", help="tìm thủ tục theo mã hoặc từ khóa (không dấu cũng được)")
    find.add_argument("text", nargs="+", metavar="TỪ", help="mã thủ tục hoặc từ khóa")
    find.add_argument(
        "--limit", type=int, default=20, metavar="N", help="số kết quả nhiều nhất (mặc định: 20)"
    )
    find.set_defaults(handler=cmd_catalog_search)

    appointment = commands.add_parser(
        "appointment",
        help="ngày hẹn trả kết quả quầy sẽ cho một hồ sơ (chỉ xem, không ghi gì)",
    )
    appointment.add_argument("procedure_code", metavar="MÃ_THỦ_TỤC", help="mã thủ tục")
    appointment.add_argument(
        "--received-at",
        metavar="THỜI_ĐIỂM",
        help='thời điểm tiếp nhận "YYYY-MM-DD HH:MM" (mặc định: bây giờ)',
    )
    appointment.set_defaults(handler=cmd_appointment)

    dossier = commands.add_parser("dossier", help="hồ sơ đã tiếp nhận").add_subparsers(
        dest="dossier_command", metavar="VIỆC", required=True
    )
    show = dossier.add_parser(
        "show", help="trạng thái, ngày hẹn, diễn biến, giấy tờ và phí của một hồ sơ (chỉ xem)"
    )
    show.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ")
    show.add_argument(
        "--format", choices=("text", "json"), default="text", help="dạng in ra (mặc định: text)"
    )
    show.set_defaults(handler=cmd_dossier_show)

    dem = commands.add_parser("demo", help="tạo dữ liệu mẫu vài ngày làm việc")
    dem.set_defaults(handler=cmd_demo)
    cli_backup.register(commands)

    for plugin in command_plugins():
        plugin.load()(commands)
    _data_dir_everywhere(commands)
    return parser, set(commands.choices)


def _data_dir_everywhere(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Let every command, plugged in or not, take --data-dir after its name too.

    SUPPRESS keeps a --data-dir given before the command from being overwritten.
    """
    for parser in commands.choices.values():
        nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        for action in nested:
            _data_dir_everywhere(action)
        if not nested and "--data-dir" not in parser._option_string_actions:
            parser.add_argument(
                "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
            )
        if not nested and "--verbose" not in parser._option_string_actions:
            parser.add_argument(
                "--verbose", action="store_true", default=argparse.SUPPRESS, help=VERBOSE_HELP
            )


def main(argv: Sequence[str] | None = None) -> int:
    as_a_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, command_names = build_parser()
    args = parser.parse_args(argv)
    from counter_app import logs

    logs.set_up(resolve_data_dir(args.data_dir), verbose=args.verbose)
    if as_a_process:  # not when a test calls main(): the hooks are the process's
        logs.install_hooks(logs.tell_stderr)
    if getattr(args, "handler", None) is None:
        if "gui" not in command_names:
            parser.error("cửa sổ chương trình chưa được cài đặt; hãy chọn một lệnh")
        args = parser.parse_args([*argv, "gui"])
    return run_handler(args.handler, args)


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command; an error a person can fix is printed in plain words, exit status 2."""
    log, command = logging.getLogger("counter_app.cli"), getattr(args, "command", None)
    try:
        return handler(args)
    except ValidationError as exc:
        log.warning("Lệnh %s bị từ chối: %s", command, exc.errors)
        for field, message in exc.errors.items():
            print(f"Lỗi — {field}: {message}", file=sys.stderr)
        return 2
    except CounterError as exc:
        log.warning("Lệnh %s không làm được: %s", command, exc)
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        from counter_app.os_errors import os_reason

        log.error("Lệnh %s: lỗi đọc/ghi tệp", command, exc_info=exc)
        where = f" {exc.filename}" if exc.filename else ""
        print(
            f"Lỗi: không đọc hoặc ghi được tệp{where}: {os_reason(exc)}. Hãy kiểm tra "
            "ổ đĩa (còn chỗ trống, không chỉ đọc) và quyền của thư mục rồi làm lại.",
            file=sys.stderr,
        )
        return 2
    except Exception as exc:
        # The store failed under a command already running: a full disk, a write lock
        # held past the busy timeout. The transaction was rolled back whole. Only a
        # command that loaded SQLAlchemy can raise its errors, so it is not imported here.
        orm_errors = sys.modules.get("sqlalchemy.exc")
        if orm_errors is None or not isinstance(exc, orm_errors.SQLAlchemyError):
            raise
        from counter_app.store import explain

        log.error("Lệnh %s: lỗi cơ sở dữ liệu", command, exc_info=exc)
        database = database_path(resolve_data_dir(getattr(args, "data_dir", None)))
        print(f"Lỗi: {explain(exc, database)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
