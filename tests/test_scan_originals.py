"""Scanner files are deleted once their PDF is stored and read back whole, never before.

Real files in a real folder, a real store and blob store; the failures are the
real ones at the edge: a blob damaged on disk after it was written, a file the
scanner wrote again under the same name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.assembly import AssembledPdf, assemble, pages_of
from counter_app.attachments import AttachmentService
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.intake import IncomingFile, inspect_content, inspect_path
from counter_app.reception import ReceptionService
from counter_app.scan_folder import from_folder, release_originals
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.reception import request

SETTINGS = DigitizeSettings()


@pytest.fixture
def service(store: Store, clock: FixedClock) -> AttachmentService:
    return AttachmentService(store, clock)


def scanned(folder: Path) -> list[IncomingFile]:
    paths = [
        files.write(folder, "scan0001.png", files.png(seed=1)),
        files.write(folder, "scan0002.tif", files.tiff_pages(2)),
    ]
    return [inspect_path(path, SETTINGS) for path in paths]


def attach(
    service: AttachmentService, store: Store, clock: FixedClock, clerk: StaffIdentity,
    sources: list[IncomingFile],
) -> AssembledPdf:  # fmt: skip
    target = service.open(ReceptionService(store, clock).receive(request(store), clerk).code)
    pdf = assemble(pages_of(sources), SETTINGS)
    service.attach(target.id, target.slot(1).document_id, pdf, clerk)
    return pdf


def test_the_files_go_once_the_stored_pdf_reads_back_whole(
    tmp_path: Path, service: AttachmentService, store: Store, clock: FixedClock,
    clerk: StaffIdentity,
) -> None:  # fmt: skip
    folder = tmp_path / "may-scan"
    sources = scanned(folder)
    elsewhere = inspect_content("chup.png", files.png(seed=3), SETTINGS)
    other = files.write(tmp_path / "tai-lieu", "ban-sao.png", files.png(seed=4))
    chosen = inspect_path(other, SETTINGS)
    pdf = attach(service, store, clock, clerk, [*sources, elsewhere, chosen])

    mine = from_folder([*sources, elsewhere, chosen, sources[0]], folder)
    assert mine == sources, "only the scanner folder's files, each once"
    released = release_originals(mine, service.blobs, pdf.sha256, pdf.page_count)

    assert released.kept == ()
    assert sorted(p.name for p in released.removed) == ["scan0001.png", "scan0002.tif"]
    assert list(folder.iterdir()) == []
    assert other.exists(), "a file chosen from elsewhere is the person's own"
    assert service.read_pdf(pdf.sha256) == pdf.content


def test_nothing_is_deleted_when_the_stored_pdf_is_damaged(
    tmp_path: Path, service: AttachmentService, store: Store, clock: FixedClock,
    clerk: StaffIdentity,
) -> None:  # fmt: skip
    folder = tmp_path / "may-scan"
    sources = scanned(folder)
    pdf = attach(service, store, clock, clerk, sources)
    stored = service.blobs.path(pdf.sha256)
    damaged = bytearray(stored.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF  # one flipped byte on the disk
    stored.write_bytes(bytes(damaged))

    released = release_originals(sources, service.blobs, pdf.sha256, pdf.page_count)

    assert released.removed == ()
    assert [path.name for path, _ in released.kept] == ["scan0001.png", "scan0002.tif"]
    assert all("đã bị hỏng" in reason for _, reason in released.kept)
    assert sorted(p.name for p in folder.iterdir()) == ["scan0001.png", "scan0002.tif"]


def test_nothing_is_deleted_when_the_pdf_lacks_a_page(
    tmp_path: Path, service: AttachmentService, store: Store, clock: FixedClock,
    clerk: StaffIdentity,
) -> None:  # fmt: skip
    folder = tmp_path / "may-scan"
    sources = scanned(folder)
    pdf = attach(service, store, clock, clerk, sources[:1])

    released = release_originals(sources, service.blobs, pdf.sha256, pdf.page_count + 2)

    assert released.removed == ()
    assert "có 1 trang thay vì 3" in released.kept[0][1]
    assert len(list(folder.iterdir())) == 2


def test_a_file_written_again_since_it_was_taken_stays(
    tmp_path: Path, service: AttachmentService, store: Store, clock: FixedClock,
    clerk: StaffIdentity,
) -> None:  # fmt: skip
    folder = tmp_path / "may-scan"
    sources = scanned(folder)
    pdf = attach(service, store, clock, clerk, sources)
    files.write(folder, "scan0001.png", files.png(seed=9))  # the scanner reused the name

    released = release_originals(sources, service.blobs, pdf.sha256, pdf.page_count)

    assert [p.name for p in released.removed] == ["scan0002.tif"]
    assert released.kept == (
        (folder / "scan0001.png", "Tệp «scan0001.png» đã đổi từ lúc lấy vào; giữ lại."),
    )
    assert (folder / "scan0001.png").read_bytes() == files.png(seed=9)


def test_a_file_that_cannot_be_deleted_is_kept_and_named(
    tmp_path: Path, service: AttachmentService, store: Store, clock: FixedClock,
    clerk: StaffIdentity,
) -> None:  # fmt: skip
    folder = tmp_path / "may-scan"
    sources = scanned(folder)
    pdf = attach(service, store, clock, clerk, sources)
    locked = sources[1].origin
    assert locked is not None
    # A share the scanner writes but this PC may only read makes unlink fail; the
    # tests run as root, whom no permission stops, so a folder takes the file's place.
    locked.unlink()
    locked.mkdir()
    (locked / "x").write_bytes(b"")
    released = release_originals(sources, service.blobs, pdf.sha256, pdf.page_count)
    assert [p.name for p in released.removed] == ["scan0001.png"]
    assert released.kept[0][0] == locked and "scan0002.tif" in released.kept[0][1]
