"""Forms 04 and 05, the letters the unit that handles a dossier sends its applicant.

04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết apologises for a
late result and sets the new appointment; 05 Thông báo dừng giải quyết hồ sơ
says processing has stopped, and why. Unlike the counter slips they come from
the competent unit, carry a document number and the head of the unit's
signature and seal, and end with the list of recipients (Nơi nhận).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from printing.document import Section, build_pdf
from printing.form_data import COUNTER_BODY, ExtensionForm, FormData, StopForm
from printing.paper import Paper, Sheet, sheet
from printing.parts import (
    PLAIN,
    SEAL_HINT,
    Signature,
    code_marks,
    letterhead,
    signatures,
    title_block,
)
from printing.wording import addressee, clock_and_date, honorific, markup

EXTENSION_TITLE = "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
STOP_TITLE = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
UNNUMBERED = "………/………"


def render_extension(data: ExtensionForm, paper: Paper = "A5") -> bytes:
    """Form 04 as PDF bytes."""
    page = sheet(paper)
    view = data.view
    you = honorific(view.applicant.sex)
    unit = markup(view.competent_unit.name)
    paragraphs = [
        _reception_sentence(data) + ".",
        f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {clock_and_date(view.due_at)}.",
        f"Tuy nhiên đến nay, {unit} chưa trả kết quả giải quyết hồ sơ của {you} đúng hạn "
        "ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        f"Lý do: {markup(data.reason.strip())}",
        f"Sự chậm trễ này đã gây phiền hà cho {you}. {unit} xin lỗi {you} và đề nghị gia hạn "
        f"thời gian giải quyết hồ sơ; kết quả sẽ được trả cho {you} vào "
        f"<b>{clock_and_date(data.new_due_at)}</b>.",
        "Xin trân trọng cảm ơn./.",
    ]
    story = _letter(page, data, EXTENSION_TITLE, paragraphs, data.signer_title, data.signer_name)
    return build_pdf(
        page, [Section(story)], title="Văn bản xin lỗi và đề nghị gia hạn", code=view.code
    )


def render_stop(data: StopForm, paper: Paper = "A5") -> bytes:
    """Form 05 as PDF bytes."""
    page = sheet(paper)
    view = data.view
    you = honorific(view.applicant.sex)
    receiving = markup(view.receiving_unit.name)
    paragraphs = [
        _reception_sentence(data) + f", hẹn trả kết quả vào {clock_and_date(view.due_at)}.",
        f"{markup(view.competent_unit.name)} thông báo dừng giải quyết hồ sơ nêu trên.",
        f"Lý do: {markup(data.reason.strip())}",
        f"{you} liên hệ {COUNTER_BODY} {receiving} để nhận lại hồ sơ đã nộp (nếu có) "
        "và được hướng dẫn./.",
    ]
    story = _letter(page, data, STOP_TITLE, paragraphs, data.signer_title, data.signer_name)
    return build_pdf(page, [Section(story)], title=STOP_TITLE.capitalize(), code=view.code)


def _reception_sentence(data: FormData) -> str:
    view = data.view
    return (
        f"Ngày {view.received_at:%d/%m/%Y}, {COUNTER_BODY} {markup(view.receiving_unit.name)} "
        f"tiếp nhận hồ sơ của {markup(addressee(view))} đề nghị giải quyết thủ tục "
        f"<b>{markup(view.procedure_name)}</b>, mã hồ sơ {markup(view.code)}"
    )


def _letter(
    page: Sheet,
    data: ExtensionForm | StopForm,
    title: str,
    paragraphs: list[str],
    signer_title: str,
    signer_name: str,
) -> list[Flowable]:
    styles = page.styles
    view = data.view
    number = data.document_number.strip() or UNNUMBERED
    story: list[Flowable] = [
        letterhead(page, data, unit_name=view.competent_unit.name, issuer="", number=number)
    ]
    story += title_block(page, title)
    story.append(Paragraph(f"Kính gửi: {markup(addressee(view))}", styles.addressee))
    story.append(code_marks(page, view.code))
    story += [Paragraph(text, styles.prose) for text in paragraphs[:-1]]
    closing: list[Flowable] = [Paragraph(paragraphs[-1], styles.prose)]
    closing.append(_recipients_beside(page, data, Signature(signer_title, signer_name, SEAL_HINT)))
    story.append(KeepTogether(closing))
    return story


def _recipients_beside(page: Sheet, data: FormData, signer: Signature) -> Table:
    """Nơi nhận on the left, the signature on the right, as Decree 30/2020 places them."""
    styles = page.styles
    view = data.view
    recipients: list[Flowable] = [
        Paragraph("<b><i>Nơi nhận:</i></b>", styles.recipients),
        Paragraph("- Như trên;", styles.recipients),
    ]
    if view.boundary_free:
        counter = f"- {COUNTER_BODY} {view.receiving_unit.name};"
        recipients.append(Paragraph(markup(counter), styles.recipients))
    recipients.append(Paragraph("- Lưu: VT.", styles.recipients))
    width = page.frame_width
    signature = signatures(page, [signer], width * 0.55)
    return Table(
        [[recipients, signature]],
        colWidths=[width * 0.45, width * 0.55],
        spaceBefore=styles.body.fontSize * 0.4,
        style=PLAIN,
    )
