"""Staff log-in: hashed passwords, unit scoping, lock-out after five wrong passwords."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from counter_app import auth
from counter_app.errors import AuthenticationFailed, ValidationError
from counter_app.models import AuditEntry, StaffUser
from counter_app.store import Store
from tests.support.counter_store import ADMIN_PASSWORD, MONDAY_MORNING, UNIT_CODE


def test_password_is_stored_only_as_an_argon2_hash(store: Store) -> None:
    with store.read() as session:
        stored = session.scalar(
            select(StaffUser.password_hash).where(StaffUser.username == "admin")
        )
    assert stored is not None
    assert ADMIN_PASSWORD not in stored
    assert stored.startswith("$argon2id$")


def test_right_password_logs_in(store: Store) -> None:
    who = auth.log_in(store, "Admin ", ADMIN_PASSWORD, UNIT_CODE, MONDAY_MORNING)
    assert (who.username, who.role) == ("admin", auth.Role.ADMIN)


def test_staff_of_another_unit_cannot_log_in(store: Store) -> None:
    with pytest.raises(AuthenticationFailed):
        auth.log_in(store, "admin", ADMIN_PASSWORD, "000.00.12.H57", MONDAY_MORNING)


def test_five_wrong_passwords_lock_for_five_minutes(store: Store) -> None:
    now = MONDAY_MORNING
    for left in (4, 3, 2, 1):
        with pytest.raises(AuthenticationFailed, match=f"còn {left} lần"):
            auth.log_in(store, "admin", "sai-mat-khau", UNIT_CODE, now)
    with pytest.raises(AuthenticationFailed, match="bị khóa 5 phút"):
        auth.log_in(store, "admin", "sai-mat-khau", UNIT_CODE, now)
    # Even the right password is refused while locked.
    with pytest.raises(AuthenticationFailed, match="tạm khóa"):
        auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, now + dt.timedelta(minutes=4))
    who = auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, now + dt.timedelta(minutes=5))
    assert who.username == "admin"


def test_a_good_log_in_resets_the_count(store: Store) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            auth.log_in(store, "admin", "sai", UNIT_CODE, MONDAY_MORNING)
    auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, MONDAY_MORNING)
    with pytest.raises(AuthenticationFailed, match="còn 4 lần"):
        auth.log_in(store, "admin", "sai", UNIT_CODE, MONDAY_MORNING)


def test_new_users_are_checked_field_by_field(store: Store) -> None:
    with store.write() as session, pytest.raises(ValidationError) as caught:
        auth.add_user(
            session,
            username="admin",
            full_name="",
            role="chief",
            password="short",
            unit_code=UNIT_CODE,
            at=MONDAY_MORNING,
        )
    assert set(caught.value.errors) == {"username", "full_name", "role", "password"}


def test_admin_lists_disables_and_resets(store: Store) -> None:
    admin = auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, MONDAY_MORNING)
    with store.write() as session:
        auth.add_user(
            session, username="lan.nt", full_name="Nguyễn Thị Lan", role="clerk",
            password="mat-khau-lan", unit_code=UNIT_CODE, at=MONDAY_MORNING,
        )  # fmt: skip
        auth.set_active(session, "lan.nt", False, admin)
        with pytest.raises(ValidationError, match="tự khóa"):
            auth.set_active(session, "admin", False, admin)
    with store.read() as session:
        rows = {row.username: row for row in auth.list_users(session, UNIT_CODE)}
    assert rows["lan.nt"].active is False and rows["admin"].active is True
    with pytest.raises(AuthenticationFailed):
        auth.log_in(store, "lan.nt", "mat-khau-lan", UNIT_CODE, MONDAY_MORNING)
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.log_in(store, "admin", "sai", UNIT_CODE, MONDAY_MORNING)
    with store.write() as session:
        auth.reset_password(session, "admin", "mat-khau-moi-1")
    assert auth.log_in(store, "admin", "mat-khau-moi-1", UNIT_CODE, MONDAY_MORNING).username == (
        "admin"
    )


def audit_trail(store: Store) -> list[tuple[str, str, str, str | None]]:
    with store.read() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        return [(r.actor, r.action, r.entity_id, r.detail.get("reason")) for r in rows]


def test_failed_log_ins_and_the_lock_out_are_audited(store: Store) -> None:
    with pytest.raises(AuthenticationFailed):
        auth.log_in(store, "ke.la", "doan-mo", UNIT_CODE, MONDAY_MORNING)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationFailed):
            auth.log_in(store, "admin", "sai", UNIT_CODE, MONDAY_MORNING)
    with pytest.raises(AuthenticationFailed, match="tạm khóa"):
        auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, MONDAY_MORNING)

    trail = audit_trail(store)[1:]  # after init's "user.add"
    assert trail[0] == ("ke.la", "auth.login_failed", "ke.la", "unknown")
    assert trail[1:6] == [("admin", "auth.login_failed", "admin", "password")] * 5
    assert trail[6] == ("admin", "auth.locked_out", "admin", None)
    assert trail[7] == ("admin", "auth.login_failed", "admin", "locked")
    with store.read() as session:
        devices = set(session.scalars(select(AuditEntry.device_id)))
    assert None not in devices, "every row names this PC"


def test_account_changes_are_audited_under_who_made_them(store: Store) -> None:
    admin = auth.log_in(store, "admin", ADMIN_PASSWORD, UNIT_CODE, MONDAY_MORNING)
    with store.write() as session:
        auth.add_user(
            session, username="lan.nt", full_name="Nguyễn Thị Lan", role="clerk",
            password="mat-khau-lan", unit_code=UNIT_CODE, at=MONDAY_MORNING, by="admin",
        )  # fmt: skip
        auth.set_active(session, "lan.nt", False, admin, MONDAY_MORNING)
        auth.set_active(session, "lan.nt", True, admin, MONDAY_MORNING)
        auth.reset_password(session, "lan.nt", "mat-khau-moi-2", "admin", MONDAY_MORNING)
    assert audit_trail(store) == [
        ("counter-app init", "user.add", "admin", None),
        ("admin", "user.add", "lan.nt", None),
        ("admin", "user.disable", "lan.nt", None),
        ("admin", "user.enable", "lan.nt", None),
        ("admin", "user.password_reset", "lan.nt", None),
    ]
