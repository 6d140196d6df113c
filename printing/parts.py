"""The pieces every form shares: letterhead, title with the code marks, applicant lines, signatures.

Each returns flowables for one sheet, so the six forms differ only in their
body text and cannot drift apart in how the header or a signature looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from counter_app.dossier_view import DossierView
from printing.codes import CodeMark
from printing.fonts import BOLD, REGULAR, string_width
from printing.form_data import FormData
from printing.paper import Sheet
from printing.wording import addressee, date_line, markup

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COUNTER_HEADING = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
SIGN_HINT = "(Ký và ghi rõ họ tên)"
SEAL_HINT = "(Ký, ghi rõ họ tên và đóng dấu)"
LEFT_SHARE = 0.44  # the agency column; the national header takes the rest


def table_style(*commands: tuple[object, ...]) -> TableStyle:
    """A TableStyle whose cells are set in Tinos: reportlab's default for string cells is
    Helvetica, which would drag an unembedded font without Vietnamese glyphs into the PDF."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR), *commands])


PLAIN = table_style(
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
)


@dataclass(frozen=True)
class Signature:
    """One signature block: who signs, the hint under the title, and the printed name."""

    title: str
    name: str = ""
    hint: str = SIGN_HINT


def letterhead(
    sheet: Sheet,
    data: FormData,
    *,
    unit_name: str | None = None,
    issuer: str = COUNTER_HEADING,
    number: str | None = None,
) -> Flowable:
    """Agency on the left, national header on the right, place and date under it.

    The left column names the parent agency (optional), the unit, then the body
    that issues the form in bold with a short rule under it (Decree 30/2020).
    ``unit_name`` defaults to the receiving unit; with an empty ``issuer`` the
    unit itself issues the form and is the bold line. ``number`` is the "Số: …"
    line of the forms that are numbered letters, level with the date.
    """
    styles = sheet.styles
    width = sheet.frame_width
    left_width = width * LEFT_SHARE
    right_width = width - left_width
    size = styles.header.fontSize
    unit = (unit_name or data.view.receiving_unit.name).upper()
    lines: list[tuple[str, bool]] = []
    if data.parent_agency.strip():
        lines.append((data.parent_agency.strip().upper(), False))
    if issuer.strip():
        lines += [(unit, False), (issuer.upper(), True)]
    else:
        lines.append((unit, True))
    agency: list[Flowable] = []
    for text, bold in lines:
        face, style = (BOLD, styles.header_bold) if bold else (REGULAR, styles.header)
        for part in balanced_lines(text, face, size, left_width - 4):
            agency.append(Paragraph(markup(part), style))
    agency.append(_rule(sheet, left_width, left_width * 0.34))

    motto_width = string_width(MOTTO, BOLD, styles.motto.fontSize)
    nation: list[Flowable] = [
        Paragraph(NATION, styles.header_bold),
        Paragraph(MOTTO, styles.motto),
        _rule(sheet, right_width, motto_width),
    ]
    dated = Paragraph(markup(date_line(data.place_name, data.printed_at)), styles.date_line)
    if number is None:
        # No number to line up with: the date takes the room beside the agency's lines.
        return Table([[agency, [*nation, dated]]], colWidths=[left_width, right_width], style=PLAIN)
    numbered_line = Paragraph(markup(f"Số: {number}"), styles.number)
    return Table(
        [[agency, nation], [numbered_line, dated]],
        colWidths=[left_width, right_width],
        style=PLAIN,
    )


def _rule(sheet: Sheet, column: float, length: float) -> Flowable:
    size = sheet.styles.header.fontSize
    return Rule(column, length, sheet.rule_width, height=size * 0.55, drop=size * 0.35)


class Rule(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A horizontal rule of ``length`` centred in a ``column``-wide box, ``drop`` below its top.

    Drawn on the canvas directly: a reportlab Drawing would set its default font,
    Helvetica, and put an unembedded font without Vietnamese glyphs in the PDF.
    """

    def __init__(
        self, column: float, length: float, thickness: float, *, height: float, drop: float
    ) -> None:
        super().__init__()
        self.width, self.height = column, height
        self.length, self.thickness, self.drop = length, thickness, drop

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Any = self.canv
        x = (self.width - self.length) / 2
        y = self.height - self.drop  # clear of the dots under Ậ, Ạ, Ị
        canvas.saveState()
        canvas.setLineWidth(self.thickness)
        canvas.line(x, y, x + self.length, y)
        canvas.restoreState()


def balanced_lines(text: str, face: str, size: float, width: float) -> list[str]:
    """``text`` as one line, or as two lines of near-equal width when one does not fit.

    Header lines are centred, so "BỘ PHẬN TIẾP NHẬN / VÀ TRẢ KẾT QUẢ" reads better than
    a long first line with one word left over.
    """
    if string_width(text, face, size) <= width:
        return [text]
    words = text.split()
    best: tuple[float, list[str]] | None = None
    for cut in range(1, len(words)):
        parts = [" ".join(words[:cut]), " ".join(words[cut:])]
        widest = max(string_width(part, face, size) for part in parts)
        if best is None or widest < best[0]:
            best = (widest, parts)
    return best[1] if best else [text]


def title_block(sheet: Sheet, title: str, *lines: str) -> list[Flowable]:
    """The form's title (balanced over two lines when long), then any italic lines under it."""
    styles = sheet.styles
    size = styles.title.fontSize
    title_lines = balanced_lines(title, BOLD, size, sheet.frame_width * 0.92)
    flowables: list[Flowable] = [Paragraph("<br/>".join(map(markup, title_lines)), styles.title)]
    flowables.extend(Paragraph(markup(line), styles.subtitle) for line in lines if line)
    return flowables


CODE_IF_ANY = "Mã hồ sơ (nếu có)"


def code_marks(sheet: Sheet, code: str) -> Flowable:
    """Code 128 and QR of the dossier code, centred, with a little air above and below.

    A form 02 or 03 handed out at the counter without receiving the dossier has no code
    (the 2025 form 03 reads "Mã hồ sơ (nếu có)", Đồng Tháp 138/2025/QĐ-UBND): the line
    is printed with nothing after it, and no mark.
    """
    if not code:
        return Paragraph(f"{CODE_IF_ANY}:", sheet.styles.body)
    mark = CodeMark(
        code,
        module=sheet.bar_module,
        bar_height=sheet.bar_height,
        qr_size=sheet.qr_size,
        caption_size=sheet.styles.body.fontSize - 0.5,
    )
    mark.spaceBefore = mark.spaceAfter = sheet.styles.body.fontSize * 0.3
    return mark


def field(sheet: Sheet, label: str, value: str, *, bold: bool = False) -> Paragraph:
    """A "label: value" line; ``value`` is plain text, escaped here."""
    shown = f"<b>{markup(value)}</b>" if bold else markup(value)
    return Paragraph(f"{markup(label)}: {shown}", sheet.styles.body)


def applicant_lines(sheet: Sheet, view: DossierView) -> list[Flowable]:
    """Address, phone and email of the applicant, then the representative who filed for
    them, as forms 01-03 list them.

    For a dossier filed on another's behalf the 2025 forms 01 and 03 name the
    representative beside the applicant (MOH 3621/QĐ-BYT reproducing forms BM.01-06).
    """
    person = view.applicant
    lines: list[Flowable] = [field(sheet, "Địa chỉ", person.address)]
    contact = f"Số điện thoại: {markup(person.phone or '')}"
    contact += f"&nbsp;&nbsp;&nbsp;&nbsp;Email: {markup(person.email or '')}"
    lines.append(Paragraph(contact, sheet.styles.body))
    if (agent := view.representative) is not None:
        text = f"Người được ủy quyền: <b>{_unbroken(agent.full_name)}</b>"
        if agent.relation:
            text += f" ({markup(agent.relation)})"
        text += f", số định danh cá nhân: {markup(agent.cccd or '')}"
        lines.append(Paragraph(text, sheet.styles.body))
    return lines


def _unbroken(text: str) -> str:
    """``text`` as markup that does not break across lines (a name, a number)."""
    return markup(text).replace(" ", "&nbsp;")


def filer_name(view: DossierView) -> str:
    """Who signs as "NGƯỜI NỘP HỒ SƠ": the representative who came, else the applicant."""
    agent = view.representative
    return agent.full_name if agent is not None else view.applicant.full_name


def received_from(sheet: Sheet, view: DossierView) -> Paragraph:
    """ "Bộ phận tiếp nhận và trả kết quả <unit> tiếp nhận hồ sơ của: Bà <name>, số định
    danh cá nhân: <number>".

    The 2025 forms 01 and 03 show the applicant's personal identification number (MOH
    3621/QĐ-BYT); it stands on the name's line, which has room, so a receipt with a long
    checklist still ends on its first A5 page.
    """
    unit = markup(view.receiving_unit.name)
    who = _unbroken(addressee(view))  # a name does not break across lines
    number = _unbroken(f"số định danh cá nhân: {view.applicant.cccd or ''}")
    return Paragraph(
        f"Bộ phận tiếp nhận và trả kết quả {unit} tiếp nhận hồ sơ của: <b>{who}</b>, {number}",
        sheet.styles.body,
    )


def signatures(
    sheet: Sheet, blocks: Sequence[Signature | None], width: float | None = None
) -> Flowable:
    """Signature blocks side by side across ``width`` (the frame's by default); ``None``
    keeps a column empty, so a lone signer stands on the right."""
    styles = sheet.styles
    cells: list[list[Flowable]] = []
    for block in blocks:
        if block is None:
            cells.append([])
            continue
        cell: list[Flowable] = [
            Paragraph(markup(line), styles.sign_title) for line in block.title.split("\n")
        ]
        if block.hint:
            cell.append(Paragraph(markup(block.hint), styles.sign_hint))
        cell.append(Spacer(1, sheet.signature_space))
        if block.name:
            cell.append(Paragraph(markup(block.name), styles.sign_name))
        cells.append(cell)
    column = (width or sheet.frame_width) / len(cells)
    space = styles.body.fontSize * 0.5
    return Table([cells], colWidths=[column] * len(cells), style=PLAIN, spaceBefore=space)


def numbered(sheet: Sheet, number: str, text: str) -> Paragraph:
    """An item with its number hanging in the margin: ``text`` is markup."""
    return Paragraph(f"{number}&nbsp;{text}", sheet.styles.item)
