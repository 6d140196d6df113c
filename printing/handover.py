"""Phiếu bàn giao kết quả: the slip that hands a dossier's result to its applicant or to the post.

It is printed from the "returned" event, so a slip printed again a year later
says what was recorded then: who took the result (the applicant, or a
representative with their CCCD), how (at the counter, or to the post with
the item's number), when, and whether the result came early, on time or late.
The person who takes the result signs it; the clerk keeps it with the dossier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph

from counter_app.dossier_view import DossierView, EventLine
from counter_app.fees import EXEMPT, PaymentView
from counter_app.timeliness import TIMELINESS_LABELS, Timeliness
from printing.document import Section, build_pdf
from printing.fit import check_fits
from printing.form_data import COUNTER_BODY
from printing.paper import Paper, Sheet, sheet
from printing.parts import Signature, code_marks, field, letterhead, signatures, title_block
from printing.wording import addressee, clock_and_date, markup, money

TITLE = "PHIẾU BÀN GIAO KẾT QUẢ"
SUBTITLE = "giải quyết thủ tục hành chính"
METHODS = {"counter": "Tại Bộ phận Một cửa", "post": "Qua dịch vụ bưu chính công ích"}


@dataclass(frozen=True)
class HandoverForm:
    """The slip's data: the dossier, its "returned" event, the fee taken (if any)."""

    view: DossierView
    returned: EventLine
    place_name: str
    printed_at: dt.datetime
    parent_agency: str = ""
    payment: PaymentView | None = None

    def __post_init__(self) -> None:
        if self.returned.kind != "returned":
            raise ValueError(
                f"a hand-over slip is printed from a 'returned' event, not {self.returned.kind!r}"
            )

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.returned.data)

    @property
    def by_post(self) -> bool:
        return self.data.get("method") == "post"

    @property
    def recipient(self) -> str:
        return str(self.data.get("recipient") or self.view.applicant.full_name)

    @property
    def timeliness_label(self) -> str:
        raw = self.data.get("timeliness")
        return TIMELINESS_LABELS[Timeliness(raw)] if raw else ""


def _fee_line(data: HandoverForm) -> str:
    view, paid = data.view, data.payment
    if paid is not None:
        if paid.method == EXEMPT:
            return f"Miễn thu ({paid.exemption_reason or ''})"
        line = f"Đã thu {money(paid.amount_vnd)} ({paid.method_label.lower()})"
        if paid.receipt_number is not None:
            line += f", biên lai ký hiệu {paid.receipt_series} số {paid.receipt_number_label}"
        elif paid.e_receipt_number is not None:
            line += f", biên lai điện tử số {paid.e_receipt_number}"
        return line
    if view.fee_vnd + view.charge_vnd:
        return f"Chưa thu ({money(view.fee_vnd + view.charge_vnd)} theo danh mục)"
    return "Không thu"


def _result_moment(data: HandoverForm) -> dt.datetime | None:
    raw = data.data.get("result_at")
    return dt.datetime.fromisoformat(str(raw)) if raw else None


def _body(page: Sheet, data: HandoverForm) -> list[Flowable]:
    view = data.view
    styles = page.styles
    unit = markup(view.receiving_unit.name)
    story: list[Flowable] = [
        Paragraph(
            f"{COUNTER_BODY} {unit} bàn giao kết quả giải quyết hồ sơ của "
            f"<b>{markup(addressee(view))}</b>:",
            styles.body,
        ),
        field(page, "Nội dung yêu cầu giải quyết", view.procedure_name, bold=True),
    ]
    if view.boundary_free:
        story.append(field(page, "Cơ quan giải quyết hồ sơ", view.competent_unit.name))
    story += [
        field(page, "Thời gian nhận hồ sơ", clock_and_date(view.received_at)),
        field(page, "Thời gian hẹn trả kết quả", clock_and_date(view.due_at)),
    ]
    if (ready := _result_moment(data)) is not None:
        label = data.timeliness_label
        shown = f"{clock_and_date(ready)}" + (f" — <b>{markup(label)}</b>" if label else "")
        story.append(Paragraph(f"Thời gian có kết quả: {shown}", styles.body))
    story.append(field(page, "Thời gian trả kết quả", clock_and_date(data.returned.at)))
    method = METHODS.get(str(data.data.get("method")), str(data.data.get("method")))
    if data.by_post:
        method += f", mã bưu gửi: {data.data.get('tracking_number') or ''}"
    story.append(field(page, "Hình thức trả kết quả", method))
    if data.by_post and view.return_address:
        story.append(field(page, "Địa chỉ nhận kết quả", view.return_address))
    who = data.recipient
    role = "người được ủy quyền" if data.data.get("representative") else "người nộp hồ sơ"
    if not data.by_post or data.data.get("cccd"):
        story.append(
            Paragraph(
                f"Người nhận kết quả: <b>{markup(who)}</b> ({role})"
                + (f", CCCD số {markup(str(data.data['cccd']))}" if data.data.get("cccd") else ""),
                styles.body,
            )
        )
    story.append(field(page, "Phí, lệ phí", _fee_line(data)))
    if data.returned.note:
        story.append(field(page, "Ghi chú", data.returned.note))
    return story


def render_handover(data: HandoverForm, paper: Paper = "A5") -> bytes:
    """The hand-over slip as PDF bytes: one page, signed by both sides."""
    check_fits(data, "phiếu bàn giao kết quả")
    page = sheet(paper)
    view = data.view
    story: list[Flowable] = [letterhead(page, data)]
    story += title_block(page, TITLE, SUBTITLE)
    story.append(code_marks(page, view.code))
    story += _body(page, data)
    clerk = Signature("NGƯỜI TRẢ KẾT QUẢ", data.returned.actor_name)
    taker = (
        Signature("NHÂN VIÊN BƯU CHÍNH", "")
        if data.by_post
        else Signature("NGƯỜI NHẬN KẾT QUẢ", data.recipient)
    )
    story.append(KeepTogether([signatures(page, [taker, clerk])]))
    return build_pdf(page, [Section(story)], title="Phiếu bàn giao kết quả", code=view.code)
