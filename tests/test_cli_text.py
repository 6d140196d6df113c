"""The command lines' help and argparse's own errors in Vietnamese, as a person runs them."""

from __future__ import annotations

import argparse
import ast
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.cli import build_parser
from counter_app.cli_text import MESSAGES, PLURALS
from counter_app.os_errors import os_reason
from tests.support.counter_store import open_counter

COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))
PROVINCE_SERVER = str(Path(sys.executable).with_name("province-server"))
# argparse's English, and the placeholders it makes from option names.
ENGLISH = re.compile(
    r"usage:|error:|options:|positional arguments|show this help|required:|invalid choice"
    r"|unrecognized arguments|expected one argument|choose from|\b[A-Z]{3,}(_[A-Z]+)*\b"
)


def run(program: str, *args: str) -> subprocess.CompletedProcess[str]:
    # An English system locale: the words must not depend on the PC's language.
    env = {**os.environ, "LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}
    return subprocess.run(
        [program, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def english(text: str) -> list[str]:
    allowed = {"JSON", "TOML", "CSDL", "PDF", "XLSX", "CSV", "JPEG", "PNG", "TIFF", "DPI",
               "URL", "HTTP", "USB", "PIN", "YYYY", "MM", "DD", "HH", "SQLAlchemy"}  # fmt: skip
    found = [m.group(0) for m in ENGLISH.finditer(text)]
    return [
        w for w in found if w not in allowed and not w.startswith(("COUNTER_", "PROVINCE_", "AWS_"))
    ]  # env names


def test_every_message_of_this_pythons_argparse_has_a_vietnamese_text() -> None:
    """Python 3.12 and 3.13 added messages; a new Python's shows up here, not on screen."""
    tree = ast.parse(inspect.getsource(argparse))
    wanted = {"_": set(), "ngettext": set()}  # type: dict[str, set[str]]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in wanted
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            wanted[node.func.id].add(node.args[0].value)
    assert wanted["_"] and wanted["ngettext"], "argparse still goes through gettext"
    assert sorted(wanted["_"] - set(MESSAGES)) == []
    assert sorted(wanted["ngettext"] - set(PLURALS)) == []


def test_help_of_the_counter_and_of_a_command_is_vietnamese() -> None:
    top = run(COUNTER_APP, "--help")
    assert top.returncode == 0, top.stderr
    assert top.stdout.startswith("cách dùng: counter-app")
    assert "xem hướng dẫn này rồi thoát" in top.stdout and "tùy chọn:" in top.stdout
    assert english(top.stdout) == []

    printing = run(COUNTER_APP, "print", "--help")
    assert printing.returncode == 0, printing.stderr
    assert "tham số:" in printing.stdout and "MÃ_HỒ_SƠ" in printing.stdout
    assert english(printing.stdout) == []


def test_every_option_of_every_command_says_what_it_is_in_vietnamese() -> None:
    parser, _names = build_parser()
    silent = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not action.help or english(action.help):
                silent.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(parser, "counter-app")
    assert silent == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["thu-tuc"], "lựa chọn không hợp lệ: 'thu-tuc' (chọn một trong:"),
        (["print", "receipt"], "thiếu tham số bắt buộc: MÃ_HỒ_SƠ, --out"),
        (["catalog", "search", "khai sinh", "--nhanh"], "không hiểu tham số: --nhanh"),
        (["catalog", "search", "khai sinh", "--limit"], "tham số --limit: cần một giá trị"),
        (["catalog", "search", "x", "--limit", "mười"], "giá trị int không hợp lệ: 'mười'"),
    ],
    ids=["bad-command", "missing-argument", "unknown-option", "no-value", "bad-number"],
)
def test_a_mistyped_command_is_told_in_vietnamese(args: list[str], words: str) -> None:
    done = run(COUNTER_APP, *args)
    assert done.returncode == 2
    assert "cách dùng: counter-app" in done.stderr
    assert ": lỗi: " in done.stderr and words in done.stderr, done.stderr
    assert english(done.stderr) == [], done.stderr
    assert "Traceback" not in done.stderr


def test_the_province_server_speaks_vietnamese_too() -> None:
    helped = run(PROVINCE_SERVER, "serve", "--help")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("cách dùng: province-server serve")
    assert english(helped.stdout) == []
    wrong = run(PROVINCE_SERVER, "enrol")
    assert wrong.returncode == 2
    assert "thiếu tham số bắt buộc: --unit-code, --unit-name, --device-slot" in wrong.stderr
    assert english(wrong.stderr) == [], wrong.stderr


def test_a_file_that_cannot_be_written_is_explained_in_vietnamese(tmp_path: Path) -> None:
    data_dir = tmp_path / "counter"
    open_counter(data_dir).close()
    out = tmp_path / "khong-co" / "so-lieu.pdf"
    done = run(COUNTER_APP, "report", "daily", "--date", "2026-11-16", "--out", str(out),
               "--data-dir", str(data_dir))  # fmt: skip
    assert done.returncode == 2
    assert "không có tệp hoặc thư mục này" in done.stderr, done.stderr
    assert "No such file" not in done.stderr


def test_the_systems_reasons_are_put_in_vietnamese(tmp_path: Path) -> None:
    reasons = []
    for attempt in (
        lambda: (tmp_path / "khong-co" / "x").read_bytes(),
        lambda: tmp_path.read_bytes(),
        lambda: (tmp_path / "a").mkdir() or (tmp_path / "a").mkdir(),
    ):
        with pytest.raises(OSError) as caught:
            attempt()
        reasons.append(os_reason(caught.value))
    assert reasons == [
        "không có tệp hoặc thư mục này",
        "đây là một thư mục, không phải tệp",
        "đã có tệp hoặc thư mục trùng tên",
    ]
