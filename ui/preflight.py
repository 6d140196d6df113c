"""The preflight check put together: every layer's checks, for ``counter-app doctor``,
the Quản trị screen's "Kiểm tra máy" and the tests alike.

The checks that need Qt live here: whether the window can open (on Linux the
xcb libraries, ``ui.window_libraries``, and the platform plugin file), whether
the window's font shows Vietnamese, and which printers Qt sees. They need a
QApplication (``ensure_gui_application``; offscreen on Linux, so the check
runs where the window cannot). The rest is ``counter_app.doctor`` (no Qt),
``printing.font_check`` and ``sync.client.preflight``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from counter_app import doctor
from counter_app.doctor import Check, Finding, Level, Printer, Report
from ui.window_libraries import XCB_LIBRARIES, missing_libraries, missing_message, uses_xcb

# The platform plugin each OS's window needs, in Qt's plugins/platforms folder.
PLATFORM_PLUGINS = {"linux": "libqxcb.so", "win32": "qwindows.dll", "darwin": "libqcocoa.dylib"}
SAMPLE = "ệ ữ ỹ đ Đ ặ ở Ư ơ"

CheckList = list[tuple[str, str, Check]]


def ensure_gui_application() -> None:
    """A QApplication for the font and printer checks, if the process has none yet.

    On Linux it is offscreen: the check must run where the window cannot (that is
    what it reports), and Qt aborts the process when xcb cannot start.
    """
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        arguments = [sys.argv[0] if sys.argv else "counter-app"]
        if sys.platform.startswith("linux"):
            arguments += ["-platform", "offscreen"]
        app = QApplication(arguments)
        # Kept for the life of the process: Qt wants one application object, ever.
        ensure_gui_application.__dict__["app"] = app


def check_window_platform(
    environ: Mapping[str, str] = os.environ,
    libraries: Mapping[str, str] | None = None,
    platform: str = sys.platform,
) -> Finding:
    """Can the window open: Qt's platform plugin shipped, and (Linux) the xcb libraries there?"""
    key, title = "window_platform", "Thư viện hiển thị cửa sổ (Qt)"
    plugin = PLATFORM_PLUGINS.get("linux" if platform.startswith("linux") else platform)
    if plugin is not None and platform == sys.platform:
        folders = _plugin_folders()
        if not any((folder / "platforms" / plugin).exists() for folder in folders):
            return Finding(
                key,
                title,
                Level.FAIL,
                f"Thiếu tệp platforms/{plugin} của Qt (đã tìm trong "
                f"{', '.join(str(f) for f in folders) or 'không có thư mục plugin nào'}).",
                "Cài lại chương trình: bản cài thiếu thư mục plugin của Qt.",
            )
    if not platform.startswith("linux"):
        return Finding(key, title, Level.OK, f"Qt có plugin {plugin or 'của hệ điều hành này'}.")
    if not uses_xcb(environ, platform):
        chosen = environ.get("QT_QPA_PLATFORM") or "wayland"
        return Finding(
            key,
            title,
            Level.OK,
            f"Cửa sổ dùng nền tảng {chosen}, không cần thư viện X11 (xcb).",
        )
    missing = missing_libraries(XCB_LIBRARIES if libraries is None else libraries)
    if missing:
        packages = " ".join(dict.fromkeys(missing.values()))
        names = ", ".join(f"{soname} (gói {package})" for soname, package in missing.items())
        return Finding(
            key,
            title,
            Level.FAIL,
            f"Thiếu {names}: cửa sổ chương trình không mở được. "
            + missing_message(missing).splitlines()[-1],
            f"sudo apt install {packages}",
        )
    return Finding(key, title, Level.OK, "Đủ các thư viện X11 (xcb) Qt cần để mở cửa sổ.")


def check_window_font(sample: str = SAMPLE) -> Finding:
    """Does the window's font (or one Qt falls back to) draw every Vietnamese letter?"""
    from PySide6.QtGui import QFontDatabase, QGuiApplication, QRawFont

    key, title = "window_font", "Phông chữ tiếng Việt trên màn hình"
    letters = [c for c in sample if not c.isspace()]
    font = QGuiApplication.font()
    raw = QRawFont.fromFont(font)
    family = font.family() or raw.familyName()
    lacking = [c for c in letters if not raw.supportsCharacter(ord(c))]
    if raw.isValid() and not lacking:
        return Finding(key, title, Level.OK, f"Phông {family} đủ chữ tiếng Việt ({sample}).")
    vietnamese = QFontDatabase.families(QFontDatabase.WritingSystem.Vietnamese)
    install = (
        "Trên Debian/Ubuntu: sudo apt install fonts-dejavu-core fonts-noto-core; trên "
        "Windows các phông Segoe UI/Times New Roman có sẵn (cài lại phông hệ thống nếu mất)."
    )
    if vietnamese:
        return Finding(
            key,
            title,
            Level.WARN,
            f"Phông mặc định {family or '(không có)'} thiếu {' '.join(lacking) or 'chữ'}; "
            f"chữ được vẽ bằng phông khác ({', '.join(vietnamese[:3])}) nên có thể không đều.",
            install,
        )
    return Finding(
        key,
        title,
        Level.FAIL,
        "Máy không có phông chữ nào đủ chữ tiếng Việt: chữ có dấu trên màn hình sẽ hiện "
        "thành ô vuông.",
        install,
    )


def qt_printers() -> list[Printer]:
    """The printers Qt (and so the print dialog) sees, with the paper sizes of interest."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinterInfo

    sizes = {QPageSize.PageSizeId.A5: "A5", QPageSize.PageSizeId.A4: "A4"}
    default = QPrinterInfo.defaultPrinterName()
    printers = []
    for info in QPrinterInfo.availablePrinters():
        papers = frozenset(
            sizes[size.id()] for size in info.supportedPageSizes() if size.id() in sizes
        )
        printers.append(Printer(info.printerName(), info.printerName() == default, papers))
    return printers


def gui_checks(
    *,
    paper: str,
    environ: Mapping[str, str] = os.environ,
    libraries: Mapping[str, str] | None = None,
    printers: Callable[[], Iterable[Printer]] = qt_printers,
) -> CheckList:
    """The checks that need Qt: run them on the thread that owns the QGuiApplication."""
    from printing.font_check import check_print_fonts

    return [
        (
            "window_platform",
            "Thư viện hiển thị cửa sổ (Qt)",
            lambda: check_window_platform(environ, libraries),
        ),
        ("window_font", "Phông chữ tiếng Việt trên màn hình", check_window_font),
        ("print_fonts", "Phông chữ in phiếu (Tinos)", check_print_fonts),
        ("printer", "Máy in", lambda: doctor.check_printers(printers(), paper)),
    ]


def core_checks(
    data_dir: Path, *, server: str | None = None, now: Callable[[], float] = time.time
) -> CheckList:
    """The checks without Qt: files, disk, OCR, keyring, the province (may wait on the network)."""
    from sync.client.preflight import check_keyring, check_server

    def province() -> Sequence[Finding]:
        found = check_server(data_dir, server=server, now=now)
        return (found.enrolment, found.server, found.clock)

    return [
        ("data_dir", "Thư mục dữ liệu", lambda: doctor.check_data_dir(data_dir)),
        ("store", "Cơ sở dữ liệu quầy", lambda: doctor.check_store(data_dir)),
        ("disk_space", "Dung lượng ổ đĩa trống", lambda: doctor.check_disk_space(data_dir)),
        ("scanner_folder", "Thư mục máy quét", lambda: doctor.check_scanner_folder(data_dir)),
        ("tesseract", "Nhận dạng chữ (tesseract, tiếng Việt)", doctor.check_tesseract),
        ("signing", "Thiết bị ký số (USB token)", lambda: doctor.check_signing(data_dir)),
        ("keyring", "Kho khóa của hệ điều hành (keyring)", check_keyring),
        ("province", "Máy chủ tỉnh", province),
    ]


def configured_paper(data_dir: Path) -> str:
    """The paper the receipts are set to print on (A5 until the settings say otherwise)."""
    from counter_app.errors import ValidationError
    from counter_app.settings import load_settings

    try:
        return load_settings(data_dir).paper if data_dir.exists() else "A5"
    except ValidationError:
        return "A5"  # the damaged settings file is the store check's to report


def run_preflight(
    data_dir: Path,
    *,
    server: str | None = None,
    environ: Mapping[str, str] = os.environ,
    libraries: Mapping[str, str] | None = None,
    printers: Callable[[], Iterable[Printer]] = qt_printers,
    now: Callable[[], float] = time.time,
) -> Report:
    """Every check, in the order a person reads them (the window first, the province last)."""
    ensure_gui_application()
    checks = gui_checks(
        paper=configured_paper(data_dir), environ=environ, libraries=libraries, printers=printers
    )
    return doctor.run_checks([*checks, *core_checks(data_dir, server=server, now=now)])


def _plugin_folders() -> list[Path]:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))]
    folders += [Path(p) for p in QCoreApplication.libraryPaths()]
    return list(dict.fromkeys(f for f in folders if str(f)))
