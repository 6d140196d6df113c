"""argparse's own words ("usage:", "error:", "invalid choice"…) in Vietnamese.

argparse passes every message it prints through gettext, which looks for a
``.mo`` file of the system's language: an English PC prints English, and no
system ships a Vietnamese argparse catalogue. The command line speaks
Vietnamese whatever the PC's language, so the messages are held here and put in
argparse's gettext hooks before any parser is built. The texts are those of
Python 3.11 to 3.13 (3.12 and 3.13 added a few); ``tests/test_cli_text.py``
fails on a Python whose argparse has a message missing here. Imports nothing
but the standard library: ``province-server`` uses it too.
"""

from __future__ import annotations

import argparse
import gettext

MESSAGES: dict[str, str] = {
    # Help
    "usage: ": "cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",  # before 3.10
    "subcommands": "lệnh",
    "%(heading)s:": "%(heading)s:",
    "show this help message and exit": "xem hướng dẫn này rồi thoát",
    "show program's version number and exit": "xem phiên bản chương trình rồi thoát",
    " (default: %(default)s)": " (mặc định: %(default)s)",
    # Errors of the person typing the command
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: chú ý: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "không có lệnh %(parser_name)r (các lệnh: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "chỉ nhận nhiều nhất một giá trị",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tùy chọn %(option)s chưa rõ, có thể là: %(matches)s"
    ),
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "tham số %r bị bỏ qua",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
    "can't open '%(filename)s': %(error)s": "không mở được tệp '%(filename)s': %(error)s",
    "argument '%(argument_name)s' is deprecated": "tham số '%(argument_name)s' sắp bị bỏ",
    "option '%(option)s' is deprecated": "tùy chọn '%(option)s' sắp bị bỏ",
    "command '%(parser_name)s' is deprecated": "lệnh '%(parser_name)s' sắp bị bỏ",
    # Mistakes in building a parser: a programmer's, but still not English on screen
    "'required' is an invalid argument for positionals": (
        "'required' không dùng cho tham số theo vị trí"
    ),
    "%r is not callable": "%r không gọi được",
    ".__call__() not defined": ".__call__() chưa được định nghĩa",
    'argument "-" with mode %r': 'tham số "-" với chế độ %r',
    "cannot have multiple subparser arguments": "không được có nhiều nhóm lệnh con",
    "cannot merge actions - two groups are named %r": "không gộp được: hai nhóm cùng tên %r",
    "conflicting subparser alias: %s": "tên gọi khác của lệnh bị trùng: %s",
    "conflicting subparser: %s": "lệnh bị trùng: %s",
    "dest= is required for options like %r": "cần dest= cho tùy chọn như %r",
    "invalid conflict_resolution value: %r": "giá trị conflict_resolution không hợp lệ: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "tùy chọn %(option)r không hợp lệ: phải bắt đầu bằng ký tự %(prefix_chars)r"
    ),
    "mutually exclusive arguments must be optional": ("các tham số loại trừ nhau phải là tùy chọn"),
}
# Vietnamese has one form for any number: the singular names the message.
PLURALS: dict[str, str] = {
    "expected %s argument": "cần %s giá trị",
    "conflicting option string: %s": "tùy chọn bị trùng: %s",
}


class ArgparseVietnamese(gettext.NullTranslations):
    """argparse's messages from the tables above; a message not in them stays as it is."""

    def gettext(self, message: str) -> str:
        return MESSAGES.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return PLURALS.get(msgid1) or (msgid1 if n == 1 else msgid2)


def speak_vietnamese() -> None:
    """Make argparse speak Vietnamese: call before building a parser (its -h help is made then)."""
    translations = ArgparseVietnamese()
    # argparse reads these module globals (``from gettext import gettext as _, ngettext``)
    # each time it prints, so replacing them is the hook it offers.
    setattr(argparse, "_", translations.gettext)  # noqa: B010
    setattr(argparse, "ngettext", translations.ngettext)  # noqa: B010
