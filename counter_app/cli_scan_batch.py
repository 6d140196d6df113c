"""``counter-app scan-batch``: a scanned stack filed at its separator sheets, headless.

The same ``ScanBatch`` the window's batch button runs; what cannot be filed is
copied to ``<data dir>/scan-set-aside/<time>/`` with a ``LY-DO.txt`` saying why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from counter_app.cli_auth import add_user_option


def register(commands: Any) -> None:
    batch = commands.add_parser(
        "scan-batch",
        help="tách một xấp đã scan theo các phiếu tách và đính kèm từng giấy tờ vào hồ sơ",
        description="Ví dụ: counter-app scan-batch --user hoa.lt xap-scan.pdf. In phiếu tách "
        "bằng: counter-app print separator MÃ-HỒ-SƠ --document N --out phieu.pdf",
    )
    batch.add_argument(
        "files", nargs="+", metavar="TỆP", help="các tệp scan (PDF, JPEG, PNG, TIFF), theo thứ tự"
    )
    batch.add_argument(
        "--keep-blank",
        action="store_true",
        help="giữ cả trang trắng (mặc định theo cài đặt số hóa: bỏ trang trắng)",
    )
    add_user_option(batch)
    batch.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    batch.set_defaults(handler=run_scan_batch)


def run_scan_batch(args: argparse.Namespace) -> int:
    # Everything past the parser loads only when a batch is filed (cold start of other commands).
    from counter_app.attachments import AttachmentService
    from counter_app.cli_auth import authenticate
    from counter_app.clock import SystemClock
    from counter_app.digitize_settings import load_digitize_settings
    from counter_app.paths import resolve_data_dir
    from counter_app.scan_batch import SET_ASIDE_FOLDER, ScanBatch, describe
    from counter_app.store import Store

    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir, create=False)
    actor = authenticate(args, store)
    service = AttachmentService(store, SystemClock())
    settings = load_digitize_settings(data_dir)
    keep_blank = args.keep_blank or not settings.drop_blank_pages
    batch = ScanBatch(service, settings, actor, data_dir / SET_ASIDE_FOLDER, keep_blank=keep_blank)
    report = batch.file([Path(name) for name in args.files])
    for line in describe(report):
        print(line)
    if report.set_aside:
        for item in report.set_aside:
            where = f"{item.source}, trang {item.page}" if item.page else item.source
            print(f"Để riêng: {where}: {item.reason}", file=sys.stderr)
        print(
            f"Các trang để riêng được chép vào {report.folder}; hãy xem LY-DO.txt, in lại "
            "phiếu tách hoặc đính kèm bằng tay.",
            file=sys.stderr,
        )
        return 1
    return 0
