"""Forms 02 and 03, the slips the counter hands over instead of (or before) a receipt.

02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ lists what the applicant must bring
and why, and names the officer to ask; 03 Phiếu từ chối tiếp nhận giải quyết
hồ sơ gives the reason a dossier is refused. Both are issued by the Bộ phận
tiếp nhận và trả kết quả, so they share form 01's letterhead.

Both are printed either for a received dossier (from its event) or for a dossier
turned away at the counter *before* reception (``counter_app.guidance``), which
has no code: "Mã hồ sơ (nếu có)" is then left empty. Form 03 is signed by the
person who handed the dossier in as well (MOH 3621/QĐ-BYT reproducing BM.03).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from printing.document import Section, build_pdf
from printing.form_data import RefusalForm, SupplementForm
from printing.paper import Paper, sheet
from printing.parts import (
    Signature,
    applicant_lines,
    code_marks,
    field,
    filer_name,
    letterhead,
    numbered,
    received_from,
    signatures,
    title_block,
)
from printing.wording import honorific, markup

SUPPLEMENT_TITLE = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
REFUSAL_TITLE = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"


def render_supplement(data: SupplementForm, paper: Paper = "A5") -> bytes:
    """Form 02 as PDF bytes."""
    page = sheet(paper)
    view = data.view
    styles = page.styles
    you = honorific(view.applicant.sex)
    story: list[Flowable] = [letterhead(page, data)]
    story += title_block(page, SUPPLEMENT_TITLE)
    story.append(code_marks(page, view.code))
    story.append(received_from(page, view))
    story.append(field(page, "Nội dung yêu cầu giải quyết", view.procedure_name, bold=True))
    story += applicant_lines(page, view)
    story.append(
        Paragraph(f"Yêu cầu {you} bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", styles.body)
    )
    items = [item.strip() for item in data.items if item.strip()]
    story += [numbered(page, f"{n}.", markup(item)) for n, item in enumerate(items, start=1)]
    story.append(field(page, "Lý do", data.reason.strip()))
    contact = f"Trong quá trình bổ sung, hoàn thiện hồ sơ, nếu có vướng mắc, {you} liên hệ với "
    contact += f"<b>{markup(data.officer)}</b>"
    if data.contact_phone.strip():
        contact += f", số điện thoại {markup(data.contact_phone.strip())}"
    contact += " để được hướng dẫn./."
    closing: list[Flowable] = [
        Paragraph(contact, styles.body),
        signatures(page, [None, Signature("NGƯỜI HƯỚNG DẪN", data.officer)]),
    ]
    story.append(KeepTogether(closing))
    return build_pdf(page, [Section(story)], title=SUPPLEMENT_TITLE.capitalize(), code=view.code)


def render_refusal(data: RefusalForm, paper: Paper = "A5") -> bytes:
    """Form 03 as PDF bytes."""
    page = sheet(paper)
    view = data.view
    styles = page.styles
    you = honorific(view.applicant.sex)
    unit = markup(view.receiving_unit.name)
    story: list[Flowable] = [letterhead(page, data)]
    story += title_block(page, REFUSAL_TITLE)
    story.append(code_marks(page, view.code))
    story.append(received_from(page, view))
    story += applicant_lines(page, view)
    story.append(field(page, "Nội dung yêu cầu giải quyết", view.procedure_name, bold=True))
    story.append(
        Paragraph(
            f"Qua xem xét, Bộ phận tiếp nhận và trả kết quả {unit} thông báo không tiếp nhận, "
            "giải quyết hồ sơ này với lý do cụ thể như sau:",
            styles.body,
        )
    )
    story += [
        Paragraph(markup(line.strip()), styles.prose)
        for line in data.reason.splitlines()
        if line.strip()
    ]
    closing: list[Flowable] = [
        Paragraph(f"Xin thông báo cho {you} được biết và thực hiện./.", styles.body),
        signatures(
            page,
            [
                Signature("NGƯỜI NỘP HỒ SƠ", filer_name(view)),
                Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", data.officer),
            ],
        ),
    ]
    story.append(KeepTogether(closing))
    return build_pdf(page, [Section(story)], title=REFUSAL_TITLE.capitalize(), code=view.code)
