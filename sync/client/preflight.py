"""The preflight check's findings about the province: the keyring, the enrolment, the
server and the clock against it (``counter_app.doctor`` has the shape of a finding).

The clock matters because every receipt prints the time it was received and the
appointment counted from it; a PC whose clock drifted prints the wrong day. The
server's ``Date`` header (set by the server, or by the gateway in front of it)
is compared with this PC's clock at the middle of the request, so the request's
own duration does not count as skew.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counter_app.doctor import Finding, Level
from sync import protocol
from sync.client import credentials
from sync.client.errors import AuthRequired, NotTheServer, SyncError

# Beyond a minute a receipt's time is visibly wrong; beyond five the day may be.
CLOCK_WARN_S = 60.0
CLOCK_FAIL_S = 300.0
TIMEOUT_S = (5.0, 10.0)
ENROL_HINT = "counter-app enrol --server <địa chỉ máy chủ> --code <mã> --user admin"


@dataclass(frozen=True)
class ServerFindings:
    enrolment: Finding
    server: Finding
    clock: Finding


def check_keyring() -> Finding:
    """A usable OS keyring keeps the device token out of plain files; without one, a file."""
    key, title = "keyring", "Kho khóa của hệ điều hành (keyring)"
    backend = credentials.usable_backend()
    if backend is None:
        return Finding(
            key,
            title,
            Level.WARN,
            "Máy không có kho khóa dùng được; mã thiết bị sẽ được cất trong tệp "
            "sync-device.json của thư mục dữ liệu (chỉ chủ tài khoản đọc được).",
            "Trên Windows, Credential Manager luôn có; trên Linux hãy cài và mở khóa một "
            "Secret Service (gnome-keyring hoặc KWallet) trong phiên đăng nhập của cán bộ.",
        )
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if not credentials.keyring_round_trip(backend):
        return Finding(
            key,
            title,
            Level.WARN,
            f"Có kho khóa ({name}) nhưng không ghi và đọc lại được (có thể đang bị khóa); "
            "mã thiết bị sẽ được cất trong tệp.",
            "Mở khóa kho khóa trong phiên đăng nhập của cán bộ rồi kiểm tra lại.",
        )
    return Finding(key, title, Level.OK, f"{name}: ghi và đọc lại được.")


def check_server(
    data_dir: Path,
    *,
    server: str | None = None,
    now: Callable[[], float] = time.time,
) -> ServerFindings:
    """Enrolled? The server reachable, this counter's token accepted? The clock right?

    ``server`` checks an address before enrolment (a PC being set up); otherwise the
    enrolment's. ``now`` is this PC's clock (seconds since the epoch).
    """
    enrolment_key, enrolment_title = "enrolment", "Đăng ký với máy chủ tỉnh"
    server_key, server_title = "server", "Kết nối máy chủ tỉnh"
    clock_key, clock_title = "clock", "Đồng hồ máy so với máy chủ tỉnh"
    token: str | None = None
    try:
        enrolment = credentials.load(data_dir) if data_dir.exists() else None
    except (AuthRequired, OSError) as exc:
        enrolled = Finding(enrolment_key, enrolment_title, Level.FAIL, str(exc), ENROL_HINT)
        enrolment = None
    else:
        if enrolment is None:
            enrolled = Finding(
                enrolment_key,
                enrolment_title,
                Level.WARN,
                "Máy này chưa đăng ký với máy chủ tỉnh: hồ sơ chỉ lưu trên máy, không đồng bộ.",
                f"Xin quản trị tỉnh mã đăng ký một lần rồi chạy: {ENROL_HINT}, hoặc "
                "counter-app setup --config <tệp cấu hình> khi cài máy mới.",
            )
        else:
            token = enrolment.device_token
            enrolled = Finding(
                enrolment_key,
                enrolment_title,
                Level.OK,
                f"Máy số {enrolment.device_slot} của đơn vị {enrolment.unit_code}, "
                f"máy chủ {enrolment.server_url}.",
            )
    address = server or (enrolment.server_url if enrolment is not None else None)
    if address is None:
        skipped = "Không kiểm tra: chưa có địa chỉ máy chủ tỉnh (máy chưa đăng ký)."
        return ServerFindings(
            enrolled,
            Finding(server_key, server_title, Level.SKIPPED, skipped),
            Finding(clock_key, clock_title, Level.SKIPPED, skipped),
        )
    # Only the enrolment's own server is asked whether it still knows this counter.
    token = token if enrolment is not None and address == enrolment.server_url else None
    reached = _ask(address, token, now)
    if isinstance(reached, Finding):
        skipped = "Không kiểm tra: không liên lạc được máy chủ tỉnh."
        return ServerFindings(
            enrolled, reached, Finding(clock_key, clock_title, Level.SKIPPED, skipped)
        )
    skew, refused = reached
    if refused is not None:
        enrolled = Finding(
            enrolment_key,
            enrolment_title,
            Level.FAIL,
            f"Máy chủ tỉnh không còn nhận máy này: {refused}",
            f"Xin quản trị tỉnh mã đăng ký mới rồi chạy: {ENROL_HINT}",
        )
    reachable = Finding(server_key, server_title, Level.OK, f"{address} trả lời.")
    return ServerFindings(enrolled, reachable, _clock_finding(skew))


def _ask(
    address: str, token: str | None, now: Callable[[], float]
) -> tuple[float | None, str | None] | Finding:
    """(clock skew in seconds or None, why the token was refused or None), or what failed."""
    from sync.client.http import ServerConnection

    key, title = "server", "Kết nối máy chủ tỉnh"
    fix = (
        "Kiểm tra cáp mạng/Wi-Fi và địa chỉ máy chủ; nếu mạng cơ quan cần đăng nhập, mở trình "
        "duyệt để đăng nhập. Quầy vẫn tiếp nhận được khi mất mạng; hồ sơ được gửi khi có mạng lại."
    )
    try:
        with ServerConnection(address, timeout=TIMEOUT_S) as connection:
            sent = now()
            response = connection.call("GET", "health")
            received = now()
            skew = _skew(response.headers.get("Date"), (sent + received) / 2)
            refused = None
            if token is not None:
                connection.token = token
                try:
                    connection.call(
                        "GET", "changes", params={"since": protocol.MAX_INT, "limit": 1}
                    ).close()
                except AuthRequired as exc:
                    refused = str(exc)
    except NotTheServer as exc:
        return Finding(key, title, Level.FAIL, str(exc), fix)
    except SyncError as exc:
        return Finding(key, title, Level.FAIL, str(exc), fix)
    return skew, refused


def _skew(date_header: str | None, local: float) -> float | None:
    if not date_header:
        return None
    try:
        server = email.utils.parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    if server.tzinfo is None:
        server = server.replace(tzinfo=dt.UTC)
    return server.timestamp() - local


def _clock_finding(skew: float | None) -> Finding:
    key, title = "clock", "Đồng hồ máy so với máy chủ tỉnh"
    if skew is None:
        return Finding(key, title, Level.SKIPPED, "Máy chủ không gửi giờ (không có tiêu đề Date).")
    # The Date header counts whole seconds: up to a second of the figure is its rounding.
    direction = "chậm" if skew > 0 else "nhanh"
    amount = _duration(abs(skew))
    fix = (
        "Chỉnh giờ máy: Windows: Settings → Time & language → Date & time → bật "
        '"Set time automatically" rồi bấm "Sync now"; Linux: timedatectl set-ntp true.'
    )
    if abs(skew) > CLOCK_FAIL_S:
        return Finding(
            key,
            title,
            Level.FAIL,
            f"Đồng hồ máy này {direction} {amount} so với máy chủ tỉnh: giờ tiếp nhận và ngày "
            "hẹn in trên phiếu sẽ sai.",
            fix,
        )
    if abs(skew) > CLOCK_WARN_S:
        return Finding(
            key,
            title,
            Level.WARN,
            f"Đồng hồ máy này {direction} {amount} so với máy chủ tỉnh.",
            fix,
        )
    return Finding(key, title, Level.OK, f"Lệch {abs(skew):.0f} giây (không đáng kể).")


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} giờ"
    if seconds >= 60:
        return f"{seconds / 60:.0f} phút"
    return f"{seconds:.0f} giây"
