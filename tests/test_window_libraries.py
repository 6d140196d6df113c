"""The window's system libraries on Linux: a missing one is named in Vietnamese, no Qt abort."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui import launcher, window_libraries
from ui.window_libraries import XCB_LIBRARIES, missing_libraries, uses_xcb, window_problem

ABSENT = "libward-counter-absent.so.9"
XCB = {"QT_QPA_PLATFORM": "xcb"}


def with_absent_library() -> dict[str, str]:
    return {"libxcb-cursor.so.0": "libxcb-cursor0", ABSENT: "libward-absent1", **XCB_LIBRARIES}


def test_a_missing_library_is_named_with_its_package_in_vietnamese() -> None:
    message = window_problem(XCB, with_absent_library())

    assert message is not None
    assert f"thiếu thư viện hệ thống {ABSENT} (gói libward-absent1)" in message
    assert "sudo apt install libward-absent1" in message
    assert "libxcb-cursor0" not in message  # present here: not blamed


def test_every_missing_library_is_listed_in_one_apt_command() -> None:
    absent = {"libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4"}

    found = missing_libraries(absent, loads=lambda soname: False)

    assert found == absent
    text = window_libraries.missing_message(found)
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in text


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "win32", False),
    ],
)
def test_only_an_xcb_window_is_checked(
    environ: dict[str, str], platform: str, expected: bool
) -> None:
    assert uses_xcb(environ, platform) is expected


def test_offscreen_needs_no_xcb_library() -> None:
    assert window_problem({"QT_QPA_PLATFORM": "offscreen"}, with_absent_library()) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's")
def test_the_real_check_agrees_with_the_dynamic_loader_on_this_machine() -> None:
    """On this machine (libxcb-icccm4, libxcb-keysyms1 installed) nothing is missing;
    elsewhere the check names exactly what ``ldd`` on Qt's xcb plugin cannot find."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    ldd = shutil.which("ldd")
    if ldd is None or not plugin.exists():
        pytest.skip("no ldd or no xcb plugin to compare with")
    listing = subprocess.run([ldd, str(plugin)], capture_output=True, text=True).stdout
    not_found = {line.split()[0] for line in listing.splitlines() if "not found" in line}
    linked = {line.split()[0] for line in listing.splitlines() if "=>" in line}

    assert set(XCB_LIBRARIES) <= linked  # the table names only what the plugin links
    assert set(missing_libraries()) == not_found & set(XCB_LIBRARIES)
    if not not_found:
        assert window_problem(XCB) is None


def test_the_launcher_names_the_missing_library_instead_of_aborting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(window_libraries, "XCB_LIBRARIES", with_absent_library())

    code = launcher.run(argparse.Namespace(data_dir=str(tmp_path)))

    assert code == 2
    error = capsys.readouterr().err
    assert error.startswith("Lỗi: Không mở được cửa sổ chương trình")
    assert "sudo apt install libward-absent1" in error
