"""``counter-app print FORM CODE --out FILE.pdf``: the counter's forms, headless."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app.errors import ValidationError
from counter_app.paths import resolve_data_dir
from counter_app.settings import load_settings
from printing.form_names import FORM_NAMES

if TYPE_CHECKING:
    from counter_app.store import Store
    from printing.paper import Paper  # reportlab: not for every command's parser

SEPARATOR = "separator"


def register(commands: Any) -> None:
    printer = commands.add_parser(
        "print",
        help="in một mẫu phiếu ra tệp PDF",
        description="Mẫu: "
        + "; ".join(f"{k} (mẫu {number}: {title})" for k, (number, title) in FORM_NAMES.items())
        + f"; {SEPARATOR} (phiếu tách giấy tờ khi scan cả xấp, cần --document N)",
    )
    forms = [*FORM_NAMES, SEPARATOR]
    printer.add_argument(
        "form", choices=forms, metavar="MẪU", help="mẫu phiếu: " + ", ".join(forms)
    )
    printer.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ (phiếu tách: cả mã hồ sơ nháp)")
    printer.add_argument(
        "--document", type=int, metavar="N", help="phiếu tách: số thứ tự giấy tờ trong hồ sơ"
    )
    printer.add_argument("--out", required=True, metavar="TỆP", help="tệp PDF sẽ ghi")
    printer.add_argument(
        "--paper",
        choices=["A5", "A4"],
        metavar="KHỔ",
        help="khổ giấy A5 hoặc A4 (mặc định theo cài đặt)",
    )
    printer.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # reportlab loads only when a form is printed, not with every command's parser. The
    # dossier is read through sqlite3 alone (counter_app.store_read): SQLAlchemy and the
    # models would cost this command more than the reading and the printing do.
    from counter_app.dossier_view import read_dossier_view
    from counter_app.store_read import reading
    from printing.prepare import render_view

    data_dir = resolve_data_dir(args.data_dir)
    settings = load_settings(data_dir)
    if args.paper:
        settings = replace(settings, paper=args.paper)
    if args.form == SEPARATOR:  # a draft has no code yet: read through the store
        from counter_app.store import Store

        store = Store.open(data_dir, create=False)
        pdf = _separator(store, args, "A4" if settings.paper == "A4" else "A5")
        title = f"phiếu tách giấy tờ số {args.document}"
    else:
        if getattr(args, "document", None) is not None:
            raise ValidationError({"--document": "Chỉ phiếu tách (separator) mới cần --document."})
        with reading(data_dir) as db:
            view = read_dossier_view(db, args.code)
        pdf = render_view(args.form, view, settings)
        title = FORM_NAMES[args.form][1]
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise ValidationError(
            {"--out": f"Không ghi được tệp {out}: {exc.strerror}. Hãy chọn một thư mục có sẵn."}
        ) from None
    print(f"Đã in {title} của hồ sơ {args.code} ra {out}")
    return 0


def _separator(store: Store, args: argparse.Namespace, paper: Paper) -> bytes:
    from counter_app.attachments import AttachmentService
    from counter_app.clock import SystemClock
    from counter_app.separator_view import load_separator_view
    from printing.separator import separator_pdf

    if args.document is None:
        raise ValidationError(
            {"--document": "Phiếu tách cần số thứ tự giấy tờ: thêm --document N (1, 2, …)."}
        )
    try:
        service = AttachmentService(store, SystemClock())
        view = load_separator_view(service, args.code, args.document)
    except ValueError as exc:
        raise ValidationError({"code": f"Không in được phiếu tách: {exc}."}) from None
    return separator_pdf(view, paper)
