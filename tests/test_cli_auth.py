"""Commands that change data run as a staff member who gave a password, and are audited."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.installation import seed_catalog_text
from counter_app.models import Attachment, AuditEntry, Dossier, StaffUser
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.cli import run
from tests.support.counter_store import ADMIN_PASSWORD
from tests.support.reception import request


def audit_rows(store: Store) -> list[tuple[str, str, str]]:
    with store.read() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity_id).order_by(
                AuditEntry.id
            )
        ).all()
    return [(a, b, c) for a, b, c in rows]


def usernames(store: Store) -> set[str]:
    with store.read() as session:
        return set(session.scalars(select(StaffUser.username)))


def add_clerk(data_dir: str, *options: str, env: dict[str, str]) -> list[str]:
    return [
        "--data-dir", data_dir, "user", "add", "--username", "lan.nt",
        "--full-name", "Nguyễn Thị Lan", "--role", "clerk", *options,
    ]  # fmt: skip


def test_adding_a_user_needs_an_administrator_with_a_password_and_is_audited(
    store: Store,
) -> None:
    assert store.data_dir is not None
    where = str(store.data_dir)
    new_password = {"COUNTER_USER_PASSWORD": "mat-khau-lan"}

    nobody = run(*add_clerk(where, env=new_password), env=new_password)
    assert nobody.returncode == 2
    assert "--user" in nobody.stderr and "COUNTER_PASSWORD" in nobody.stderr

    wrong = run(
        *add_clerk(where, "--user", "admin", env=new_password),
        env={**new_password, "COUNTER_PASSWORD": "khong-dung"},
    )
    assert wrong.returncode == 2 and "mật khẩu không đúng" in wrong.stderr
    assert usernames(store) == {"admin"}

    right = run(
        *add_clerk(where, "--user", "admin", env=new_password),
        env={**new_password, "COUNTER_PASSWORD": ADMIN_PASSWORD},
    )
    assert right.returncode == 0, right.stderr
    assert usernames(store) == {"admin", "lan.nt"}
    assert audit_rows(store) == [
        ("counter-app init", "user.add", "admin"),
        ("admin", "auth.login_failed", "admin"),
        ("admin", "user.add", "lan.nt"),
    ]

    as_clerk = run(
        *add_clerk(where, "--user", "lan.nt", env=new_password),
        env={"COUNTER_USER_PASSWORD": "mat-khau-khac", "COUNTER_PASSWORD": "mat-khau-lan"},
    )
    assert as_clerk.returncode == 2 and "không được chạy lệnh này" in as_clerk.stderr


def test_attach_believes_no_user_name_without_its_password(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    assert store.data_dir is not None
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    page = str(files.write(tmp_path, "trang1.png", files.png(seed=1)))
    command = ["attach", code, "--document", "1", page, "--data-dir", str(store.data_dir)]

    anonymous = run(*command)
    assert anonymous.returncode == 2 and "--user" in anonymous.stderr
    claimed = run(*command, "--user", "admin")
    assert claimed.returncode == 2 and "COUNTER_PASSWORD" in claimed.stderr
    with store.read() as session:
        assert session.scalars(select(Attachment)).all() == []

    proven = run(*command, "--user", "admin", env={"COUNTER_PASSWORD": ADMIN_PASSWORD})
    assert proven.returncode == 0, proven.stderr
    with store.read() as session:
        assert list(session.scalars(select(Attachment.created_by))) == ["admin"]


def test_gc_blobs_is_for_an_administrator_and_is_audited(store: Store) -> None:
    assert store.data_dir is not None
    where = str(store.data_dir)
    assert run("gc-blobs", "--data-dir", where).returncode == 2
    done = run(
        "gc-blobs",
        "--data-dir",
        where,
        env={"COUNTER_USER": "admin", "COUNTER_PASSWORD": ADMIN_PASSWORD},
    )
    assert done.returncode == 0, done.stderr
    assert ("admin", "blobs.gc", "blobs") in audit_rows(store)


def test_catalog_import_is_audited(initialised: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    data = json.loads(seed_catalog_text())
    data["version"] = "2027.2"
    catalog.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused = run("--data-dir", str(initialised), "catalog", "import", str(catalog))
    assert refused.returncode == 2 and "--user" in refused.stderr
    done = run(
        "--data-dir", str(initialised), "catalog", "import", str(catalog), "--user", "admin",
        env={"COUNTER_PASSWORD": "quan-tri-123"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    store = Store.open(initialised)
    assert ("admin", "catalog.import", "2027.2") in audit_rows(store)
    store.close()


def test_backup_and_restore_from_the_command_line(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> None:
    assert store.data_dir is not None
    where = str(store.data_dir)
    as_admin = {"COUNTER_USER": "admin", "COUNTER_PASSWORD": ADMIN_PASSWORD}
    first = ReceptionService(store, clock).receive(request(store), clerk).code
    assert run("backup", "--to", str(tmp_path / "usb"), "--data-dir", where).returncode == 2

    made = run("backup", "--to", str(tmp_path / "usb"), "--data-dir", where, env=as_admin)
    assert made.returncode == 0, made.stderr
    [folder] = (tmp_path / "usb").glob("ward-counter-backup-*")
    assert f"Đã sao lưu vào {folder}" in made.stdout
    clock.advance(minutes=5)
    ReceptionService(store, clock).receive(request(store), clerk)
    store.close()

    wrong = run("restore", str(folder), "--data-dir", where, "--user", "admin",
                env={"COUNTER_PASSWORD": "sai-mat-khau"})  # fmt: skip
    assert wrong.returncode == 2
    done = run("restore", str(folder), "--data-dir", where, env=as_admin)
    assert done.returncode == 0, done.stderr
    assert "before-restore" in done.stdout
    again = Store.open(store.data_dir)
    with again.read() as session:
        assert list(session.scalars(select(Dossier.code))) == [first]
    # The backup's own audit row is written after the copy is taken, so it is not in it.
    actions = [action for _, action, _ in audit_rows(again)]
    assert actions[-2:] == ["dossier.receive", "backup.restore"]
    again.close()


def test_restore_of_a_lost_store_asks_the_backups_administrator(
    store: Store, tmp_path: Path
) -> None:
    assert store.data_dir is not None
    where = str(store.data_dir)
    as_admin = {"COUNTER_USER": "admin", "COUNTER_PASSWORD": ADMIN_PASSWORD}
    assert (
        run("backup", "--to", str(tmp_path / "usb"), "--data-dir", where, env=as_admin).returncode
        == 0
    )
    [folder] = (tmp_path / "usb").glob("ward-counter-backup-*")
    store.close()
    for lost in store.data_dir.glob("counter.sqlite3*"):
        lost.unlink()

    wrong = run("restore", str(folder), "--data-dir", where,
                env={**as_admin, "COUNTER_PASSWORD": "sai-mat-khau"})  # fmt: skip
    assert wrong.returncode == 2 and not list(store.data_dir.glob("counter.sqlite3*"))
    done = run("restore", str(folder), "--data-dir", where, env=as_admin)
    assert done.returncode == 0, done.stderr
    assert "before-restore" not in done.stdout
