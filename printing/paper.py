"""Paper sizes, margins and the paragraph styles of every form, made once per paper size.

The counter slips are A5 (Circular 03/2025/TT-VPCP prints them on 148 × 210 mm);
a unit whose printers only take A4 prints the same layout with A4's margins
and Decree 30/2020's type sizes. Styles are built once per size and shared by all
renderers, so every form on a page of a given size looks the same.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from printing.fonts import BOLD, ITALIC, REGULAR, register_fonts

Paper = Literal["A5", "A4"]
PAPERS: tuple[Paper, ...] = ("A5", "A4")


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one paper size; names say where on the form each is used."""

    header: ParagraphStyle  # agency lines, left header
    header_bold: ParagraphStyle  # the unit that issues the form; the national name
    motto: ParagraphStyle  # Độc lập - Tự do - Hạnh phúc
    date_line: ParagraphStyle  # Hạc Thành, ngày … (italic)
    number: ParagraphStyle  # Số: …/… under the agency
    title: ParagraphStyle
    subtitle: ParagraphStyle  # (Liên 1: …)
    addressee: ParagraphStyle  # Kính gửi: … of a letter
    body: ParagraphStyle  # field lines: label then value
    prose: ParagraphStyle  # letter paragraphs, justified, first line indented
    item: ParagraphStyle  # numbered items, the number hanging
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    sign_title: ParagraphStyle
    sign_hint: ParagraphStyle  # (Ký và ghi rõ họ tên)
    sign_name: ParagraphStyle
    recipients: ParagraphStyle  # Nơi nhận list of a letter
    footer: ParagraphStyle


@dataclass(frozen=True)
class Sheet:
    """One paper size: page, margins, type sizes, and the dimensions of the code marks."""

    paper: Paper
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    styles: Styles
    rule_width: float  # the short rules under the agency and the motto
    bar_module: float  # width of one Code 128 module, points
    bar_height: float
    qr_size: float
    signature_space: float  # room left for a hand signature

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


def _styles(size: float, header: float, title: float) -> Styles:
    lead = size * 1.2
    small = size - 1.5

    def style(name: str, **values: object) -> ParagraphStyle:
        values.setdefault("fontName", REGULAR)
        values.setdefault("fontSize", size)
        values.setdefault("leading", lead)
        return ParagraphStyle(name, **values)

    return Styles(
        header=style("header", fontSize=header, leading=header * 1.2, alignment=TA_CENTER),
        header_bold=style(
            "header_bold", fontName=BOLD, fontSize=header, leading=header * 1.2, alignment=TA_CENTER
        ),
        motto=style(
            "motto",
            fontName=BOLD,
            fontSize=header + 0.5,
            leading=header * 1.25,
            alignment=TA_CENTER,
        ),
        date_line=style("date_line", fontName=ITALIC, alignment=TA_CENTER, spaceBefore=size * 0.4),
        number=style("number", fontSize=header, alignment=TA_CENTER, spaceBefore=size * 0.4),
        title=style(
            "title",
            fontName=BOLD,
            fontSize=title,
            leading=title * 1.25,
            alignment=TA_CENTER,
            spaceBefore=size * 0.6,
        ),
        subtitle=style("subtitle", fontName=ITALIC, alignment=TA_CENTER),
        addressee=style("addressee", alignment=TA_CENTER, spaceBefore=size * 0.4),
        body=style("body", alignment=TA_LEFT, spaceBefore=size * 0.06),
        prose=style(
            "prose",
            alignment=TA_JUSTIFY,
            firstLineIndent=size * 2.5,
            spaceBefore=size * 0.3,
        ),
        item=style(
            "item",
            alignment=TA_LEFT,
            leftIndent=size * 1.2,
            firstLineIndent=-size * 1.2,
            spaceBefore=size * 0.06,
        ),
        cell=style("cell", fontSize=small, leading=small * 1.2),
        cell_center=style("cell_center", fontSize=small, leading=small * 1.2, alignment=TA_CENTER),
        cell_head=style(
            "cell_head", fontName=BOLD, fontSize=small, leading=small * 1.2, alignment=TA_CENTER
        ),
        sign_title=style("sign_title", fontName=BOLD, alignment=TA_CENTER),
        sign_hint=style("sign_hint", fontName=ITALIC, fontSize=small, alignment=TA_CENTER),
        sign_name=style("sign_name", fontName=BOLD, alignment=TA_CENTER),
        recipients=style("recipients", fontSize=small, leading=small * 1.2),
        footer=style("footer", fontName=ITALIC, fontSize=small - 0.5, alignment=TA_CENTER),
    )


def sheet(paper: Paper) -> Sheet:
    """The layout of ``paper``; built on first use and shared afterwards."""
    return _build_sheet(paper)


@functools.cache
def _build_sheet(paper: Paper) -> Sheet:
    register_fonts()
    if paper == "A5":
        width, height = A5
        return Sheet(
            paper,
            width,
            height,
            left=12 * mm,
            right=9 * mm,
            top=8 * mm,
            bottom=8 * mm,
            styles=_styles(size=10, header=9, title=11.5),
            rule_width=0.6,
            bar_module=0.75,
            bar_height=20,
            qr_size=38,
            signature_space=27,
        )
    if paper == "A4":
        width, height = A4
        return Sheet(
            paper,
            width,
            height,
            left=30 * mm,
            right=15 * mm,
            top=20 * mm,
            bottom=20 * mm,
            styles=_styles(size=13, header=12, title=14),
            rule_width=0.75,
            bar_module=0.9,
            bar_height=32,
            qr_size=60,
            signature_space=56,
        )
    raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
