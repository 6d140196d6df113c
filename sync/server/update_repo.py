"""The province's update repository: signing keys, and publishing a counter version with them.

Built on tufup's ``Repository`` (TUF metadata: root, targets, snapshot,
timestamp; one ed25519 key per role). The keys live in their own directory,
never under the directory the server serves (``updates.py``); a province that
wants the root key offline moves the private key ``root`` (not ``root.pub``) to a
USB disk after ``init``: publishing and refreshing sign with the other three.

A bundle is the frozen build's folder (``dist/counter-app``) or an archive of it
(.zip, .tar.gz); it is published whole, as ``ward-counter-<version>.tar.gz``, with
no binary patches (a bsdiff of a build of some hundred megabytes costs the
publisher minutes and gigabytes of memory for a saving counters do not need on a
provincial network).

Metadata expires: the timestamp, snapshot and targets after ``ROLE_DAYS``, root
after a year. A counter refuses expired metadata (a freeze attack looks just
like that), so ``refresh`` re-signs them; the province runs it weekly (a cron
line or systemd timer: docs/install.md).

tufup keeps a configuration file in the current directory and asks questions on
the terminal when a file exists already; neither suits a server command, so the
configuration is fixed here and every existing file is checked first.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version
from tufup.common import TargetMeta
from tufup.repo import Repository

from counter_app.errors import CounterError
from counter_app.os_errors import os_reason

log = logging.getLogger(__name__)

APP_NAME = "ward-counter"
ROLE_DAYS = 30
EXPIRATION_DAYS: dict[str, int] = {
    "root": 365,
    "targets": ROLE_DAYS,
    "snapshot": ROLE_DAYS,
    "timestamp": ROLE_DAYS,
}
# The roles a publish signs (tufup: one key per role, the private key named as the role).
SIGNING_ROLES = ("targets", "snapshot", "timestamp")
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".tar")


class UpdateRepoError(CounterError):
    """The update repository cannot do what was asked; nothing was published."""


class _Repository(Repository):  # type: ignore[misc]
    """tufup's repository with its settings in code, not in a file in the current directory."""

    @classmethod
    def load_config(cls) -> dict[str, Any]:
        return {}

    def save_config(self) -> None:
        return None


def _repository(repo_dir: Path, keys_dir: Path) -> _Repository:
    return _Repository(
        app_name=APP_NAME,
        repo_dir=repo_dir,
        keys_dir=keys_dir,
        expiration_days=dict(EXPIRATION_DAYS),
    )


def root_path(repo_dir: Path) -> Path:
    return repo_dir / "metadata" / "root.json"


def _opened(repo_dir: Path, keys_dir: Path) -> _Repository:
    if not root_path(repo_dir).is_file():
        raise UpdateRepoError(
            f"Thư mục cập nhật {repo_dir} chưa được khởi tạo (không có metadata/root.json); "
            "hãy chạy: province-server updates init"
        )
    if not keys_dir.is_dir():
        raise UpdateRepoError(
            f"Không tìm thấy thư mục khóa ký {keys_dir}; hãy chỉ đúng thư mục bằng --keys "
            "(hoặc cắm ổ USB chứa khóa)."
        )
    missing = [role for role in SIGNING_ROLES if not (keys_dir / role).is_file()]
    if missing:  # checked first: tufup signs and writes role by role, and would stop midway
        raise UpdateRepoError(
            f"Thư mục khóa {keys_dir} thiếu khóa riêng {', '.join(missing)}; hãy cắm ổ USB "
            "chứa khóa hoặc chỉ đúng thư mục bằng --keys. Chưa công bố gì."
        )
    repository = _repository(repo_dir, keys_dir)
    try:
        repository._load_keys_and_roles(create_keys=False)
    except Exception as exc:
        log.error("Không đọc được kho cập nhật", exc_info=exc)
        raise UpdateRepoError(
            f"Không đọc được kho cập nhật {repo_dir} hoặc khóa trong {keys_dir} ({exc}); "
            "hãy kiểm tra hai thư mục đó."
        ) from None
    return repository


def initialise(repo_dir: Path, keys_dir: Path) -> Path:
    """New keys and a signed first root; refuses to replace a repository or keys that exist."""
    if root_path(repo_dir).exists():
        raise UpdateRepoError(
            f"Thư mục cập nhật {repo_dir} đã được khởi tạo; không tạo lại (các quầy đã tin "
            "khóa của nó). Để công bố phiên bản mới, dùng: province-server updates publish"
        )
    if keys_dir.is_dir() and any(keys_dir.iterdir()):
        raise UpdateRepoError(
            f"Thư mục khóa {keys_dir} đã có tệp; hãy chọn một thư mục trống bằng --keys để "
            "không ghi đè khóa cũ."
        )
    try:
        _repository(repo_dir, keys_dir).initialize()
    except OSError as exc:
        raise UpdateRepoError(
            f"Không tạo được kho cập nhật ở {repo_dir} ({os_reason(exc)}); hãy kiểm tra quyền "
            "ghi của thư mục."
        ) from None
    return root_path(repo_dir)


def published_versions(repo_dir: Path) -> list[str]:
    """The versions of the counter the repository holds, oldest first."""
    from tuf.api.metadata import Metadata

    targets = repo_dir / "metadata" / "targets.json"
    if not targets.is_file():
        return []
    signed: Any = Metadata.from_file(str(targets)).signed
    metas = [TargetMeta(target_path=name) for name in signed.targets]
    return [str(m.version) for m in sorted(m for m in metas if m.is_archive)]


def _version(text: str) -> str:
    try:
        version = Version(text)
    except InvalidVersion:
        raise UpdateRepoError(
            f"Số phiên bản «{text}» không hợp lệ; hãy ghi dạng 1.2.0 (theo PEP 440)."
        ) from None
    return str(version)


def built_version(folder: Path) -> str | None:
    """The version a frozen build says it is (its ``ward_counter-X.Y.Z.dist-info``), if any."""
    prefix = APP_NAME.replace("-", "_") + "-"
    for place in (folder, folder / "_internal"):
        for info in sorted(place.glob(f"{prefix}*.dist-info")):
            return info.name.removeprefix(prefix).removesuffix(".dist-info")
    return None


def publish(repo_dir: Path, keys_dir: Path, bundle: Path, version: str | None) -> Path:
    """Sign and publish ``bundle`` (a folder or an archive) as ``version``; its archive's path.

    A build names its own version: publishing it under another would make every
    counter that installed it see the published one as newer, and install it again.
    """
    repository = _opened(repo_dir, keys_dir)
    with tempfile.TemporaryDirectory(prefix="ward-counter-bundle-") as scratch:
        folder = _bundle_folder(bundle, Path(scratch))
        return _publish(repository, repo_dir, keys_dir, folder, _bundle_version(folder, version))


def _bundle_version(folder: Path, given: str | None) -> str:
    found = built_version(folder)
    if given is None and found is None:
        raise UpdateRepoError(
            f"Gói {folder} không ghi số phiên bản; hãy cho biết bằng --version (vd. 1.2.0)."
        )
    version = _version(given or str(found))
    if found is not None and Version(version) != Version(_version(found)):
        raise UpdateRepoError(
            f"Gói cập nhật là bản dựng phiên bản {found}, không phải {version}; hãy công bố "
            f"với --version {found}, hoặc dựng lại sau khi sửa số phiên bản trong "
            "pyproject.toml."
        )
    return version


def _publish(
    repository: _Repository, repo_dir: Path, keys_dir: Path, folder: Path, version: str
) -> Path:
    newest = max((Version(v) for v in published_versions(repo_dir)), default=None)
    if newest is not None and Version(version) <= newest:
        raise UpdateRepoError(
            f"Phiên bản {version} không mới hơn phiên bản đã công bố {newest}; hãy tăng số "
            "phiên bản."
        )
    archive: Path = Path(repository.targets_dir) / TargetMeta.compose_filename(
        name=APP_NAME, version=version, is_archive=True
    )
    if archive.exists():
        raise UpdateRepoError(
            f"Tệp {archive} đã có mà chưa được công bố (lần công bố trước bị gián đoạn?); hãy "
            "xóa tệp đó rồi công bố lại."
        )
    try:
        repository.add_bundle(new_bundle_dir=folder, new_version=version, skip_patch=True)
        _signed(repository, keys_dir)
    except BaseException:
        archive.unlink(missing_ok=True)
        raise
    log.info("Đã công bố phiên bản %s: %s", version, archive)
    return archive


def refresh(repo_dir: Path, keys_dir: Path) -> None:
    """Re-sign targets, snapshot and timestamp so counters keep trusting what is published."""
    repository = _opened(repo_dir, keys_dir)
    for role in ("targets", "snapshot", "timestamp"):
        repository.refresh_expiration_date(role)
    _signed(repository, keys_dir)


def _signed(repository: _Repository, keys_dir: Path) -> None:
    """Sign and write what changed; tufup's plain exceptions said for the IT staff."""
    try:
        repository.publish_changes(private_key_dirs=[keys_dir])
    except OSError as exc:
        raise UpdateRepoError(
            f"Không ghi được kho cập nhật ({os_reason(exc)}); hãy kiểm tra quyền ghi."
        ) from None
    except Exception as exc:
        log.error("Ký thông tin cập nhật không thành công", exc_info=exc)
        raise UpdateRepoError(
            f"Không ký được thông tin cập nhật ({exc}); hãy kiểm tra thư mục khóa {keys_dir} "
            "có đủ khóa riêng của root, targets, snapshot và timestamp."
        ) from None


def _bundle_folder(bundle: Path, scratch: Path) -> Path:
    if bundle.is_dir():
        return bundle
    if not bundle.is_file():
        raise UpdateRepoError(f"Không tìm thấy gói cập nhật {bundle}.")
    if not bundle.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise UpdateRepoError(
            f"Gói cập nhật {bundle} phải là một thư mục hoặc tệp nén .zip, .tar.gz, .tar."
        )
    target = scratch / "bundle"
    try:
        if bundle.name.lower().endswith(".zip"):  # zipfile keeps names inside the target
            shutil.unpack_archive(bundle, target)
        else:
            shutil.unpack_archive(bundle, target, filter="data")
    except (OSError, ValueError, shutil.ReadError) as exc:
        raise UpdateRepoError(f"Không giải nén được gói cập nhật {bundle} ({exc}).") from None
    return target
