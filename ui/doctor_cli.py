"""``counter-app doctor``: the preflight check in a terminal, for IT staff and scripts.

Declared by the window's plugin (``ui.launcher.register``) because its checks are
put together in ``ui.preflight``; this module is imported only when the command
runs. Exit status: 0 when everything required is there (warnings allowed), 1
when something required fails (``--strict``: anything warns too).
"""

from __future__ import annotations

import argparse


def cmd_doctor(args: argparse.Namespace) -> int:
    from counter_app.doctor import text_report
    from counter_app.paths import resolve_data_dir
    from ui.preflight import run_preflight

    data_dir = resolve_data_dir(args.data_dir)
    report = run_preflight(data_dir, server=args.server)
    print(f"Kiểm tra máy — thư mục dữ liệu {data_dir}")
    print(text_report(report))
    return report.exit_status(strict=args.strict)
