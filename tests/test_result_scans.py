"""Scans of results: stored, replaced, taken off; refused in words, with nothing half-stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from counter_app.attachments import AttachmentService, BadFiles
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.dossier_view import load_dossier_view
from counter_app.errors import NotAllowed, NotFound
from counter_app.models import Attachment, AuditEntry, Dossier, OutboxEntry
from counter_app.result_scans import ResultScanService
from counter_app.roles import Role
from counter_app.signed_copies import attach_result_checked
from counter_app.signing import SigningSettings
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.cli import AS_ADMIN, run
from tests.support.returns import due_of, ready, receive
from tests.support.scans import made_pdf

SETTINGS = DigitizeSettings()


def data_dir(store: Store) -> Path:
    assert store.data_dir is not None
    return store.data_dir


def with_result(store: Store, clock: FixedClock, clerk: StaffIdentity) -> str:
    code = receive(store, clock, clerk)
    ready(store, clock, clerk, code, due_of(store, code).replace(hour=8))
    clock.advance(hours=1)
    return code


def nothing_stored(store: Store, code: str) -> None:
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
        assert session.scalar(select(Dossier.result_sha256).where(Dossier.code == code)) is None
        assert (
            session.scalar(
                select(func.count())
                .select_from(OutboxEntry)
                .where(OutboxEntry.entity == "dossier_result")
            )
            == 0
        )
    assert not (data_dir(store) / "blobs").exists()


def test_a_result_is_digitized_replaced_and_taken_off_each_queued_and_audited(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = with_result(store, clock, clerk)
    service = ResultScanService(store, clock)
    first_at = clock.now()
    scan = service.attach(code, made_pdf(1, 2), clerk)
    assert scan.digitized and scan.page_count == 2 and scan.digitized_at == first_at
    assert scan.sha256 is not None and service.blobs.intact(scan.sha256)
    assert service.read_pdf(scan.sha256).startswith(b"%PDF")

    clock.advance(minutes=20)
    better = service.attach(code, made_pdf(3), clerk)
    assert better.sha256 not in (None, scan.sha256) and better.page_count == 1
    assert better.digitized_at == clock.now(), "a new scan counts from its own time"
    assert service.blobs.exists(scan.sha256), "the first scan's blob stays for the gc to judge"

    with store.read() as session:
        view = load_dossier_view(session, code)
    assert view.result_scan is not None and view.result_scan.page_count == 1
    assert view.result_scan.digitized_by == clerk.username

    gone = service.detach(code, clerk)
    assert not gone.digitized and gone.digitized_at is None
    with pytest.raises(NotFound, match="chưa được số hóa"):
        service.detach(code, clerk)
    with store.read() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("result.%"))
        ).all()
        queued = session.execute(
            select(OutboxEntry.operation, OutboxEntry.payload)
            .where(OutboxEntry.entity == "dossier_result")
            .order_by(OutboxEntry.id)
        ).all()
    assert actions == ["result.attach", "result.attach", "result.detach"]
    assert [operation for operation, _ in queued] == ["attach_result"] * 3
    assert [p["result_sha256"] for _, p in queued] == [scan.sha256, better.sha256, None]
    assert queued[0][1]["digitized_at"] == first_at.isoformat()


def test_the_result_scan_is_kept_by_garbage_collection_and_checked_by_verify(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = with_result(store, clock, clerk)
    scan = ResultScanService(store, clock).attach(code, made_pdf(4), clerk)
    attachments = AttachmentService(store, clock)
    report = attachments.collect_garbage(dt.timedelta(0))
    assert report.removed == ()
    assert scan.sha256 is not None and attachments.blobs.exists(scan.sha256)
    assert attachments.verify().ok
    attachments.blobs.path(scan.sha256).unlink()
    assert attachments.verify().missing == {scan.sha256: (f"{code} (kết quả)",)}


def test_no_result_yet_another_unit_or_a_postal_agent_is_refused_in_words(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ResultScanService(store, clock)
    waiting = receive(store, clock, clerk)
    with pytest.raises(NotAllowed, match=f"Hồ sơ {waiting} đang ở trạng thái 'Đã tiếp nhận'"):
        service.attach(waiting, made_pdf(1), clerk)
    nothing_stored(store, waiting)

    agent = dataclasses.replace(clerk, username="buudien", role=Role.POSTAL_AGENT)
    code = with_result(store, clock, clerk)
    with pytest.raises(NotAllowed, match="Nhân viên bưu điện không số hóa kết quả"):
        service.attach(code, made_pdf(1), agent)

    with store.write() as session:
        session.execute(
            update(Dossier).where(Dossier.code == code).values(receiving_unit_code="000.00.12.H57")
        )
    with pytest.raises(
        NotAllowed, match=r"do đơn vị 000\.00\.12\.H57 tiếp nhận; việc số hóa kết quả"
    ):
        service.attach(code, made_pdf(1), clerk)
    with pytest.raises(NotFound, match=r"Không tìm thấy hồ sơ mã 000\.00\.11\.H57-000000-9999"):
        service.attach("000.00.11.H57-000000-9999", made_pdf(1), clerk)
    nothing_stored(store, code)


def test_a_bad_file_names_itself_and_nothing_is_half_stored(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = with_result(store, clock, clerk)
    good = files.write(tmp_path, "ket-qua-1.png", files.png(seed=1))
    renamed = files.write(tmp_path, "ket-qua-2.pdf", files.jpeg())
    with pytest.raises(BadFiles) as refused:
        attach_result_checked(
            ResultScanService(store, clock),
            code,
            [good, renamed],
            clerk,
            SETTINGS,
            SigningSettings(),
        )
    assert "Tệp «ket-qua-2.pdf» có đuôi .pdf nhưng nội dung là ảnh JPEG" in str(refused.value)
    nothing_stored(store, code)


def test_the_cli_digitizes_a_result_and_takes_it_off(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = with_result(store, clock, clerk)
    folder = str(data_dir(store))
    pages = [
        files.write(tmp_path, "giay khai sinh.png", files.png(seed=5)),
        files.write(tmp_path, "trang2.pdf", files.pdf(1)),
    ]
    done = run("digitize-result", code, *map(str, pages), "--data-dir", folder, env=AS_ADMIN)
    assert done.returncode == 0, done.stderr
    assert f"Đã số hóa kết quả của hồ sơ {code}: 2 trang" in done.stdout
    scan = ResultScanService(store, clock).open(code)
    assert scan.page_count == 2 and scan.digitized_by == "admin"
    assert scan.sha256 is not None and scan.sha256 in done.stdout

    bad = files.write(tmp_path, "hong.pdf", files.jpeg())
    refused = run("digitize-result", code, str(bad), "--data-dir", folder, env=AS_ADMIN)
    assert refused.returncode == 2
    assert "Lỗi: Tệp «hong.pdf» có đuôi .pdf" in refused.stderr
    assert "Chưa lưu gì" in refused.stderr and "Traceback" not in refused.stderr
    assert ResultScanService(store, clock).open(code).sha256 == scan.sha256

    waiting = receive(store, clock, clerk)
    early = run("digitize-result", waiting, str(pages[0]), "--data-dir", folder, env=AS_ADMIN)
    assert early.returncode != 0
    assert f"Hồ sơ {waiting} đang ở trạng thái 'Đã tiếp nhận'" in early.stderr

    neither = run("digitize-result", code, "--data-dir", folder, env=AS_ADMIN)
    assert neither.returncode == 2 and "--remove" in neither.stderr

    removed = run("digitize-result", code, "--remove", "--data-dir", folder, env=AS_ADMIN)
    assert removed.returncode == 0, removed.stderr
    assert f"Đã gỡ bản số hóa kết quả của hồ sơ {code}" in removed.stdout
    assert not ResultScanService(store, clock).open(code).digitized
