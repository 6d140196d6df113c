"""The ``province-server`` command: run the server and do the administrator's chores.

Every command takes ``--database-url`` (default: ``PROVINCE_DATABASE_URL``, else
``province.sqlite3`` in the current directory), so the same commands work on a
pilot's SQLite file and on the production PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from counter_app.catalog import load_json_file
from counter_app.cli import run_handler
from counter_app.cli_text import speak_vietnamese
from sync.server import admin, update_cli
from sync.server.db import Database
from sync.server.settings import (
    DEFAULT_UPDATES_DIR,
    ENV_UPDATES_DIR,
    KIB,
    MIB,
    ServerLimits,
)

ENV_DATABASE_URL = "PROVINCE_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///province.sqlite3"
Handler = Callable[[argparse.Namespace], int]


def limit_env(option: str) -> str:
    """The variable that sets a ``serve`` limit: --max-push-mb → PROVINCE_MAX_PUSH_MB."""
    return "PROVINCE_" + option.removeprefix("--").replace("-", "_").upper()


def _database(args: argparse.Namespace) -> Database:
    return Database.open(args.database_url)


def serve_limits(args: argparse.Namespace) -> ServerLimits:
    """The limits ``serve`` was given (each option defaults to ``ServerLimits``'s value)."""
    return ServerLimits(
        enrol_bytes=args.max_enrol_kb * KIB,
        push_bytes=args.max_push_mb * MIB,
        other_bytes=args.max_request_kb * KIB,
        blob_bytes=args.max_blob_mb * MIB,
        upload_max_age=dt.timedelta(hours=args.upload_max_age_hours),
        device_rate=args.rate_per_device,
        device_burst=args.rate_burst,
        admission_slots=args.max_concurrent,
        admission_wait_s=args.queue_wait_ms / 1000,
    )


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sync.server.access_log import logging_config
    from sync.server.app import create_app

    limits = serve_limits(args)
    # The update routes (and every worker process) read the repository's place from here.
    os.environ[ENV_UPDATES_DIR] = str(Path(args.updates_dir).resolve())
    engine_options = (
        {"pool_size": args.db_pool_size, "max_overflow": 0} if args.db_pool_size else {}
    )
    database = Database.open(args.database_url, **engine_options)  # upgrades, once
    if args.workers > 1:
        return serve_workers(args, database, limits, engine_options)
    try:
        app = create_app(database, args.blob_store, limits)
        try:
            uvicorn.run(
                app,
                host=args.host,
                port=args.port,
                log_level=args.log_level,
                log_config=logging_config(args.log_level, access_log=args.access_log),
                access_log=False,  # ours (access_log.py) replaces uvicorn's
            )
        finally:
            app.state.tokens.close()
            app.state.blobs.close()
            app.state.holders.close()
    finally:
        database.close()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from alembic.runtime.migration import MigrationContext

    database = _database(args)  # opening upgrades the schema to head
    try:
        with database.engine.connect() as connection:
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        database.close()
    print(f"Lược đồ cơ sở dữ liệu đã ở phiên bản mới nhất: {revision}")
    return 0


def serve_workers(
    args: argparse.Namespace,
    database: Database,
    limits: ServerLimits,
    engine_options: dict[str, int],
) -> int:
    """N uvicorn worker processes on one address, each building its app (``worker_app``)."""
    import uvicorn

    from sync.server import worker_app
    from sync.server.access_log import logging_config

    database.close()
    os.environ[worker_app.ENV_SETTINGS] = worker_app.settings_json(
        args.database_url,
        args.blob_store
        if args.blob_store.startswith("s3://")
        else str(Path(args.blob_store).resolve()),
        limits,
        engine_options,
    )
    uvicorn.run(
        worker_app.FACTORY,
        factory=True,
        workers=args.workers,
        timeout_worker_healthcheck=args.worker_timeout,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=logging_config(args.log_level, access_log=args.access_log),
        access_log=False,  # ours (access_log.py) replaces uvicorn's
    )
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    database = _database(args)
    try:
        code = admin.enrol(
            database, unit_code=args.unit_code, unit_name=args.unit_name, slot=args.device_slot
        )
    finally:
        database.close()
    print(f"Mã đăng ký một lần cho máy số {args.device_slot} của {args.unit_code} (7 ngày):")
    print(code)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    database = _database(args)
    try:
        count = admin.revoke(database, unit_code=args.unit_code, slot=args.device_slot)
    finally:
        database.close()
    print(f"Đã thu hồi {count} mã/khóa của máy số {args.device_slot} thuộc {args.unit_code}.")
    return 0


def _read_json(path: str) -> dict[str, object]:
    return load_json_file(Path(path))


Publisher = Callable[[Database, dict[str, Any]], admin.Published]


def publish_command(publish: Publisher, title: str) -> Callable[[argparse.Namespace], int]:
    """A ``… publish FILE`` command: read the JSON, publish it, say whether it changed."""

    def command(args: argparse.Namespace) -> int:
        data = _read_json(args.file)
        database = _database(args)
        try:
            published = publish(database, data)
        finally:
            database.close()
        state = "đã công bố" if published.changed else "không đổi"
        version = f" {data['version']}" if data.get("version") else ""
        print(f"{title}{version}: {state} (ETag {published.etag})")
        return 0

    return command


def cmd_set_status(args: argparse.Namespace) -> int:
    database = _database(args)
    try:
        event = admin.set_status(database, args.code, args.status, note=args.note)
    finally:
        database.close()
    print(
        f"Hồ sơ {args.code}: {event.kind} → {event.status_after} (số thay đổi {event.server_seq})"
    )
    return 0


def cmd_dossiers_list(args: argparse.Namespace) -> int:
    database = _database(args)
    try:
        rows = admin.list_dossiers(database, args.unit_code)
    finally:
        database.close()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['code']}\t{row['status']}\t{row['receiving_unit']}\t{row['competent_unit']}"
            )
    return 0


def cmd_set_aside_list(args: argparse.Namespace) -> int:
    database = _database(args)
    try:
        rows = admin.list_set_aside(database)
    finally:
        database.close()
    for row in rows:
        print(
            f"{row['seq']}\t{row['unit_code']}\t{row['kind']}\t{row['dossier_id']}\t{row['reason']}"
        )
    return 0


def cmd_epoch_new(args: argparse.Namespace) -> int:
    database = _database(args)
    try:
        epoch = database.new_epoch()
    finally:
        database.close()
    print(f"Kỷ nguyên mới {epoch}: mọi quầy sẽ đồng bộ lại toàn bộ ở lần kết nối tới.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    speak_vietnamese()
    parser = argparse.ArgumentParser(
        prog="province-server", description="Máy chủ tỉnh tham chiếu cho phần mềm quầy một cửa."
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", required=True, title="lệnh")
    default_url = os.environ.get(ENV_DATABASE_URL, DEFAULT_DATABASE_URL)

    def leaf(
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        help_text: str,
        handler: Handler,
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text)
        command.add_argument(
            "--database-url",
            default=default_url,
            metavar="URL",
            help=f"SQLAlchemy URL (mặc định: {ENV_DATABASE_URL} hoặc {DEFAULT_DATABASE_URL})",
        )
        command.set_defaults(handler=handler)
        return command

    serve = leaf(commands, "serve", "chạy máy chủ HTTP", cmd_serve)
    serve.add_argument(
        "--blob-store",
        "--blob-dir",
        dest="blob_store",
        default="blobs",
        metavar="NƠI_LƯU",
        help="nơi lưu tệp đính kèm: một thư mục (mặc định: blobs) hoặc s3://bucket "
        "(địa chỉ và khóa lấy từ AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
        "AWS_DEFAULT_REGION)",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", metavar="ĐỊA_CHỈ", help="địa chỉ nghe (mặc định: 127.0.0.1)"
    )
    serve.add_argument(
        "--port", type=int, default=8080, metavar="CỔNG", help="cổng (mặc định: 8080)"
    )
    serve.add_argument(
        "--log-level",
        default="info",
        metavar="MỨC",
        help="mức ghi nhật ký của uvicorn: debug, info, warning, error (mặc định: info)",
    )
    defaults = ServerLimits()

    def whole(text: str, least: int = 1) -> int:
        value = int(text)
        if value < least:
            raise argparse.ArgumentTypeError(
                "phải là số nguyên dương" if least else "phải là số nguyên không âm"
            )
        return value

    def positive(text: str) -> int:
        return whole(text)

    def count(text: str) -> int:
        return whole(text, least=0)

    def not_negative(text: str) -> float:
        value = float(text)
        if not value >= 0:
            raise argparse.ArgumentTypeError("phải là số không âm")
        return value

    def from_env(option: str, default: object) -> str:
        """A limit's default: PROVINCE_<OPTION> (e.g. PROVINCE_MAX_PUSH_MB), else ours."""
        return os.environ.get(limit_env(option), str(default))

    serve.add_argument(
        "--workers",
        type=positive,
        default=1,
        metavar="SỐ",
        help="số tiến trình phục vụ cùng một địa chỉ, chung CSDL và thư mục tệp (mặc định: 1)",
    )
    serve.add_argument(
        "--worker-timeout",
        type=positive,
        default=30,
        metavar="GIÂY",
        help="giây chờ một tiến trình phục vụ khởi động hoặc trả lời kiểm tra trước khi thay nó"
        " (mặc định: 30)",
    )
    serve.add_argument(
        "--db-pool-size",
        type=positive,
        metavar="SỐ",
        help="số kết nối CSDL tối đa của mỗi tiến trình (mặc định: 10, thêm tới 30 khi bận)",
    )
    for option, default, help_text in (
        ("--max-enrol-kb", defaults.enrol_bytes // KIB, "dung lượng tối đa một yêu cầu đăng ký"),
        ("--max-push-mb", defaults.push_bytes // MIB, "dung lượng tối đa một lần gửi thay đổi"),
        ("--max-request-kb", defaults.other_bytes // KIB, "dung lượng tối đa yêu cầu khác"),
        ("--max-blob-mb", defaults.blob_bytes // MIB, "dung lượng tối đa một tệp đính kèm"),
        (
            "--upload-max-age-hours",
            int(defaults.upload_max_age.total_seconds() // 3600),
            "xóa tệp tải lên dở dang không được ghi thêm sau chừng ấy giờ",
        ),
    ):
        serve.add_argument(
            option,
            type=positive,
            default=from_env(option, default),
            metavar="N",
            help=f"{help_text} (mặc định: {limit_env(option)} hoặc {default})",
        )
    wait_ms = int(defaults.admission_wait_s * 1000)
    for option, kind, initial, metavar, help_text in (
        (
            "--rate-per-device", not_negative, defaults.device_rate, "SỐ",
            "số yêu cầu mỗi giây một máy quầy được gửi tới mỗi tiến trình, 0 là không giới hạn",
        ),
        ("--rate-burst", positive, defaults.device_burst, "SỐ",
         "số yêu cầu một máy quầy được gửi dồn một lúc"),
        (
            "--max-concurrent", count, defaults.admission_slots, "SỐ",
            "số yêu cầu dùng CSDL mỗi tiến trình phục vụ cùng lúc, 0 là không giới hạn; "
            "yêu cầu quá số này chờ lượt hoặc được trả 503 kèm Retry-After",
        ),
        ("--queue-wait-ms", count, wait_ms, "MS",
         "mili giây một yêu cầu được chờ lượt trước khi được trả 503"),
    ):  # fmt: skip
        serve.add_argument(
            option,
            type=kind,
            default=from_env(option, initial),
            metavar=metavar,
            help=f"{help_text} (mặc định: {limit_env(option)} hoặc {initial:g})",
        )
    serve.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="ghi mỗi yêu cầu một dòng JSON ra stderr (mặc định: có)",
    )
    serve.add_argument(
        "--updates-dir",
        default=os.environ.get(ENV_UPDATES_DIR) or DEFAULT_UPDATES_DIR,
        metavar="THƯ_MỤC",
        help="kho bản cập nhật phần mềm quầy đã ký (mặc định: "
        f"{ENV_UPDATES_DIR} hoặc {DEFAULT_UPDATES_DIR}; xem lệnh updates)",
    )

    leaf(commands, "migrate", "nâng lược đồ cơ sở dữ liệu lên phiên bản mới nhất", cmd_migrate)

    enrol = leaf(commands, "enrol", "tạo mã đăng ký một lần cho một máy quầy", cmd_enrol)
    enrol.add_argument("--unit-code", required=True, metavar="MÃ", help="mã định danh đơn vị")
    enrol.add_argument("--unit-name", required=True, metavar="TÊN", help="tên đơn vị")
    enrol.add_argument(
        "--device-slot", type=int, required=True, metavar="SỐ", help="số thứ tự máy quầy (1-9)"
    )

    device = commands.add_parser("device", help="máy quầy").add_subparsers(
        dest="device_command", metavar="VIỆC", required=True
    )
    revoke = leaf(device, "revoke", "thu hồi quyền đồng bộ của một máy quầy", cmd_revoke)
    revoke.add_argument("--unit-code", required=True, metavar="MÃ", help="mã định danh đơn vị")
    revoke.add_argument(
        "--device-slot", type=int, required=True, metavar="SỐ", help="số thứ tự máy quầy"
    )

    for name, label, handler in (
        ("catalog", "danh mục thủ tục", publish_command(admin.publish_catalog, "Danh mục")),
        (
            "holidays",
            "ngày nghỉ, ngày làm bù của tỉnh",
            publish_command(admin.publish_holidays, "Lịch ngày nghỉ"),
        ),
        (
            "units",
            "các xã, phường của tỉnh",
            publish_command(admin.publish_units, "Danh sách đơn vị"),
        ),
    ):
        group = commands.add_parser(name, help=label).add_subparsers(
            dest=f"{name}_command", metavar="VIỆC", required=True
        )
        publish = leaf(group, "publish", f"công bố {label} từ tệp JSON", handler)
        publish.add_argument("file", metavar="TỆP", help="tệp JSON cần công bố")

    dossier = commands.add_parser("dossier", help="một hồ sơ").add_subparsers(
        dest="dossier_command", metavar="VIỆC", required=True
    )
    status = leaf(dossier, "set-status", "ghi trạng thái xử lý của tỉnh", cmd_set_status)
    status.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ")
    status.add_argument("status", metavar="TRẠNG_THÁI", help="trạng thái xử lý mới")
    status.add_argument("--note", default="", metavar="GHI_CHÚ", help="ghi chú kèm theo")

    dossiers = commands.add_parser("dossiers", help="danh sách hồ sơ").add_subparsers(
        dest="dossiers_command", metavar="VIỆC", required=True
    )
    listing = leaf(dossiers, "list", "liệt kê hồ sơ", cmd_dossiers_list)
    listing.add_argument(
        "--format", choices=("text", "json"), default="text", help="dạng in ra (mặc định: text)"
    )
    listing.add_argument("--unit-code", metavar="MÃ", help="chỉ hồ sơ của đơn vị này")

    set_aside = commands.add_parser(
        "set-aside", help="thay đổi máy quầy nhận về nhưng không ghi được"
    ).add_subparsers(dest="set_aside_command", metavar="VIỆC", required=True)
    leaf(set_aside, "list", "liệt kê, kèm lý do từng máy báo về", cmd_set_aside_list)

    epoch = commands.add_parser("epoch", help="kỷ nguyên dữ liệu").add_subparsers(
        dest="epoch_command", metavar="VIỆC", required=True
    )
    leaf(epoch, "new", "bắt đầu kỷ nguyên mới (sau khi khôi phục sao lưu)", cmd_epoch_new)
    update_cli.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_handler(args.handler, args)


if __name__ == "__main__":
    raise SystemExit(main())
