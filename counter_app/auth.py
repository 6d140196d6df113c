"""Staff accounts: roles, password hashes and log-in with lock-out.

Passwords are hashed with Argon2id and never stored or logged plain. Five
wrong passwords in a row lock the account for five minutes, so a counter PC
left unattended cannot be guessed into.

Every change to an account (added, disabled, enabled, password reset), every
failed log-in and every lock-out is written to the audit trail in the same
transaction, so the inspector can see who tried to get in and who let whom in.
A failed log-in is recorded under the name that was typed, which may belong to
nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app import audit, limits
from counter_app.clock import SystemClock
from counter_app.errors import AuthenticationFailed, ValidationError
from counter_app.limits import length_error
from counter_app.models import StaffUser
from counter_app.roles import ROLE_LABELS as ROLE_LABELS
from counter_app.roles import Role as Role
from counter_app.roles import StaffIdentity as StaffIdentity
from counter_app.store import Store
from counter_app.text import nfc

MAX_FAILED_LOGINS = 5
LOCK_DURATION = dt.timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_new_password(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự."
    return None


def check_username(username: str) -> str | None:
    """The shape of a user name (not whether it is taken): checked before any store exists."""
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("_", "").isalnum():
        return "Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm hoặc gạch dưới."
    return length_error("Tên đăng nhập", username, limits.USERNAME)


def add_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    role: str,
    password: str,
    unit_code: str,
    at: dt.datetime,
    by: str = audit.SYSTEM,
) -> StaffIdentity:
    """Add an account; ``by`` is who added it, for the audit trail."""
    errors: dict[str, str] = {}
    username = username.strip().lower()
    if message := check_username(username):
        errors["username"] = message
    elif session.scalar(select(StaffUser.id).where(StaffUser.username == username)):
        errors["username"] = f"Tên đăng nhập {username!r} đã có người dùng."
    if not nfc(full_name):
        errors["full_name"] = "Chưa nhập họ và tên."
    elif message := length_error("Họ và tên", nfc(full_name), limits.PERSON_NAME):
        errors["full_name"] = message
    if role not in set(Role):
        errors["role"] = "Vai trò phải là một trong: " + ", ".join(r.value for r in Role)
    if message := check_new_password(password):
        errors["password"] = message
    if errors:
        raise ValidationError(errors)
    session.add(
        StaffUser(
            username=username,
            full_name=nfc(full_name),
            role=role,
            unit_code=unit_code,
            password_hash=hash_password(password),
            active=True,
            failed_logins=0,
            created_at=at,
        )
    )
    _audit(session, at, by, "user.add", username, {"role": role, "full_name": nfc(full_name)})
    session.flush()
    return StaffIdentity(username, nfc(full_name), Role(role), unit_code)


def _audit(
    session: Session,
    at: dt.datetime,
    actor: str,
    action: str,
    username: str,
    detail: dict[str, object] | None = None,
) -> None:
    audit.record(
        session,
        at=at,
        actor=actor,
        action=action,
        entity="staff_user",
        entity_id=username[:64],
        device_id=audit.this_device(session),
        detail=detail,
    )


def log_in(
    store: Store, username: str, password: str, unit_code: str, at: dt.datetime
) -> StaffIdentity:
    """The identity of a member of this unit's staff, or AuthenticationFailed saying why.

    The failed-attempt count is committed before the error is raised, so the
    lock-out cannot be dodged by the failure rolling its own count back.
    """
    with store.write() as session:
        outcome = _attempt(session, username, password, unit_code, at)
    if isinstance(outcome, AuthenticationFailed):
        raise outcome
    return outcome


def _attempt(
    session: Session, username: str, password: str, unit_code: str, at: dt.datetime
) -> StaffIdentity | AuthenticationFailed:
    typed = nfc(username).lower()[:64]
    user = session.scalar(select(StaffUser).where(StaffUser.username == typed))
    if user is None or not user.active or user.unit_code != unit_code:
        reason = "unknown" if user is None else "inactive" if not user.active else "other_unit"
        _audit(session, at, typed, "auth.login_failed", typed, {"reason": reason})
        return AuthenticationFailed("Tên đăng nhập hoặc mật khẩu không đúng.")
    if user.locked_until is not None and user.locked_until > at:
        _audit(session, at, typed, "auth.login_failed", typed, {"reason": "locked"})
        minutes = max(1, int((user.locked_until - at).total_seconds() + 59) // 60)
        return AuthenticationFailed(
            f"Tài khoản tạm khóa do nhập sai mật khẩu {MAX_FAILED_LOGINS} lần; "
            f"hãy thử lại sau {minutes} phút."
        )
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        _audit(session, at, typed, "auth.login_failed", typed, {"reason": "password"})
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.failed_logins = 0
            user.locked_until = at + LOCK_DURATION
            _audit(
                session,
                at,
                typed,
                "auth.locked_out",
                typed,
                {"until": user.locked_until.isoformat()},
            )
            return AuthenticationFailed(
                f"Nhập sai mật khẩu {MAX_FAILED_LOGINS} lần: tài khoản bị khóa "
                f"{int(LOCK_DURATION.total_seconds() // 60)} phút."
            )
        left = MAX_FAILED_LOGINS - user.failed_logins
        return AuthenticationFailed(f"Tên đăng nhập hoặc mật khẩu không đúng (còn {left} lần thử).")
    user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return StaffIdentity(user.username, user.full_name, Role(user.role), user.unit_code)


@dataclass(frozen=True)
class StaffRow:
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None


def list_users(session: Session, unit_code: str) -> list[StaffRow]:
    rows = session.scalars(
        select(StaffUser).where(StaffUser.unit_code == unit_code).order_by(StaffUser.username)
    )
    return [StaffRow(u.username, u.full_name, Role(u.role), u.active, u.locked_until) for u in rows]


def _user(session: Session, username: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        raise ValidationError({"username": f"Không có tài khoản {username!r}."})
    return user


def set_active(
    session: Session,
    username: str,
    active: bool,
    by: StaffIdentity,
    at: dt.datetime | None = None,
) -> None:
    """Disable or re-enable an account; nobody can disable their own."""
    if username == by.username and not active:
        raise ValidationError({"username": "Không thể tự khóa tài khoản đang dùng."})
    _user(session, username).active = active
    when = at or SystemClock().now()
    _audit(session, when, by.username, "user.enable" if active else "user.disable", username)


def reset_password(
    session: Session,
    username: str,
    password: str,
    by: str = audit.SYSTEM,
    at: dt.datetime | None = None,
) -> None:
    """Set a new password and lift any lock-out."""
    if message := check_new_password(password):
        raise ValidationError({"password": message})
    user = _user(session, username)
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    _audit(session, at or SystemClock().now(), by, "user.password_reset", username)
