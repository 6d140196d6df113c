"""Forms 02 and 03 handed out at the counter before reception, the representative, the book.

Đồng Tháp 138/2025/QĐ-UBND and MOH 3621/QĐ-BYT (24/11/2025, reproducing forms
BM.01-06): an incomplete dossier gets form 02 and a refused one form 03 *without
being received*; form 03 reads "Mã hồ sơ (nếu có)", so no code is taken and
nothing counts as received. Forms 01 and 03 show the personal identification
number and the representative; form 03 has the applicant's signature block; the
book has "Phương thức nhận kết quả" and is kept per field (lĩnh vực).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from counter_app.applicants import RepresentativeInput
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.dossier_view import load_dossier_view
from counter_app.dossiers import DossierService
from counter_app.errors import ValidationError
from counter_app.models import (
    AuditEntry,
    CodeSequence,
    CounterGuidance,
    Dossier,
    OutboxEntry,
)
from counter_app.reception import ReceptionService
from counter_app.settings import Settings
from counter_app.store import Store
from counter_app.tally_export import to_csv
from printing.prepare import form_data, render_for_code, render_guidance
from printing.report_print import load_unit_tally, tally_pdf
from tests.support.counter_store import UNIT_CODE, applicant
from tests.support.reception import request

CODE_SHAPE = re.compile(r"\d{6}-\d{4}")
REPRESENTATIVE = RepresentativeInput("Lê Văn Hùng", "001085004321", "Chồng")
COUNTER_APP = str(Path(sys.executable).with_name("counter-app"))


def text_of(pdf: bytes) -> str:
    """The PDF's text, runs of whitespace made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def incomplete(store: Store, **overrides: object) -> object:
    """A request whose checklist lacks the mandatory documents: what form 02 is for."""
    return request(store, documents=(), **overrides)


# Through the service ----------------------------------------------------------


def test_guidance_takes_no_code_and_is_recorded_but_not_received(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Đồng Tháp 138/2025/QĐ-UBND; MOH 3621/QĐ-BYT: form 02 before reception, "Mã hồ sơ
    # (nếu có)": no code used up, not counted as received, but recorded.
    service = ReceptionService(store, clock)
    guided = service.turn_away(
        "supplement",
        incomplete(store),  # type: ignore[arg-type]
        "Hồ sơ chưa đủ thành phần theo quy định.",
        clerk,
        items=["Tờ khai đăng ký khai sinh", "  ", "Giấy chứng sinh (bản chính)"],
    )
    clock.advance(minutes=5)
    refused = service.turn_away(
        "refusal", request(store), "Thủ tục thuộc thẩm quyền của UBND tỉnh.", clerk
    )
    receipt = service.receive(request(store), clerk)

    # The next reception gets the code it would have had without them.
    assert receipt.code == f"{UNIT_CODE}-261116-1001"
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 1
        assert session.scalar(select(func.count()).select_from(OutboxEntry)) == 1
        assert session.scalar(select(CodeSequence.last_number)) == 1
        rows = {row.id: row for row in session.scalars(select(CounterGuidance))}
        first, second = rows[guided.id], rows[refused.id]
        assert (first.kind, first.actor, first.procedure_code) == (
            "supplement",
            "lan.nt",
            "1.001193",
        )
        assert first.at == guided.at and second.at == guided.at + dt.timedelta(minutes=5)
        assert first.applicant.full_name == applicant().full_name
        assert first.applicant.cccd == "001190012345"
        assert first.items == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh (bản chính)"]
        assert first.reason == "Hồ sơ chưa đủ thành phần theo quy định."
        assert (second.kind, second.items) == ("refusal", [])
        assert second.reason == "Thủ tục thuộc thẩm quyền của UBND tỉnh."
        actions = set(session.scalars(select(AuditEntry.action)))
        assert {"guidance.supplement", "guidance.refusal", "dossier.receive"} <= actions

    tally = load_unit_tally(store, clock.now().date(), clock.now().date(), clock.now())
    assert (tally.total.guided, tally.total.refused_at_counter) == (1, 1)
    assert tally.total.received_new == 1, "only the dossier actually received"
    (row,) = tally.by_procedure
    assert (row.counts.guided, row.counts.refused_at_counter) == (1, 1)
    assert {r.key: r.counts.guided for r in tally.by_clerk} == {"lan.nt": 1}
    printed = text_of(tally_pdf(tally, Settings(), clock.now()))
    assert "Tại quầy, không tiếp nhận" in printed and "Từ chối tiếp nhận" in printed
    assert "hướng dẫn bổ sung (mẫu 02) 1 lượt; từ chối tiếp nhận (mẫu 03) 1 lượt" in printed
    exported = to_csv(tally).decode("utf-8-sig")
    assert "Tại quầy, không tiếp nhận: Hướng dẫn" in exported.splitlines()[0]


def test_guidance_needs_its_reason_and_items_and_stores_nothing_when_wrong(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    with pytest.raises(ValidationError) as caught:
        service.turn_away("supplement", request(store, applicant=applicant(address="")), " ", clerk)
    assert caught.value.errors == {
        "address": "Chưa nhập địa chỉ.",
        "reason": "Chưa nhập lý do.",
        "items": "Chưa nêu nội dung cần bổ sung, hoàn thiện.",
    }
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(CounterGuidance)) == 0


def test_the_representative_is_checked_like_the_applicant_and_stored(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # MOH 3621/QĐ-BYT: a dossier filed on another's behalf records the representative.
    service = ReceptionService(store, clock)
    wrong = RepresentativeInput("", "00108500432", "Chồng")
    with pytest.raises(ValidationError) as caught:
        service.receive(request(store, representative=wrong), clerk)
    assert caught.value.errors["representative_name"] == (
        "Chưa nhập họ và tên người được ủy quyền."
    )
    assert "12 chữ số" in caught.value.errors["representative_cccd"]
    receipt = service.receive(request(store, representative=REPRESENTATIVE), clerk)
    with store.read() as session:
        dossier = session.get(Dossier, receipt.dossier_id)
        assert dossier is not None
        assert (
            dossier.representative_name,
            dossier.representative_cccd,
            dossier.representative_relation,
        ) == ("Lê Văn Hùng", "001085004321", "Chồng")
        outbox = session.scalars(select(OutboxEntry)).one()
        assert outbox.payload["representative"]["cccd"] == "001085004321"
        view = load_dossier_view(session, receipt.code)
    assert view.representative is not None and view.representative.relation == "Chồng"


def test_a_draft_keeps_its_representative(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    service = ReceptionService(store, clock)
    draft = service.save_draft(request(store, representative=REPRESENTATIVE), clerk)
    assert service.draft_request(draft).representative == REPRESENTATIVE


# Printed ------------------------------------------------------------------------


def test_forms_02_and_03_print_without_a_code_for_a_dossier_not_received(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # Đồng Tháp 138/2025/QĐ-UBND: form 03 reads "Mã hồ sơ (nếu có)", left empty here;
    # MOH 3621/QĐ-BYT BM.03: personal identification number and "NGƯỜI NỘP HỒ SƠ".
    service = ReceptionService(store, clock)
    guided = service.turn_away(
        "supplement",
        incomplete(store),  # type: ignore[arg-type]
        "Thiếu giấy tờ bắt buộc.",
        clerk,
        items=["Giấy chứng sinh (bản chính)"],
    )
    refused = service.turn_away(
        "refusal",
        request(store, representative=REPRESENTATIVE),
        "Không thuộc thẩm quyền giải quyết của UBND phường.",
        clerk,
    )
    supplement = text_of(render_guidance(store, guided.id, Settings()))
    refusal = text_of(render_guidance(store, refused.id, Settings()))
    for text in (supplement, refusal):
        assert "Mã hồ sơ (nếu có):" in text
        assert not CODE_SHAPE.search(text), "no dossier code on a form for a dossier not received"
        assert "Trần Thị Mai, số định danh cá nhân: 001190012345" in text
        assert "16 tháng 11 năm 2026" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in supplement
    assert "1. Giấy chứng sinh (bản chính)" in supplement
    assert "Lý do: Thiếu giấy tờ bắt buộc." in supplement
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal
    assert "Không thuộc thẩm quyền giải quyết của UBND phường." in refusal
    assert "NGƯỜI NỘP HỒ SƠ" in refusal and "NGƯỜI TIẾP NHẬN HỒ SƠ" in refusal
    assert "Người được ủy quyền: Lê Văn Hùng (Chồng), số định danh cá nhân: 001085004321" in refusal


def test_forms_01_and_03_of_a_received_dossier_print_the_id_and_the_representative(
    store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    # MOH 3621/QĐ-BYT reproducing BM.01 and BM.03: the personal identification number,
    # the representative beside the applicant, and the applicant's signature on form 03.
    receipt = ReceptionService(store, clock).receive(
        request(store, representative=REPRESENTATIVE), clerk
    )
    DossierService(store, clock).refuse(receipt.code, "Giấy tờ giả mạo.", clerk)
    settings = Settings()
    form_01 = text_of(render_for_code(store, "receipt", receipt.code, settings))
    form_03 = text_of(render_for_code(store, "refusal", receipt.code, settings))
    for text in (form_01, form_03):
        assert "Trần Thị Mai, số định danh cá nhân: 001190012345" in text
        assert "Người được ủy quyền: Lê Văn Hùng" in text
        assert "001085004321" in text
        assert receipt.code in text
    assert "NGƯỜI NỘP HỒ SƠ" in form_03
    with store.read() as session:
        view = load_dossier_view(session, receipt.code)
    assert form_data("refusal", view, settings).reason == "Giấy tờ giả mạo."
