"""Before Qt opens a window on Linux: are the X11 (xcb) libraries its plugin needs there?

Without them Qt aborts with "Could not load the Qt platform plugin xcb", often naming
a library that is present; a clerk cannot act on that. So the launcher loads each
library the plugin links first and, when one is missing, says in Vietnamese which
one and which Debian/Ubuntu package provides it, then exits with status 2. Offscreen,
Wayland or another OS need no xcb: the check does nothing there. Pure Python (ctypes),
run before PySide6 creates the QApplication.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

# soname -> Debian/Ubuntu package; what Qt 6's libqxcb.so, libQt6XcbQpa, libQt6Gui and
# libQt6DBus link outside PySide6's own folder (see `ldd` on them).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-render.so.0": "libxcb-render0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
}


def uses_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will open its window through xcb: Linux, and no other platform asked for."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        # "xcb", or a fallback list such as "wayland;xcb": only xcb first is checked.
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(
    libraries: Mapping[str, str] = XCB_LIBRARIES, loads: Callable[[str], bool] = _loads
) -> dict[str, str]:
    """The libraries (soname -> package) the dynamic loader cannot find, in table order."""
    return {soname: package for soname, package in libraries.items() if not loads(soname)}


def missing_message(missing: Mapping[str, str]) -> str:
    names = ", ".join(f"{soname} (gói {package})" for soname, package in missing.items())
    packages = " ".join(dict.fromkeys(missing.values()))
    return (
        "Không mở được cửa sổ chương trình: máy còn thiếu thư viện hệ thống "
        f"{names}, cần để hiện cửa sổ trên Linux (X11/xcb).\n"
        f"Hãy nhờ quản trị máy cài rồi mở lại chương trình:\n    sudo apt install {packages}\n"
        "Các lệnh không cần cửa sổ (counter-app print, report, backup …) vẫn dùng được."
    )


def window_problem(
    environ: Mapping[str, str] = os.environ,
    libraries: Mapping[str, str] | None = None,
) -> str | None:
    """The Vietnamese message to show instead of Qt's abort, or None when a window can open."""
    if not uses_xcb(environ):
        return None
    missing = missing_libraries(XCB_LIBRARIES if libraries is None else libraries)
    return missing_message(missing) if missing else None
