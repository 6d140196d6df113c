"""Who runs a ``counter-app`` command that changes data: a staff member, proven by password.

A command that changes the store (``user add``, ``catalog import``, ``attach``,
``gc-blobs``, ``backup``, ``restore``) names its actor with ``--user NAME`` (or
``COUNTER_USER``) and proves it with that account's password, read from
``COUNTER_PASSWORD`` or asked for on the terminal. It is checked by
``auth.log_in`` exactly as the window's log-in dialog checks it, so a wrong
password counts towards the lock-out and is audited, and the deed is recorded
under the account's name. There is no fallback identity: before, a command
without ``--user`` ran as an all-powerful "os:<login>" ADMIN, and ``--user
admin`` was believed without a password.

Batch work (a scheduled ``attach`` from a scanner folder, a nightly backup)
runs as a named account made for it, e.g. ``counter-app user add --username
may.quet --role clerk``, whose password the scheduled task's environment holds;
the audit trail then shows that account, not a person.

Two commands need no account: ``init`` creates the first one, and ``demo`` only
fills a data directory made for the demo.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection
from typing import TYPE_CHECKING

from counter_app.clock import SystemClock
from counter_app.errors import AuthenticationFailed, ValidationError
from counter_app.roles import ROLE_LABELS, Role, StaffIdentity

if TYPE_CHECKING:
    from counter_app.store import Store

ENV_USER = "COUNTER_USER"
ENV_PASSWORD = "COUNTER_PASSWORD"
USER_HELP = f"tên đăng nhập của người thực hiện (mật khẩu từ {ENV_PASSWORD} hoặc nhập khi được hỏi)"


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """``--user`` on a subcommand that changes data."""
    parser.add_argument("--user", default=argparse.SUPPRESS, metavar="TÊN", help=USER_HELP)


def authenticate(
    args: argparse.Namespace, store: Store, roles: Collection[Role] | None = None
) -> StaffIdentity:
    """The staff member running this command, once their password is checked.

    ``roles``: who may run it at all (None: any active account; the service
    itself then checks the deed, as it does for the window).
    """
    # Here, not at the top: every command's parser imports this module, and the password
    # hasher and the store's models are no part of a command that changes nothing.
    from counter_app import auth
    from counter_app.installation import load_context

    with store.read() as session:
        unit_code = load_context(session).unit_code  # "run init first" before any password
    username = getattr(args, "user", None) or os.environ.get(ENV_USER)
    if not username:
        raise ValidationError(
            {
                "--user": "lệnh này thay đổi dữ liệu nên phải biết ai thực hiện: thêm --user "
                f"TÊN_ĐĂNG_NHẬP (mật khẩu đặt trong biến môi trường {ENV_PASSWORD} "
                "hoặc nhập khi được hỏi)"
            }
        )
    password = _password(username)
    identity = auth.log_in(store, username, password, unit_code, SystemClock().now())
    if roles is not None and identity.role not in roles:
        allowed = ", ".join(ROLE_LABELS[r] for r in roles)
        raise AuthenticationFailed(
            f"Tài khoản {identity.username} ({ROLE_LABELS[identity.role]}) không được "
            f"chạy lệnh này; cần tài khoản: {allowed}."
        )
    return identity


def _password(username: str) -> str:
    from_env = os.environ.get(ENV_PASSWORD)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise ValidationError(
            {
                ENV_PASSWORD: f"cần mật khẩu của {username}: đặt biến môi trường này "
                "hoặc chạy lệnh trong terminal"
            }
        )
    import getpass  # it loads the terminal's modules, which a command run without a password skips

    return getpass.getpass(f"Mật khẩu của {username}: ")
