"""What ``counter-app enrol`` and ``counter-app sync`` do (``cli.py`` only declares them).

Kept apart so that declaring the commands, which every ``counter-app`` start
does, imports neither ``requests`` nor ``pydantic``.

Exit status of ``sync``: 0 when everything was pushed and pulled; 1 when the
server refused some changes (listed, with its reasons: an attachment it would
not take holds back only its own dossier); 2 when this device must be enrolled
(again), another sync is running, or the data directory cannot be used; 3 when
the server cannot be reached — down, behind a gateway answering 502/503/504 or
429, failing on uploads, or hidden by a captive portal's sign-in page (nothing
is lost: the changes stay queued for the next sync).

``enrol`` binds this data directory to a province, so an administrator of the
counter runs it with their password (``counter_app.cli_auth``) and it is
audited. ``sync`` needs no one: it only carries deeds already recorded and
audited under whoever did them, as the window's background sync does, and the
device token is its credential at the server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from counter_app import audit
from counter_app.auth import Role
from counter_app.cli_auth import authenticate
from counter_app.clock import SystemClock
from counter_app.errors import ValidationError
from counter_app.installation import CounterContext, FirstAdmin, load_context, set_up
from counter_app.models import new_id
from counter_app.paths import resolve_data_dir
from counter_app.store import Store, require_store
from counter_app.sync_outbox import retry_rejected
from sync import protocol
from sync.client import credentials
from sync.client.backoff import RetryPolicy
from sync.client.engine import SyncEngine, SyncReport
from sync.client.errors import (
    AuthRequired,
    NotTheServer,
    RequestRejected,
    SyncBusy,
    SyncError,
    Transient,
    Unreachable,
)
from sync.client.http import ServerConnection, not_the_server_message
from sync.client.lock import SyncLock

EXIT_OK, EXIT_PROBLEMS, EXIT_ACTION_NEEDED, EXIT_UNREACHABLE = 0, 1, 2, 3
# An enrolment whose answer was lost on the way is sent again: the server hands the
# same device a token again for the same code (until that device has used one).
ENROL_DEADLINE_S = 8.0
MIN_CODE, MAX_CODE = 4, 64  # protocol.EnrolRequest.code


def enrol(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir, create=False)
    try:
        with store.read() as session:
            context = load_context(session)
        actor = authenticate(args, store, {Role.ADMIN})
        answer = redeem(
            args.server,
            protocol.EnrolRequest(
                code=args.code,
                unit_code=context.unit_code,
                device_slot=context.slot,
                device_id=context.device_id,
                device_name=f"Quầy {context.slot}",
            ),
        )
    except (Unreachable, Transient) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except SyncError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ACTION_NEEDED
    finally:
        store.close()
    keep_enrolment(data_dir, args.server, answer, actor.username, context.device_id)
    print(
        f"Đã đăng ký máy số {answer.device_slot} của {answer.unit_name} ({answer.unit_code}) "
        f"với máy chủ tỉnh {args.server}."
    )
    return EXIT_OK


def redeem(server: str, request: protocol.EnrolRequest) -> protocol.EnrolResponse:
    """Trade the one-time code for a token; the answer names the unit and the slot."""
    with ServerConnection(server) as connection:
        response = RetryPolicy(base_s=0.5, cap_s=2.0, deadline_s=ENROL_DEADLINE_S).run(
            lambda: connection.call("POST", "enrol", json=request.model_dump())
        )
    try:
        return protocol.EnrolResponse.model_validate_json(response.content)
    except ValueError:
        raise NotTheServer(not_the_server_message(server)) from None


def keep_enrolment(
    data_dir: Path, server: str, answer: protocol.EnrolResponse, actor: str, device_id: str
) -> None:
    """Save the token (keyring or file) and audit the enrolment in the store."""
    credentials.save(
        data_dir,
        credentials.Enrolment(
            server_url=server.rstrip("/"),
            device_token=answer.device_token,
            unit_code=answer.unit_code,
            device_slot=answer.device_slot,
            enrolled_at=SystemClock().now().isoformat(),
        ),
    )
    store = Store.open(data_dir)
    try:
        with store.write() as session:
            audit.record(
                session,
                at=SystemClock().now(),
                actor=actor,
                action="device.enrol",
                entity="device",
                entity_id=device_id,
                device_id=device_id,
                detail={"server": server.rstrip("/"), "slot": answer.device_slot},
            )
    finally:
        store.close()


def set_up_by_enrolment(
    data_dir: Path,
    *,
    server: str,
    code: str,
    admin: FirstAdmin,
    at: dt.datetime,
    device_id: str | None = None,
) -> CounterContext:
    """Set a counter never set up from the province's one-time code (the window's first run).

    The code alone names the unit and the slot at the server, so the clerk
    types neither. Nothing is written before the server has answered; if
    setting up then fails, the same device id may redeem the code again: a
    caller that may try again (the setup dialog) passes one ``device_id`` for
    every try, since the province lets only that device redeem the code twice.
    """
    errors = admin.errors()
    if not server.strip():
        errors["server"] = "Chưa nhập địa chỉ máy chủ tỉnh."
    code = code.strip()
    if not MIN_CODE <= len(code) <= MAX_CODE:
        errors["code"] = "Chưa nhập mã đăng ký một lần do quản trị tỉnh cấp (ví dụ ABCD-EFGH-JKLM)."
    if errors:
        raise ValidationError(errors)
    device_id = device_id or new_id()
    answer = redeem(server.strip(), protocol.EnrolRequest(code=code, device_id=device_id))
    context = set_up(
        data_dir,
        unit_code=answer.unit_code,
        unit_name=answer.unit_name,
        slot=answer.device_slot,
        admin=admin,
        at=at,
        device_id=device_id,
    )
    keep_enrolment(data_dir, server.strip(), answer, admin.username, device_id)
    return context


def reenrol_message(exc: AuthRequired) -> str:
    return (
        f"{exc} Sau đó chạy: counter-app enrol --server <địa chỉ máy chủ> --code <mã mới>. "
        "Các thay đổi chưa gửi vẫn được giữ trên máy này."
    )


def sync(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    require_store(data_dir)
    try:
        enrolment = credentials.load(data_dir)
    except AuthRequired as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ACTION_NEEDED
    if enrolment is None:
        print(
            "Lỗi: máy này chưa đăng ký với máy chủ tỉnh. Hãy xin quản trị tỉnh mã đăng ký rồi "
            "chạy: counter-app enrol --server <địa chỉ máy chủ> --code <mã>.",
            file=sys.stderr,
        )
        return EXIT_ACTION_NEEDED
    try:
        with SyncLock(data_dir):
            store = Store.open(data_dir, create=False)
            try:
                if args.retry_rejected:
                    with store.write() as session:
                        retry_rejected(session)
                with ServerConnection(enrolment.server_url, enrolment.device_token) as connection:
                    report = SyncEngine(store, connection, data_dir=data_dir).run_once()
            finally:
                store.close()
    except SyncBusy as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ACTION_NEEDED
    except AuthRequired as exc:
        print(f"Lỗi: {reenrol_message(exc)}", file=sys.stderr)
        return EXIT_ACTION_NEEDED
    except (Unreachable, Transient) as exc:
        print(
            f"Lỗi: {exc} Các thay đổi vẫn được giữ trên máy này và sẽ được gửi ở lần đồng bộ sau.",
            file=sys.stderr,
        )
        return EXIT_UNREACHABLE
    except RequestRejected as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_ACTION_NEEDED
    print_report(report)
    return EXIT_OK if report.complete else EXIT_PROBLEMS


def print_report(report: SyncReport) -> None:
    for warning in report.warnings:
        print(f"Cảnh báo: {warning}", file=sys.stderr)
    line = (
        f"Đồng bộ xong: gửi {report.pushed} thay đổi"
        + (f" ({report.duplicates} đã có sẵn)" if report.duplicates else "")
        + f", nhận {report.pulled} thay đổi"
    )
    if report.blobs_uploaded:
        line += f", tải lên {report.blobs_uploaded} tệp ({report.blob_bytes / 1e6:.1f} MB)"
    if report.scans_downloaded:
        line += (
            f", tải về {report.scans_downloaded} tệp đính kèm "
            f"({report.download_bytes / 1e6:.1f} MB)"
        )
    if report.catalog_version is not None:
        line += f", danh mục {report.catalog_version}"
    print(line + f". Còn chờ gửi: {report.waiting}.")
    if report.problems:
        print(f"Máy chủ tỉnh từ chối {len(report.problems)} thay đổi:", file=sys.stderr)
        for problem in report.problems:
            print(
                f"  - {problem.dossier_code or problem.dossier_id}: {problem.reason}",
                file=sys.stderr,
            )
