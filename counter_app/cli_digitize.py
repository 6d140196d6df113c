"""``counter-app attach``, ``digitize-result``, ``verify`` and ``gc-blobs``: digitizing, headless.

``attach`` goes through the very functions the digitizing screen uses (check,
assemble, store, link), so a PDF made here and one made at the screen from the
same files are the same blob; ``digitize-result`` does the same for the scan
of a dossier's result, as the returns screen does (``counter_app.result_scans``).
``attach``, ``digitize-result`` and ``gc-blobs`` change data, so they run as a
staff member who gives their password (``counter_app.cli_auth``); ``verify``
only reads.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app.cli_auth import add_user_option, authenticate
from counter_app.clock import SystemClock
from counter_app.digitize_settings import load_digitize_settings
from counter_app.paths import resolve_data_dir
from counter_app.roles import Role

if TYPE_CHECKING:
    from counter_app.attachments import AttachmentService
    from counter_app.digitize_settings import DigitizeSettings
    from counter_app.signed_copies import CheckedDocument


def register(commands: Any) -> None:
    attach = commands.add_parser(
        "attach",
        help="ghép các tệp ảnh/PDF thành một PDF và đính kèm vào một giấy tờ của hồ sơ",
        description="Ví dụ: counter-app attach 000.00.11.H57-261116-1001 --document 2 "
        "trang1.jpg trang2.jpg",
    )
    attach.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ (hoặc mã hồ sơ nháp)")
    attach.add_argument(
        "--document",
        type=int,
        required=True,
        metavar="N",
        help="số thứ tự của giấy tờ trong danh mục của hồ sơ (1, 2, …)",
    )
    attach.add_argument("files", nargs="+", metavar="TỆP", help="ảnh JPEG/PNG/TIFF hoặc PDF")
    _add_scan_options(attach)
    attach.set_defaults(handler=run_attach)

    result = commands.add_parser(
        "digitize-result",
        help="ghép các tệp ảnh/PDF thành bản số hóa kết quả giải quyết của một hồ sơ",
        description="Ví dụ: counter-app digitize-result 000.00.11.H57-261116-1001 "
        "giay-khai-sinh.pdf. Hồ sơ phải đã có kết quả; bản số hóa cũ (nếu có) được thay.",
    )
    result.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ đã có kết quả")
    result.add_argument(
        "files", nargs="*", metavar="TỆP", help="ảnh JPEG/PNG/TIFF hoặc PDF của kết quả"
    )
    result.add_argument(
        "--remove", action="store_true", help="gỡ bản số hóa kết quả của hồ sơ (không cần tệp)"
    )
    _add_scan_options(result)
    result.set_defaults(handler=run_digitize_result)

    verify = commands.add_parser(
        "verify", help="kiểm tra mọi tệp đính kèm theo mã băm; báo tệp thiếu hoặc hỏng"
    )
    verify.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    verify.set_defaults(handler=run_verify)

    collect = commands.add_parser(
        "gc-blobs", help="xóa các tệp đính kèm không còn hồ sơ nào dùng đến"
    )
    add_user_option(collect)
    collect.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )
    collect.set_defaults(handler=run_gc)

    from counter_app import cli_scan_batch, cli_sign

    cli_scan_batch.register(commands)
    cli_sign.register(commands)


def _add_scan_options(parser: Any) -> None:
    """The options every command that assembles scans takes, with the user and data folder."""
    add_user_option(parser)
    parser.add_argument("--dpi", type=int, metavar="DPI", help="độ phân giải khi phải nén lại ảnh")
    parser.add_argument(
        "--jpeg-quality", type=int, metavar="CHẤT_LƯỢNG", help="chất lượng JPEG khi nén lại (30-95)"
    )
    quality = parser.add_mutually_exclusive_group()
    quality.add_argument(
        "--compact",
        action="store_true",
        help="nén cho nhẹ: trang chữ thành đen trắng 300 dpi, ảnh thành JPEG (mặc định)",
    )
    quality.add_argument(
        "--lossless",
        action="store_true",
        help="giữ nguyên từng điểm ảnh của bản scan (tệp lớn hơn nhiều)",
    )
    parser.add_argument(
        "--keep-invalid-signature",
        action="store_true",
        help="vẫn đính kèm tệp PDF có chữ ký số không hợp lệ (chữ ký hỏng được ghi lại)",
    )
    parser.add_argument(
        "--data-dir", default=argparse.SUPPRESS, metavar="THƯ_MỤC", help="thư mục dữ liệu"
    )


def _scan_settings(args: argparse.Namespace, data_dir: Path) -> DigitizeSettings:
    """This counter's digitizing settings with the command's overrides."""
    settings = load_digitize_settings(data_dir)
    overrides: dict[str, Any] = {
        "compact": (settings.compact or args.compact) and not args.lossless
    }
    if args.dpi is not None:
        overrides["dpi"] = args.dpi
    if args.jpeg_quality is not None:
        overrides["jpeg_quality"] = args.jpeg_quality
    return replace(settings, **overrides).validated()


def _refused_files(exc: Exception) -> int:
    """Say why the files were refused, file by file, and that nothing was kept."""
    from counter_app.signed_copies import InvalidSignature

    if isinstance(exc, InvalidSignature):
        for name, status in exc.statuses.items():
            print(f"Lỗi: {status.describe(name)}", file=sys.stderr)
        print(
            "Chưa lưu gì; nếu vẫn muốn đính kèm, chạy lại với --keep-invalid-signature "
            "(chữ ký hỏng sẽ được ghi lại).",
            file=sys.stderr,
        )
        return 2
    for line in str(exc).splitlines():
        print(f"Lỗi: {line}", file=sys.stderr)
    print("Chưa lưu gì; hãy sửa các tệp trên rồi chạy lại.", file=sys.stderr)
    return 2


def _service(args: argparse.Namespace) -> tuple[AttachmentService, Path]:
    # Pillow, the assembler and the store load only for a command that uses them.
    from counter_app.attachments import AttachmentService
    from counter_app.store import Store

    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir, create=False)
    return AttachmentService(store, SystemClock()), data_dir


def run_attach(args: argparse.Namespace) -> int:
    from counter_app.intake import BadFile, format_size
    from counter_app.signed_copies import InvalidSignature, attach_checked
    from counter_app.signing import load_signing_settings

    service, data_dir = _service(args)
    settings = _scan_settings(args, data_dir)
    actor = authenticate(args, service.store)
    try:
        target, checked = attach_checked(
            service,
            args.code,
            args.document,
            [Path(f) for f in args.files],
            actor,
            settings,
            load_signing_settings(data_dir),
            keep_invalid=args.keep_invalid_signature,
        )
    except (BadFile, InvalidSignature) as exc:
        return _refused_files(exc)
    pdf = checked.pdf
    _tell_signatures(checked)
    slot = target.slot(args.document)
    where = f"hồ sơ {target.code}" if target.code else f"hồ sơ nháp {target.id}"
    print(
        f"Đã đính kèm vào {where}, giấy tờ {slot.number} ({slot.name}): "
        f"{pdf.page_count} trang, {format_size(pdf.size)}, SHA-256 {pdf.sha256}"
    )
    return 0


def _tell_signatures(checked: CheckedDocument) -> None:
    for name, status in checked.signatures.items():
        print(status.describe(name))
    for name in checked.lost_signatures():
        print(
            f"Lưu ý: tệp {name} được ghép cùng tệp khác nên bản PDF đính kèm không còn "
            "chữ ký số của tệp đó; hãy đính kèm riêng tệp đã ký để giữ chữ ký."
        )


def run_digitize_result(args: argparse.Namespace) -> int:
    from counter_app.intake import BadFile, format_size
    from counter_app.result_scans import ResultScanService
    from counter_app.signed_copies import InvalidSignature, attach_result_checked
    from counter_app.signing import load_signing_settings
    from counter_app.store import Store

    if bool(args.files) == bool(args.remove):
        print(
            "Lỗi: hãy đưa các tệp ảnh/PDF của kết quả, hoặc chỉ --remove để gỡ bản số hóa "
            "kết quả (không kèm tệp).",
            file=sys.stderr,
        )
        return 2
    data_dir = resolve_data_dir(args.data_dir)
    store = Store.open(data_dir, create=False)
    service = ResultScanService(store, SystemClock())
    actor = authenticate(args, store)
    if args.remove:
        scan = service.detach(args.code, actor)
        print(f"Đã gỡ bản số hóa kết quả của hồ sơ {scan.code}.")
        return 0
    try:
        scan, checked = attach_result_checked(
            service,
            args.code,
            [Path(f) for f in args.files],
            actor,
            _scan_settings(args, data_dir),
            load_signing_settings(data_dir),
            keep_invalid=args.keep_invalid_signature,
        )
    except (BadFile, InvalidSignature) as exc:
        return _refused_files(exc)
    _tell_signatures(checked)
    pdf = checked.pdf
    print(
        f"Đã số hóa kết quả của hồ sơ {scan.code}: {pdf.page_count} trang, "
        f"{format_size(pdf.size)}, SHA-256 {pdf.sha256}"
    )
    return 0


def run_verify(args: argparse.Namespace) -> int:
    service, _ = _service(args)
    report = service.verify()
    for title, problems in (("THIẾU", report.missing), ("HỎNG", report.corrupt)):
        for sha256, used_by in problems.items():
            where = "; ".join(used_by) or "không hồ sơ nào dùng"
            print(f"{title}\t{sha256}\t{where}")
    print(
        f"Đã kiểm tra {report.checked} tệp: thiếu {len(report.missing)}, hỏng "
        f"{len(report.corrupt)}, không hồ sơ nào dùng {report.unreferenced}, "
        f"chỉ có trên máy chủ tỉnh {report.elsewhere}."
    )
    if not report.ok:
        print(
            "Có tệp thiếu hoặc hỏng: hãy số hóa lại giấy tờ của các hồ sơ trên, "
            "hoặc chép lại thư mục blobs từ bản sao lưu.",
            file=sys.stderr,
        )
        return 1
    return 0


def run_gc(args: argparse.Namespace) -> int:
    from counter_app.intake import format_size

    service, _ = _service(args)
    actor = authenticate(args, service.store, {Role.ADMIN})
    report = service.collect_garbage(actor=actor.username)
    print(
        f"Đã xóa {len(report.removed)} tệp không còn dùng ({format_size(report.bytes_freed)}); "
        f"giữ lại {report.kept_recent} tệp mới tạo trong một giờ qua."
    )
    return 0
