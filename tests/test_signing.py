"""Signed digitized copies: a real assembled PDF signed, read back by pyHanko's validator.

The CA and the centre's certificate are made here (``tests/support/signing.py``).
The token tests import the key into a fresh SoftHSM2 token and skip when
SoftHSM2 is not installed; the checks of invalid and untrusted signatures use
pyHanko's software signer and run everywhere.
"""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
from pathlib import Path

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from counter_app.assembly import assemble, pages_of
from counter_app.attachments import AttachmentService, inspect_files
from counter_app.auth import StaffIdentity
from counter_app.blobs import BlobStore
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import NotFound
from counter_app.fetched_scans import FetchedScan
from counter_app.models import AuditEntry, ScanSignature
from counter_app.ocr import OcrIndex
from counter_app.reception import ReceptionService
from counter_app.result_scans import ResultScanService
from counter_app.roles import Role
from counter_app.signed_copies import (
    InvalidSignature,
    SigningService,
    assemble_checked,
    attach_checked,
    check_fetched,
    check_pdf,
    record_all,
    statuses,
)
from counter_app.signing import (
    SigningFailed,
    SigningSettings,
    SigningUnavailable,
    save_signing_settings,
    sign_pdf,
    sign_with_token,
    verify_pdf,
)
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.cli import COUNTER_APP, run
from tests.support.counter_store import ADMIN_PASSWORD
from tests.support.reception import request
from tests.support.returns import due_of, ready, receive
from tests.support.scans import made_pdf
from tests.support.signing import (
    KEY_LABEL,
    TOKEN_LABEL,
    USER_PIN,
    Issued,
    SoftToken,
    make_ca,
    process_token,
    shared_pki,
    softhsm_module,
    software_signer,
)

AS_ADMIN = {"COUNTER_USER": "admin", "COUNTER_PASSWORD": ADMIN_PASSWORD}
SETTINGS = DigitizeSettings()
needs_softhsm = pytest.mark.skipif(
    softhsm_module() is None, reason="SoftHSM2 không được cài (apt-get install softhsm2)"
)


@pytest.fixture(scope="module")
def ca() -> Issued:
    return shared_pki()[0]


@pytest.fixture(scope="module")
def centre() -> Issued:
    return shared_pki()[1]


@pytest.fixture
def ca_file(tmp_path: Path, ca: Issued) -> Path:
    path, _ = ca.write(tmp_path, "ca-tinh")
    return path


@pytest.fixture
def assembled(tmp_path: Path) -> bytes:
    """A real document PDF as the counter makes it: two scans assembled."""
    paths = [
        files.write(tmp_path, "trang1.png", files.png(seed=1)),
        files.write(tmp_path, "trang2.jpg", files.jpeg(seed=2)),
    ]
    return assemble(pages_of(inspect_files(paths, SETTINGS)), SETTINGS).content


@pytest.fixture
def soft_signed(tmp_path: Path, assembled: bytes, ca: Issued, centre: Issued) -> bytes:
    folder = tmp_path / "soft"
    folder.mkdir()
    return sign_pdf(assembled, software_signer(centre, ca, folder), location="Phường Thử")


@pytest.fixture
def token() -> SoftToken:
    made = process_token()
    if made is None:
        pytest.skip("SoftHSM2 không được cài (apt-get install softhsm2)")
    return made


def token_settings(token: SoftToken, ca_file: Path) -> SigningSettings:
    return SigningSettings(
        pkcs11_module=token.module,
        token_label=TOKEN_LABEL,
        key_label=KEY_LABEL,
        trust_roots=(str(ca_file),),
    )


def validated_by_pyhanko(content: bytes, ca_file: Path) -> object:
    reader = PdfFileReader(io.BytesIO(content))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_file))])
    return validate_pdf_signature(signature, context)


def data_dir(store: Store) -> Path:
    assert store.data_dir is not None
    return store.data_dir


def received_with_scan(
    store: Store, clock: FixedClock, clerk: StaffIdentity, tmp_path: Path
) -> str:
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    assert code is not None
    paths = [files.write(tmp_path, "to-khai.png", files.png(seed=3))]
    attach_checked(
        AttachmentService(store, clock), code, 1, paths, clerk, SETTINGS, SigningSettings()
    )
    return code


# Checking, with a software signer ------------------------------------------------


def test_a_signature_by_the_configured_ca_is_valid_and_names_the_signer(
    soft_signed: bytes, ca_file: Path, centre: Issued
) -> None:
    status = verify_pdf(soft_signed, [load_cert_from_pemder(str(ca_file))])
    assert status.kind == "valid"
    assert status.signer == "Trung tâm Phục vụ hành chính công phường Thử"
    assert status.signed_at is not None
    assert "chữ ký số hợp lệ của Trung tâm" in status.describe("ban-sao.pdf")
    assert validated_by_pyhanko(soft_signed, ca_file).bottom_line  # type: ignore[attr-defined]


def test_one_byte_changed_makes_the_signature_invalid(soft_signed: bytes, ca_file: Path) -> None:
    tampered = bytearray(soft_signed)
    spot = soft_signed.index(b"/Width")
    tampered[spot + 8] ^= 0x01
    status = check_pdf(bytes(tampered), SigningSettings(trust_roots=(str(ca_file),)))
    assert status.kind == "invalid"
    assert "đã bị thay đổi sau khi ký" in status.describe("ban-sao.pdf")
    assert "Tệp ban-sao.pdf" in status.describe("ban-sao.pdf")


def test_content_appended_after_signing_makes_it_invalid(soft_signed: bytes, ca_file: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(soft_signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    status = check_pdf(out.getvalue(), SigningSettings(trust_roots=(str(ca_file),)))
    assert status.kind == "invalid", status


def test_a_signature_by_an_unknown_ca_is_untrusted(tmp_path: Path, soft_signed: bytes) -> None:
    other, _ = make_ca("CA Không quen").write(tmp_path, "other")
    status = check_pdf(soft_signed, SigningSettings(trust_roots=(str(other),)))
    assert status.kind == "untrusted"
    assert "không do tổ chức chứng thực được tin cậy cấp" in status.describe()
    assert check_pdf(soft_signed, SigningSettings()).kind == "untrusted"  # no roots configured


def test_without_the_signing_library_a_signed_pdf_is_said_to_be_unchecked(
    soft_signed: bytes, ca_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import counter_app.signing

    monkeypatch.setattr(counter_app.signing, "library_installed", lambda: False)
    status = check_pdf(soft_signed, SigningSettings(trust_roots=(str(ca_file),)))
    assert status.kind == "untrusted"
    assert status.describe("a.pdf") == (
        "Tệp a.pdf có chữ ký số nhưng chưa kiểm tra được: máy này chưa cài phần kiểm tra "
        "chữ ký số (gói ward-counter[sign])."
    )
    assert not counter_app.signing.token_ready(SigningSettings(pkcs11_module=__file__))


def test_an_unsigned_pdf_has_no_signature(assembled: bytes, ca_file: Path) -> None:
    assert check_pdf(assembled, SigningSettings(trust_roots=(str(ca_file),))).kind == "none"


def test_a_signed_pdf_given_whole_is_kept_byte_for_byte_and_its_status_recorded(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    soft_signed: bytes, ca_file: Path,
) -> None:  # fmt: skip
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    assert code is not None
    service = AttachmentService(store, clock)
    signing = SigningSettings(trust_roots=(str(ca_file),))
    given = files.write(tmp_path, "ban-sao-da-ky.pdf", soft_signed)
    target, checked = attach_checked(service, code, 2, [given], clerk, SETTINGS, signing)
    sha = target.slot(2).attachment_sha256
    assert sha is not None and service.read_pdf(sha) == soft_signed
    assert checked.signatures["ban-sao-da-ky.pdf"].kind == "valid"
    with store.read() as session:
        assert statuses(session, [sha])[sha].kind == "valid"

    # Assembled with another page the signature cannot survive: said, not hidden.
    more = files.write(tmp_path, "trang-them.png", files.png(seed=5))
    _, merged = attach_checked(service, code, 3, [given, more], clerk, SETTINGS, signing)
    assert merged.lost_signatures() == ["ban-sao-da-ky.pdf"]
    assert merged.kept.kind == "none"


def test_a_broken_signature_is_refused_by_name_unless_the_person_keeps_it(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    soft_signed: bytes, ca_file: Path,
) -> None:  # fmt: skip
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    assert code is not None
    tampered = bytearray(soft_signed)
    tampered[soft_signed.index(b"/Width") + 8] ^= 0x01
    given = files.write(tmp_path, "giay-to-sua.pdf", bytes(tampered))
    signing = SigningSettings(trust_roots=(str(ca_file),))
    service = AttachmentService(store, clock)
    with pytest.raises(InvalidSignature) as refused:
        attach_checked(service, code, 2, [given], clerk, SETTINGS, signing)
    assert "Tệp giay-to-sua.pdf có chữ ký số KHÔNG hợp lệ" in str(refused.value)
    assert service.open(code).slot(2).attachment_sha256 is None

    target, _ = attach_checked(
        service, code, 2, [given], clerk, SETTINGS, signing, keep_invalid=True
    )
    sha = target.slot(2).attachment_sha256
    assert sha is not None and service.read_pdf(sha) == bytes(tampered)
    with store.read() as session:
        row = session.get(ScanSignature, sha)
        assert row is not None and row.status == "invalid"


def test_the_cli_refuses_a_broken_signature_until_told_to_keep_it(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    soft_signed: bytes, ca_file: Path,
) -> None:  # fmt: skip
    code = ReceptionService(store, clock).receive(request(store), clerk).code
    assert code is not None
    save_signing_settings(data_dir(store), SigningSettings(trust_roots=(str(ca_file),)))
    tampered = bytearray(soft_signed)
    tampered[soft_signed.index(b"/Width") + 8] ^= 0x01
    given = files.write(tmp_path, "giay-to-sua.pdf", bytes(tampered))
    where = ["--data-dir", str(data_dir(store))]
    refused = run("attach", code, "--document", "2", str(given), *where, env=AS_ADMIN)
    assert refused.returncode == 2
    assert "Lỗi: Tệp giay-to-sua.pdf có chữ ký số KHÔNG hợp lệ" in refused.stderr
    assert "--keep-invalid-signature" in refused.stderr
    kept = run(
        "attach", code, "--document", "2", str(given), "--keep-invalid-signature", *where,
        env=AS_ADMIN,
    )  # fmt: skip
    assert kept.returncode == 0, kept.stderr
    good = files.write(tmp_path, "ban-sao.pdf", soft_signed)
    checked = run("check-signature", str(good), str(given), *where)
    assert checked.returncode == 1
    assert "Tệp ban-sao.pdf có chữ ký số hợp lệ" in checked.stdout
    assert "Tệp giay-to-sua.pdf có chữ ký số KHÔNG hợp lệ" in checked.stdout


def test_scans_fetched_from_the_province_are_checked_and_their_status_kept(
    store: Store, clock: FixedClock, soft_signed: bytes, ca_file: Path, assembled: bytes
) -> None:
    blobs = BlobStore(data_dir(store))
    tampered = bytearray(soft_signed)
    tampered[soft_signed.index(b"/Width") + 8] ^= 0x01
    good, bad, plain = blobs.put(soft_signed), blobs.put(bytes(tampered)), blobs.put(assembled)
    scans = [FetchedScan(b.sha256, b.size, 2) for b in (good, bad, plain)]
    found = check_fetched(blobs, scans, SigningSettings(trust_roots=(str(ca_file),)))
    assert {sha: s.kind for sha, s in found.items()} == {
        good.sha256: "valid",
        bad.sha256: "invalid",
    }
    with store.write() as session:
        record_all(session, found, clock.now())
    with store.read() as session:
        kept = statuses(session, [good.sha256, bad.sha256, plain.sha256])
    assert kept[good.sha256].kind == "valid" and kept[bad.sha256].kind == "invalid"
    assert plain.sha256 not in kept
    assert blobs.read(bad.sha256) == bytes(tampered), "nothing stored is lost"


# Without a token ------------------------------------------------------------------


def test_without_a_token_signing_is_unavailable_and_the_cli_says_so(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    code = received_with_scan(store, clock, clerk, tmp_path)
    service = SigningService(AttachmentService(store, clock), SigningSettings())
    assert not service.available
    with pytest.raises(SigningUnavailable, match="chưa cấu hình thiết bị ký số"):
        service.sign_document(code, 1, USER_PIN, clerk)
    done = run("sign", code, "--document", "1", "--data-dir", str(data_dir(store)), env=AS_ADMIN)
    assert done.returncode == 2
    assert "Máy này chưa cấu hình thiết bị ký số (USB token)" in done.stderr
    assert "Traceback" not in done.stderr


# With a SoftHSM2 token --------------------------------------------------------------


@needs_softhsm
def test_a_document_signed_on_the_token_is_a_new_blob_valid_for_pyhanko(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    token: SoftToken, ca_file: Path,
) -> None:  # fmt: skip
    code = received_with_scan(store, clock, clerk, tmp_path)
    attachments = AttachmentService(store, clock)
    unsigned = attachments.open(code).slot(1).attachment_sha256
    assert unsigned is not None
    OcrIndex(store).save(unsigned, "Tờ khai đăng ký khai sinh")
    service = SigningService(attachments, token_settings(token, ca_file))
    assert service.available
    copy = service.sign_document(code, 1, USER_PIN, clerk)
    assert copy.sha256 in OcrIndex(store).search("khai sinh"), "the copy is still found"

    assert copy.sha256 != unsigned and copy.target.slot(1).attachment_sha256 == copy.sha256
    assert attachments.blobs.exists(unsigned), "the unsigned copy stays in the blob store"
    signed = attachments.read_pdf(copy.sha256)
    status = validated_by_pyhanko(signed, ca_file)
    assert status.bottom_line  # type: ignore[attr-defined]
    assert copy.status.kind == "valid"
    reader = PdfFileReader(io.BytesIO(signed))
    (signature,) = reader.embedded_signatures
    assert signature.sig_object["/Reason"] == "Sao y bản chính điện tử"
    assert signature.sig_object["/Location"] == store_unit_name(store)
    assert len(reader.root["/Pages"]["/Kids"]) == 1
    with store.read() as session:
        assert statuses(session, [copy.sha256])[copy.sha256].kind == "valid"
        actions = session.scalars(select(AuditEntry.action)).all()
    assert "document.sign" in actions

    with pytest.raises(SigningFailed, match="Mã PIN của thiết bị ký số không đúng"):
        service.sign_document(code, 1, "000000", clerk)


@needs_softhsm
def test_a_postal_agent_does_not_sign(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    token: SoftToken, ca_file: Path,
) -> None:  # fmt: skip
    from counter_app.errors import NotAllowed

    code = received_with_scan(store, clock, clerk, tmp_path)
    agent = dataclasses.replace(clerk, username="buudien", role=Role.POSTAL_AGENT)
    service = SigningService(AttachmentService(store, clock), token_settings(token, ca_file))
    with pytest.raises(NotAllowed, match="không ký số"):
        service.sign_document(code, 1, USER_PIN, agent)


@needs_softhsm
def test_the_cli_signs_with_the_pin_from_standard_input(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    token: SoftToken, ca_file: Path,
) -> None:  # fmt: skip
    code = received_with_scan(store, clock, clerk, tmp_path)
    save_signing_settings(data_dir(store), token_settings(token, ca_file))
    done = subprocess.run(
        [COUNTER_APP, "sign", code, "--document", "1", "--pin-stdin",
         "--data-dir", str(data_dir(store))],
        input=USER_PIN + "\n", capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **AS_ADMIN, "SOFTHSM2_CONF": str(token.conf)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Đã ký số giấy tờ 1" in done.stdout
    assert "có chữ ký số hợp lệ của Trung tâm" in done.stdout
    sha = AttachmentService(store, clock).open(code).slot(1).attachment_sha256
    assert sha is not None and sha in done.stdout


def store_unit_name(store: Store) -> str:
    from counter_app.installation import load_context

    with store.read() as session:
        return load_context(session).unit_name


def test_a_checked_document_of_plain_scans_carries_no_signature(
    tmp_path: Path, ca_file: Path
) -> None:
    paths = [files.write(tmp_path, "a.png", files.png(seed=9))]
    checked = assemble_checked(
        pages_of(inspect_files(paths, SETTINGS)),
        SETTINGS,
        SigningSettings(trust_roots=(str(ca_file),)),
    )
    assert checked.signatures == {} and checked.kept.kind == "none"


def test_the_preflight_check_reports_the_token_without_failing_the_counter(
    tmp_path: Path, store: Store, ca_file: Path
) -> None:
    from counter_app import doctor
    from counter_app.doctor import Level

    where = data_dir(store)
    unset = doctor.check_signing(where)
    assert unset.level is Level.SKIPPED and "nút Ký số được ẩn" in unset.detail
    save_signing_settings(
        where, SigningSettings(pkcs11_module=str(tmp_path / "khong-co.so"), key_label="k")
    )
    missing = doctor.check_signing(where)
    assert missing.level is Level.WARN and "Không tìm thấy thư viện PKCS#11" in missing.detail

    token = process_token()
    if token is None:
        pytest.skip("SoftHSM2 không được cài (apt-get install softhsm2)")
    save_signing_settings(where, token_settings(token, ca_file))
    ready = doctor.check_signing(where)
    assert ready.level is Level.OK, ready
    assert TOKEN_LABEL in ready.detail and "1 chứng thư" in ready.detail


@needs_softhsm
def test_a_token_not_plugged_in_or_a_wrong_key_label_is_said_in_words(
    token: SoftToken, assembled: bytes
) -> None:
    absent = SigningSettings(pkcs11_module=token.module, token_label="KhongCo", key_label=KEY_LABEL)
    with pytest.raises(SigningFailed, match="Không thấy thiết bị ký số"):
        sign_with_token(assembled, absent, USER_PIN)
    wrong = SigningSettings(pkcs11_module=token.module, token_label=TOKEN_LABEL, key_label="sai")
    with pytest.raises(SigningFailed, match="hãy kiểm tra nhãn khóa"):
        sign_with_token(assembled, wrong, USER_PIN)
    with pytest.raises(SigningFailed, match="Hãy nhập mã PIN"):
        sign_with_token(assembled, token_settings_plain(token), "")


def token_settings_plain(token: SoftToken) -> SigningSettings:
    return SigningSettings(pkcs11_module=token.module, token_label=TOKEN_LABEL, key_label=KEY_LABEL)


@needs_softhsm
def test_a_result_scan_signed_on_the_token_replaces_it_and_keeps_its_time(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity,
    token: SoftToken, ca_file: Path,
) -> None:  # fmt: skip
    code = receive(store, clock, clerk)
    ready(store, clock, clerk, code, due_of(store, code).replace(hour=8))
    service = SigningService(AttachmentService(store, clock), token_settings(token, ca_file))
    with pytest.raises(NotFound, match=f"Kết quả của hồ sơ {code} chưa có bản số hóa"):
        service.sign_result(code, USER_PIN, clerk)
    results = ResultScanService(store, clock)
    scanned = results.attach(code, made_pdf(31), clerk)
    clock.advance(minutes=10)

    signed = service.sign_result(code, USER_PIN, clerk)
    assert signed.sha256 != scanned.sha256 and signed.scan.sha256 == signed.sha256
    assert signed.scan.digitized_at == scanned.digitized_at, "the same paper, signed later"
    assert signed.status.kind == "valid"
    assert validated_by_pyhanko(results.read_pdf(signed.sha256), ca_file).bottom_line  # type: ignore[attr-defined]
    with store.read() as session:
        assert statuses(session, [signed.sha256])[signed.sha256].kind == "valid"
        assert "result.sign" in session.scalars(select(AuditEntry.action)).all()

    save_signing_settings(data_dir(store), token_settings(token, ca_file))
    done = subprocess.run(
        [COUNTER_APP, "sign", code, "--result", "--pin-stdin", "--data-dir", str(data_dir(store))],
        input=USER_PIN + "\n", capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, **AS_ADMIN, "SOFTHSM2_CONF": str(token.conf)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"Đã ký số bản số hóa kết quả của hồ sơ {code}" in done.stdout
    again = results.open(code)
    assert again.sha256 is not None and again.sha256 in done.stdout
    assert again.digitized_at == scanned.digitized_at
