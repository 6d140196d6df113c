"""The preflight check's findings, and the checks that need neither Qt nor the network.

A counter PC is set up by a province's IT staff, not by developers: when the
window will not open, a scan folder cannot be written or the disk is nearly
full, they need one list that says, in Vietnamese, what is wrong and what to
do about it, before a clerk finds out at the counter. ``counter-app doctor``
and the Quản trị screen's "Kiểm tra máy" show the same list
(``ui.preflight.run_preflight`` puts the checks of every layer together).

A check returns a ``Finding``; ``run_checks`` turns a check that raises into a
failed finding of its own, so one broken check never hides the others nor
ends in a traceback. Only what the counter cannot work without fails
(``Level.FAIL``: the exit status is 1); what is optional (OCR, a printer, a
keyring) only warns.
"""

from __future__ import annotations

import enum
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from counter_app.errors import CounterError, ValidationError

# Below this the store itself may fail to write; below the warning a few weeks of scans.
MIN_FREE_BYTES = 500 * 1024 * 1024
WARN_FREE_BYTES = 5 * 1024 * 1024 * 1024


class Level(enum.StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"


LEVEL_LABELS = {
    Level.OK: "Đạt",
    Level.WARN: "Cảnh báo",
    Level.FAIL: "Lỗi",
    Level.SKIPPED: "Không kiểm tra",
}


@dataclass(frozen=True)
class Finding:
    """One line of the check: what was looked at, what was found and, unless fine, the fix."""

    key: str
    title: str
    level: Level
    detail: str
    fix: str = ""


# A check gives one finding, or several when one look answers several questions.
Check = Callable[[], Finding | Sequence[Finding]]


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]

    @property
    def failed(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Level.FAIL)

    @property
    def warned(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Level.WARN)

    def exit_status(self, *, strict: bool = False) -> int:
        """1 when something required fails (or, ``strict``, anything warns); else 0."""
        return 1 if self.failed or (strict and self.warned) else 0

    def by_key(self, key: str) -> Finding:
        return next(f for f in self.findings if f.key == key)


def run_checks(checks: Iterable[tuple[str, str, Check]]) -> Report:
    """Run every check in turn; a check that raises is reported failed, the rest still run."""
    findings: list[Finding] = []
    for key, title, check in checks:
        try:
            found = check()
            findings.extend([found] if isinstance(found, Finding) else found)
        except Exception as exc:  # a broken check is a finding, never a traceback
            findings.append(
                Finding(
                    key,
                    title,
                    Level.FAIL,
                    f"Không kiểm tra được: {_plain(exc)}",
                    "Hãy gửi nội dung này cho bộ phận kỹ thuật của tỉnh.",
                )
            )
    return Report(tuple(findings))


def text_report(report: Report) -> str:
    """The report as the terminal shows it: one block per finding, then the verdict."""
    width = max(len(label) for label in LEVEL_LABELS.values())
    lines = []
    for finding in report.findings:
        lines.append(f"[{LEVEL_LABELS[finding.level]:<{width}}] {finding.title}: {finding.detail}")
        if finding.fix and finding.level in (Level.WARN, Level.FAIL):
            lines.append(f"{'':{width + 3}}Cách khắc phục: {finding.fix}")
    if report.failed:
        lines.append(
            f"Kết quả: {len(report.failed)} mục bắt buộc chưa đạt — máy này chưa sẵn sàng "
            "làm quầy tiếp nhận."
        )
    elif report.warned:
        lines.append(f"Kết quả: dùng được; {len(report.warned)} mục nên xem lại.")
    else:
        lines.append("Kết quả: mọi mục đều đạt.")
    return "\n".join(lines)


# The checks ---------------------------------------------------------------------------


def check_data_dir(data_dir: Path) -> Finding:
    """Can this account write the data directory, and is it its owner's only?"""
    key, title = "data_dir", "Thư mục dữ liệu"
    if not data_dir.exists():
        parent = nearest_existing(data_dir)
        if parent is None or not _can_write(parent):
            return Finding(
                key,
                title,
                Level.FAIL,
                f"{data_dir} chưa có và không tạo được trong {parent}.",
                "Chọn thư mục dữ liệu ở nơi tài khoản này ghi được "
                "(--data-dir hoặc biến COUNTER_DATA_DIR), hoặc cấp quyền ghi cho thư mục cha.",
            )
        return Finding(key, title, Level.OK, f"{data_dir} chưa có; sẽ được tạo khi cài đặt.")
    if not data_dir.is_dir():
        return Finding(
            key,
            title,
            Level.FAIL,
            f"{data_dir} là một tệp, không phải thư mục.",
            "Đổi tên hoặc chuyển tệp đó đi, hoặc chọn thư mục dữ liệu khác (--data-dir).",
        )
    if not _can_write(data_dir):
        return Finding(
            key,
            title,
            Level.FAIL,
            f"Tài khoản này không ghi được vào {data_dir}.",
            "Cấp quyền ghi thư mục này cho tài khoản Windows/Linux của cán bộ, hoặc chạy "
            "chương trình bằng tài khoản đã cài đặt nó.",
        )
    if os.name != "nt":
        mode = stat.S_IMODE(data_dir.stat().st_mode)
        if mode & 0o077:
            return Finding(
                key,
                title,
                Level.WARN,
                f"{data_dir} ghi được, nhưng tài khoản khác trên máy cũng đọc được "
                f"(quyền {mode:o}); thư mục chứa số định danh và bản quét của công dân.",
                f"chmod 700 {data_dir} (chương trình tự đặt lại khi mở cơ sở dữ liệu).",
            )
    return Finding(key, title, Level.OK, f"{data_dir}: ghi được, chỉ chủ tài khoản đọc được.")


def check_store(data_dir: Path) -> Finding:
    """Is there a counter set up here whose store opens (as every command will open it)?"""
    from counter_app.installation import load_context
    from counter_app.store import Store

    key, title = "store", "Cơ sở dữ liệu quầy"
    try:
        store = Store.open(data_dir, create=False)
        try:
            with store.read() as session:
                context = load_context(session)
        finally:
            store.close()
    except CounterError as exc:
        return Finding(
            key,
            title,
            Level.FAIL,
            str(exc),
            "Cài đặt máy: counter-app setup --config <tệp cấu hình>, hoặc mở chương trình "
            "và làm theo hộp thoại cài đặt.",
        )
    return Finding(
        key,
        title,
        Level.OK,
        f"{context.unit_name} ({context.unit_code}), máy số {context.slot}.",
    )


def check_disk_space(
    data_dir: Path,
    *,
    min_free: int = MIN_FREE_BYTES,
    warn_free: int = WARN_FREE_BYTES,
) -> Finding:
    """Room on the data directory's disk for the store and the scans."""
    key, title = "disk_space", "Dung lượng ổ đĩa trống"
    where = nearest_existing(data_dir)
    if where is None:
        return Finding(key, title, Level.FAIL, f"Không tìm thấy ổ đĩa chứa {data_dir}.")
    free = shutil.disk_usage(where).free
    found = f"còn {_size(free)} trống trên ổ chứa {where}"
    if free < min_free:
        return Finding(
            key,
            title,
            Level.FAIL,
            f"Chỉ {found}; cần ít nhất {_size(min_free)} để lưu hồ sơ.",
            "Giải phóng ổ đĩa (xóa tệp tạm, chuyển bản sao lưu cũ ra ổ khác) hoặc chuyển "
            "thư mục dữ liệu sang ổ lớn hơn.",
        )
    if free < warn_free:
        return Finding(
            key,
            title,
            Level.WARN,
            f"Chỉ {found}; bản quét hồ sơ sẽ sớm lấp đầy ổ (nên còn ít nhất {_size(warn_free)}).",
            "Giải phóng ổ đĩa hoặc chuyển thư mục dữ liệu sang ổ lớn hơn.",
        )
    return Finding(key, title, Level.OK, found[0].upper() + found[1:] + ".")


def check_scanner_folder(data_dir: Path) -> Finding:
    """The folder a scanner saves into (Số hóa's setting): there, readable and writable."""
    from counter_app.digitize_settings import load_digitize_settings

    key, title = "scanner_folder", "Thư mục máy quét"
    try:
        folder_text = load_digitize_settings(data_dir if data_dir.exists() else None).scanner_folder
    except ValidationError as exc:
        return Finding(
            key, title, Level.FAIL, "; ".join(exc.errors.values()), "Sửa hoặc xóa tệp đó."
        )
    if not folder_text:
        return Finding(key, title, Level.OK, "Chưa chọn (không nhận bản quét tự động từ thư mục).")
    folder = Path(folder_text)
    choose = "hoặc chọn thư mục khác ở màn hình Số hóa (Thư mục máy quét)."
    if not folder.is_dir():
        return Finding(
            key,
            title,
            Level.FAIL,
            f"{folder} không có (ổ mạng chưa kết nối, hoặc thư mục đã bị đổi tên).",
            f"Tạo lại thư mục, kết nối lại ổ mạng, {choose}",
        )
    if not os.access(folder, os.R_OK | os.X_OK):
        return Finding(
            key,
            title,
            Level.FAIL,
            f"Tài khoản này không đọc được {folder}.",
            f"Cấp quyền đọc và ghi thư mục này cho tài khoản của cán bộ, {choose}",
        )
    if not _can_write(folder):
        return Finding(
            key,
            title,
            Level.FAIL,
            f"Tài khoản này không ghi được vào {folder}: bản quét đã nhận không được dọn khỏi "
            "thư mục, và máy quét có thể không lưu được vào đó.",
            f"Cấp quyền ghi thư mục này cho tài khoản của cán bộ, {choose}",
        )
    return Finding(key, title, Level.OK, f"{folder}: đọc và ghi được.")


def check_tesseract(program: str = "tesseract") -> Finding:
    """OCR is optional: without it only the search by scanned words is missing."""
    from counter_app.ocr import LANGUAGE, tesseract_languages

    key, title = "tesseract", "Nhận dạng chữ (tesseract, tiếng Việt)"
    found = shutil.which(program)
    install = (
        "Nếu cần tìm hồ sơ theo chữ trên bản quét: trên Windows cài Tesseract-OCR và chọn "
        "Vietnamese khi cài; trên Debian/Ubuntu: sudo apt install tesseract-ocr tesseract-ocr-vie."
    )
    if found is None:
        return Finding(
            key,
            title,
            Level.WARN,
            "Không có tesseract; chức năng tìm theo chữ trên bản quét được ẩn (không bắt buộc).",
            install,
        )
    if LANGUAGE not in tesseract_languages(found):
        return Finding(
            key,
            title,
            Level.WARN,
            f"{found} có, nhưng thiếu dữ liệu tiếng Việt (vie).",
            install,
        )
    return Finding(key, title, Level.OK, f"{found}, có tiếng Việt.")


def check_signing(data_dir: Path) -> Finding:
    """The signing token is optional: without it "Ký số" is hidden, signed PDFs still checked."""
    from counter_app import signing

    key, title = "signing", "Thiết bị ký số (USB token)"
    try:
        settings = signing.load_signing_settings(data_dir if data_dir.exists() else None)
        roots = (
            signing.load_trust_roots(settings.trust_roots)
            if settings.trust_roots and signing.library_installed()
            else []
        )
    except ValidationError as exc:
        return Finding(
            key, title, Level.WARN, "; ".join(exc.errors.values()), "Sửa hoặc xóa tệp đó."
        )
    trust = (
        f"{len(roots)} chứng thư tổ chức chứng thực được tin cậy."
        if roots
        else "Chưa có chứng thư tổ chức chứng thực nào (trust_roots): chữ ký số sẽ hiện là "
        "chưa được tin cậy."
    )
    if not settings.configured:
        return Finding(
            key, title, Level.SKIPPED, f"Chưa cấu hình (không bắt buộc; nút Ký số được ẩn). {trust}"
        )
    if not signing.token_ready(settings):
        return Finding(
            key, title, Level.WARN, signing.why_unavailable(settings),
            f"Xem mục thiết bị ký số trong hướng dẫn cài đặt ({signing.SIGNING_FILE}).",
        )  # fmt: skip
    try:
        labels = signing.token_labels(settings)
    except Exception as exc:  # the vendor's module raises what it likes
        return Finding(
            key, title, Level.WARN,
            f"Không mở được thư viện {settings.pkcs11_module}: {_plain(exc)}.",
            "Cài lại phần mềm của nhà cung cấp chữ ký số.",
        )  # fmt: skip
    if not labels:
        return Finding(
            key, title, Level.WARN, "Không thấy thiết bị ký số nào đang cắm vào máy.",
            "Cắm thiết bị ký số vào máy trước khi ký.",
        )  # fmt: skip
    level = Level.OK if roots else Level.WARN
    fix = "" if roots else "Thêm chứng thư của tổ chức chứng thực tỉnh vào trust_roots."
    return Finding(key, title, level, f"Thấy thiết bị {', '.join(labels)}. {trust}", fix)


# Helpers ------------------------------------------------------------------------------


def nearest_existing(path: Path) -> Path | None:
    """``path`` or its closest ancestor that exists (where it would be created)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def _can_write(folder: Path) -> bool:
    """Create and delete a file there: permissions, ACLs and read-only mounts all answer."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".counter-check-"):
            pass
    except OSError:
        return False
    return True


def _size(count: int) -> str:
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    return f"{count / 1024**2:.0f} MB"


def _plain(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
    return str(exc) or type(exc).__name__


# Printers: Qt lists them (ui.preflight); what is enough is decided here ---------------


@dataclass(frozen=True)
class Printer:
    name: str
    is_default: bool
    papers: frozenset[str]  # the sizes of interest it takes: "A5", "A4"


def check_printers(printers: Iterable[Printer], paper: str) -> Finding:
    """A printer is optional (a counter may save PDFs), so this only warns."""
    key, title = "printer", "Máy in"
    found = sorted(printers, key=lambda p: (not p.is_default, p.name))
    if not found:
        return Finding(
            key,
            title,
            Level.WARN,
            'Không thấy máy in nào; phiếu vẫn lưu được thành PDF (nút "Lưu PDF").',
            "Cài máy in và trình điều khiển (driver) của nó, đặt làm máy in mặc định, "
            "rồi kiểm tra lại.",
        )
    chosen = found[0]
    sizes = ", ".join(sorted(chosen.papers)) or "không rõ"
    which = "mặc định" if chosen.is_default else "đầu tiên (chưa có máy in mặc định)"
    if paper not in chosen.papers:
        return Finding(
            key,
            title,
            Level.WARN,
            f"Máy in {which} {chosen.name} không nhận khổ {paper} (cài đặt khổ giấy in phiếu); "
            f"khổ giấy nó nhận: {sizes}.",
            f"Chọn máy in nhận khổ {paper} làm mặc định, cài đúng driver, hoặc đổi khổ giấy in "
            "phiếu ở màn hình Quản trị.",
        )
    others = f"; cùng {len(found) - 1} máy in khác" if len(found) > 1 else ""
    return Finding(
        key, title, Level.OK, f"Máy in {which} {chosen.name}, khổ giấy: {sizes}{others}."
    )
