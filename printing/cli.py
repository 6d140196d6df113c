"""``counter-app print FORM CODE --out FILE.pdf``: the counter's forms, headless."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from counter_app.errors import ValidationError
from counter_app.paths import resolve_data_dir
from counter_app.settings import load_settings
from printing.form_names import FORM_NAMES


def register(commands: Any) -> None:
    printer = commands.add_parser(
        "print",
        help="in một mẫu phiếu ra tệp PDF",
        description="Mẫu: "
        + "; ".join(f"{k} (mẫu {number}: {title})" for k, (number, title) in FORM_NAMES.items()),
    )
    printer.add_argument("form", choices=list(FORM_NAMES), help="mẫu phiếu")
    printer.add_argument("code", help="mã hồ sơ")
    printer.add_argument("--out", required=True, help="tệp PDF sẽ ghi")
    printer.add_argument("--paper", choices=["A5", "A4"], help="khổ giấy (mặc định theo cài đặt)")
    printer.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # reportlab loads only when a form is printed, not with every command's parser. The
    # dossier is read through sqlite3 alone (counter_app.store_read): SQLAlchemy and the
    # models would cost this command more than the reading and the printing do.
    from counter_app.dossier_view import read_dossier_view
    from counter_app.store_read import reading
    from printing.prepare import render_view

    data_dir = resolve_data_dir(args.data_dir)
    with reading(data_dir) as db:
        view = read_dossier_view(db, args.code)
    settings = load_settings(data_dir)
    if args.paper:
        settings = replace(settings, paper=args.paper)
    pdf = render_view(args.form, view, settings)
    out = Path(args.out)
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise ValidationError(
            {"--out": f"Không ghi được tệp {out}: {exc.strerror}. Hãy chọn một thư mục có sẵn."}
        ) from None
    print(f"Đã in {FORM_NAMES[args.form][1]} của hồ sơ {args.code} ra {out}")
    return 0
