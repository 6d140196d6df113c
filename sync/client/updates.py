"""Looking for a counter update at the provincial server, and downloading it, in the background.

The server holds a TUF repository published by the province (see
``sync/server/update_repo.py``); this side is tufup's client, which is
python-tuf's: it trusts a ``root.json`` it already holds, follows the chain of
roots the province signed, checks every metadata file's signatures, versions and
expiry, and checks a downloaded bundle's length and hashes against the signed
targets list. Anything that fails a check is refused and logged; nothing is
installed from it.

Root of trust: the first ``root.json`` is the one shipped in the build
(``resources/updates/root.json``, when the province builds its own), else the
province's first root (``1.root.json``) fetched right after enrolment, over the
enrolled connection with the device token — the same trust the enrolment itself
rests on. From then on it is pinned in ``<data dir>/updates/metadata/`` and only
roots signed by it (and their successors) are accepted.

Requests carry the device token like every sync request; the counter asks at
each start of the window, in a daemon thread, and never waits for the answer.
What is downloaded is unpacked to ``updates/staged/<version>/`` and marked ready;
``update_apply`` installs it at the next start.
"""

from __future__ import annotations

import atexit
import enum
import logging
import shutil
import threading
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from sync.client import credentials
from sync.client.http import network_problem
from sync.client.update_apply import (
    APP_NAME,
    STAGED_DIR,
    Installation,
    mark_ready,
    pending_update,
    updates_dir,
)

log = logging.getLogger(__name__)

METADATA_DIR = "metadata"
TARGETS_DIR = "targets"
FIRST_ROOT = "1.root.json"
SHIPPED_ROOT = ("resources", "updates/root.json")
TIMEOUT_S = (5.0, 60.0)
EXIT_WAIT_S = 5.0


class Outcome(enum.Enum):
    NOT_ENROLLED = "not_enrolled"
    UP_TO_DATE = "up_to_date"
    READY = "ready"
    FAILED = "failed"


class UpdateRefused(Exception):
    """What the server sent failed a check or could not be fetched (said in Vietnamese)."""


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def base_url(server_url: str) -> str:
    from sync import protocol

    return server_url.rstrip("/") + protocol.path("updates")


def shipped_root() -> bytes | None:
    """The root.json a province built into its own copy of the program, if any."""
    try:
        return resources.files(SHIPPED_ROOT[0]).joinpath(SHIPPED_ROOT[1]).read_bytes()
    except (FileNotFoundError, NotADirectoryError, ModuleNotFoundError):
        return None


def _trusted_root(metadata: Path, server_url: str, token: str) -> None:
    """Make sure ``metadata/root.json`` exists: shipped in the build, or the province's first."""
    root = metadata / "root.json"
    if root.is_file():
        return
    content = shipped_root()
    if content is None:
        url = f"{base_url(server_url)}/metadata/{FIRST_ROOT}"
        try:
            response = requests.get(url, auth=_Bearer(token), timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            raise UpdateRefused(network_problem(exc, server_url)) from None
        if response.status_code == 404:
            raise UpdateRefused("Máy chủ tỉnh chưa có kho cập nhật (chưa công bố phiên bản nào).")
        if response.status_code in (401, 403):
            raise UpdateRefused(
                f"Máy chủ tỉnh từ chối cho máy này tải bản cập nhật (lỗi {response.status_code})"
                "; hãy kiểm tra máy đã đăng ký đồng bộ chưa."
            )
        if response.status_code != 200:
            raise UpdateRefused(f"Máy chủ tỉnh trả lời lỗi {response.status_code}.")
        content = response.content
        log.info("Tin khóa gốc cập nhật của tỉnh lấy từ %s (lần đầu)", url)
    metadata.mkdir(parents=True, exist_ok=True)
    partial = metadata / ".root.json.partial"
    partial.write_bytes(content)
    partial.replace(root)


def _client(data_dir: Path, installation: Installation, server_url: str, token: str) -> Any:
    from tufup.client import Client

    folder = updates_dir(data_dir)
    metadata, targets = folder / METADATA_DIR, folder / TARGETS_DIR
    _trusted_root(metadata, server_url, token)
    targets.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(server_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    url = base_url(server_url)
    return Client(
        app_name=APP_NAME,
        app_install_dir=installation.install_dir,
        current_version=installation.version,
        metadata_dir=metadata,
        metadata_base_url=f"{url}/metadata/",
        target_dir=targets,
        target_base_url=f"{url}/targets/",
        session_auth={origin: _Bearer(token)},
    )


def _explain(exc: Exception, server_url: str) -> str:
    """The clerk's (and the log's) sentence for what TUF refused."""
    from tuf.api import exceptions as tuf_errors

    if isinstance(exc, UpdateRefused):
        return str(exc)
    if isinstance(exc, tuf_errors.DownloadHTTPError):
        if exc.status_code in (401, 403):
            return (
                f"Máy chủ tỉnh từ chối cho máy này tải bản cập nhật (lỗi {exc.status_code}); "
                "hãy kiểm tra máy đã đăng ký đồng bộ chưa."
            )
        return f"Máy chủ tỉnh trả lời lỗi {exc.status_code} khi tải bản cập nhật."
    if isinstance(exc, tuf_errors.LengthOrHashMismatchError):
        return (
            "Bản cập nhật tải về không khớp chữ ký của tỉnh (sai độ dài hoặc mã băm): đã bỏ, "
            "không cài. Hãy báo quản trị tỉnh."
        )
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return (
            "Thông tin cập nhật của tỉnh đã hết hạn (hoặc đồng hồ máy này sai ngày): không "
            "cài gì. Hãy kiểm tra ngày giờ của máy rồi báo quản trị tỉnh chạy "
            "«province-server updates refresh»."
        )
    if isinstance(exc, tuf_errors.RepositoryError):
        return (
            "Thông tin cập nhật của máy chủ tỉnh không đúng chữ ký đã tin cậy: không cài gì. "
            "Hãy báo quản trị tỉnh."
        )
    if isinstance(exc, tuf_errors.DownloadError):
        if isinstance(exc.__cause__, requests.RequestException):
            return network_problem(exc.__cause__, server_url)
        return f"Không tải được bản cập nhật từ máy chủ tỉnh ({exc})."
    return f"Kiểm tra bản cập nhật không thành công ({exc})."


def check_and_download(data_dir: Path, installation: Installation) -> Outcome:
    """Ask the server for a newer version; download, verify and unpack it if there is one.

    Never raises for what the network or the server did: that is logged (in
    Vietnamese) and answered ``FAILED``; the counter carries on as it is.
    """
    try:
        enrolment = credentials.load(data_dir)
    except Exception as exc:  # a damaged enrolment file is sync's to report
        log.info("Không kiểm tra bản cập nhật: %s", exc)
        return Outcome.NOT_ENROLLED
    if enrolment is None:
        log.info("Máy chưa đăng ký với máy chủ tỉnh: không kiểm tra bản cập nhật.")
        return Outcome.NOT_ENROLLED
    ready = pending_update(data_dir)
    if ready is not None:
        log.info("Bản cập nhật %s đã tải, chờ lần mở sau để cài.", ready.version)
        return Outcome.READY
    from tuf.api.exceptions import DownloadError, RepositoryError

    try:
        return _check(data_dir, installation, enrolment.server_url, enrolment.device_token)
    except (UpdateRefused, DownloadError, RepositoryError, OSError, ValueError) as exc:
        log.warning("Cập nhật phần mềm: %s", _explain(exc, enrolment.server_url), exc_info=exc)
        return Outcome.FAILED


def _check(data_dir: Path, installation: Installation, server_url: str, token: str) -> Outcome:
    from packaging.version import Version
    from tufup.common import TargetMeta

    client = _client(data_dir, installation, server_url, token)
    client.refresh()  # every check of TUF's: raises on the first that fails
    current = Version(installation.version)
    newer: list[TargetMeta] = [
        meta
        for meta in client.trusted_target_metas
        if meta.name == APP_NAME
        and meta.is_archive
        and not meta.version.is_prerelease
        and meta.version > current
    ]
    if not newer:
        log.info("Phần mềm quầy %s là phiên bản mới nhất.", installation.version)
        return Outcome.UP_TO_DATE
    newest = max(newer)
    info = client.get_targetinfo(newest)
    if info is None:
        raise UpdateRefused(f"Danh sách cập nhật không có {newest.filename}.")
    log.info("Đang tải bản cập nhật %s…", newest.version)
    archive = Path(client.find_cached_target(info) or client.download_target(info))
    _stage(data_dir, archive, str(newest.version))
    log.info("Đã tải bản cập nhật %s; sẽ cài ở lần mở chương trình sau.", newest.version)
    return Outcome.READY


def _stage(data_dir: Path, archive: Path, version: str) -> None:
    """Unpack the verified archive beside its final name, rename it, then mark it ready."""
    folder = updates_dir(data_dir) / STAGED_DIR
    partial, final = folder / f".partial-{version}", folder / version
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(final, ignore_errors=True)
    partial.mkdir(parents=True)
    shutil.unpack_archive(archive, partial, filter="data")
    partial.rename(final)
    mark_ready(data_dir, version, final)
    for other in archive.parent.iterdir():  # older bundles: the new one is all a retry needs
        if other != archive and other.is_file():
            other.unlink(missing_ok=True)


def start_check(data_dir: Path, installation: Installation) -> threading.Thread:
    """``check_and_download`` in a daemon thread: the window never waits for the server."""

    def run() -> None:
        try:
            check_and_download(data_dir, installation)
        except Exception:
            log.exception("Lỗi không lường trước khi kiểm tra bản cập nhật")

    thread = threading.Thread(target=run, name="update-check", daemon=True)
    thread.start()
    # A window closed at once would end the interpreter under the check; cut off inside
    # cryptography's (Rust) import or a signature check, the process aborts. A download in
    # progress is only network and files, which end cleanly: so a short wait, not a join.
    atexit.register(thread.join, EXIT_WAIT_S)
    return thread
