"""``counter-app attach``, ``verify`` and ``gc-blobs`` run as a user runs them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.models import Attachment
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.cli import AS_ADMIN, run
from tests.support.reception import request


def data_dir(store: Store) -> str:
    assert store.data_dir is not None
    return str(store.data_dir)


def test_attach_assembles_the_files_into_the_numbered_document(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    pages = [
        files.write(tmp_path, "trang 1.png", files.png(seed=1)),
        files.write(tmp_path, "trang2.jpg", files.jpeg(seed=2)),
        files.write(tmp_path, "phu-luc.pdf", files.pdf(2)),
    ]
    done = run(
        "attach", code, "--document", "2", *map(str, pages), "--data-dir", data_dir(store),
        env=AS_ADMIN,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Đã đính kèm vào hồ sơ {code}, giấy tờ 2" in done.stdout
    assert "4 trang" in done.stdout
    slot = AttachmentService(store, clock).open(code).slot(2)
    assert slot.attachment is not None and slot.attachment.page_count == 4
    assert slot.attachment.created_by == "admin"

    verified = run("verify", "--data-dir", data_dir(store))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "Đã kiểm tra 1 tệp: thiếu 0, hỏng 0" in verified.stdout

    assert slot.attachment_sha256 is not None
    AttachmentService(store, clock).blobs.path(slot.attachment_sha256).unlink()
    broken = run("verify", "--data-dir", data_dir(store))
    assert broken.returncode == 1
    assert f"THIẾU\t{slot.attachment_sha256}\t{code} (giấy tờ 2)" in broken.stdout
    assert "hãy số hóa lại" in broken.stderr


def test_a_bad_file_gives_a_message_an_error_status_and_stores_nothing(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    good = files.write(tmp_path, "trang1.png", files.png())
    renamed = files.write(tmp_path, "to-khai.pdf", files.jpeg())
    done = run("attach", code, "--document", "1", str(good), str(renamed), "--user", "admin",
               "--data-dir", data_dir(store), env=AS_ADMIN)  # fmt: skip
    assert done.returncode == 2
    assert "Lỗi: Tệp «to-khai.pdf» có đuôi .pdf nhưng nội dung là ảnh JPEG" in done.stderr
    assert "Chưa lưu gì" in done.stderr
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert not (Path(data_dir(store)) / "blobs").exists()

    missing_doc = run(
        "attach", code, "--document", "9", str(good), "--data-dir", data_dir(store), env=AS_ADMIN
    )
    assert missing_doc.returncode == 2
    assert "không có giấy tờ số 9" in missing_doc.stderr

    collected = run("gc-blobs", "--data-dir", data_dir(store), env=AS_ADMIN)
    assert collected.returncode == 0 and "Đã xóa 0 tệp" in collected.stdout


def test_attach_stores_text_small_unless_told_to_keep_every_pixel(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    with files.a4_text_scan(7) as page:
        scan = files.write(tmp_path, "trang1.png", files.encode(page, "PNG", dpi=(300, 300)))
    for number, options in ((1, []), (2, ["--lossless"])):
        done = run(
            "attach", code, "--document", str(number), str(scan), *options,
            "--data-dir", data_dir(store), env=AS_ADMIN,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    target = AttachmentService(store, clock).open(code)
    small, whole = (target.slot(n).attachment for n in (1, 2))
    assert small is not None and whole is not None
    assert small.size < 100_000 < scan.stat().st_size * 0.95 < whole.size
    both = run("attach", code, "--document", "1", str(scan), "--compact", "--lossless")
    assert both.returncode == 2 and "không dùng cùng tham số --compact" in both.stderr
