"""One read of the store through the standard library's sqlite3, without SQLAlchemy.

A command that prints one dossier (``counter-app print receipt CODE``) reads a
handful of rows; importing SQLAlchemy and declaring every model would cost it
several times what the reading and the printing do. So such a command reads
through ``reading`` and the plain-SQL loaders that take a DB-API connection
(``counter_app.dossier_view.read_dossier_view``), the very loaders the window
runs on its session's connection: one read, two ways in.

Only a store at the current schema is read this way. Any other (never
migrated, older, newer, damaged) goes through ``Store.open`` first, which
upgrades it or refuses it in the same words as every other command.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from counter_app import paths
from counter_app.errors import NotInitialised, StoreUnusable

BUSY_TIMEOUT_S = 30.0


def require_store(data_dir: Path) -> None:
    """Raise ``NotInitialised`` unless ``data_dir`` holds a store; creates nothing."""
    if not paths.database_path(data_dir).is_file():
        raise NotInitialised(
            f"Thư mục dữ liệu {data_dir} chưa được khởi tạo (không có tệp "
            f"{paths.DATABASE_FILE}): hãy kiểm tra lại --data-dir, hoặc chạy "
            "'counter-app init' (hay 'counter-app demo' để dùng thử)."
        )


@contextmanager
def reading(data_dir: Path) -> Iterator[sqlite3.Connection]:
    """A connection in one read transaction on the store of ``data_dir``; it writes nothing.

    ``NotInitialised`` for a directory never set up (nothing is created), and
    ``StoreUnusable`` when SQLite refuses the file while it is read.
    """
    require_store(data_dir)
    database = paths.database_path(data_dir)
    if not _at_head(database):
        from counter_app.store import Store

        Store.open(data_dir, create=False).close()
    connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        connection.execute("PRAGMA query_only=ON")
        connection.execute("BEGIN")
        yield connection
    except sqlite3.DatabaseError as exc:
        raise StoreUnusable(explain_sqlite(exc, database)) from None
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.close()


def _at_head(database: Path) -> bool:
    """Whether the store is stamped with the head of the migration scripts (one query)."""
    from counter_app.migrate import script_head

    head = script_head()
    if head is None:
        return False
    try:
        connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT_S)
        try:
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return False  # no table yet, or a damaged file: Store.open explains it
    return len(rows) == 1 and rows[0][0] == head


def explain_sqlite(orig: BaseException | None, database: Path | None = None) -> str:
    """The sentence for a clerk (or the person they call) when SQLite refuses the store.

    Sorted by SQLite's own error name, not the wording of its message.
    """
    where = f"Tệp dữ liệu {database}" if database is not None else "Tệp dữ liệu"
    name = str(getattr(orig, "sqlite_errorname", ""))
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or name.startswith("SQLITE_CORRUPT_"):
        return (
            f"{where} bị hỏng hoặc không phải dữ liệu của phần mềm quầy; phần mềm không ghi gì "
            "vào tệp. Hãy chép lại tệp từ bản sao lưu gần nhất, hoặc gọi quản trị hệ thống."
        )
    if name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_CANTOPEN"):
        return (
            f"{where} chỉ cho đọc hoặc không mở được để ghi (ổ đĩa chỉ đọc, hoặc tài khoản "
            "này không có quyền ghi): hãy kiểm tra quyền của thư mục dữ liệu rồi chạy lại."
        )
    if name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR"):
        return (
            f"Không ghi được vào {where[0].lower()}{where[1:]}: ổ đĩa đã đầy hoặc lỗi ghi đĩa. "
            "Thay đổi vừa rồi chưa được lưu; hãy giải phóng chỗ trống trên ổ đĩa rồi làm lại."
        )
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        return (
            f"{where} đang bị một chương trình khác giữ để ghi quá {BUSY_TIMEOUT_S:g} giây "
            "(một cửa sổ phần mềm quầy khác, hoặc một bản sao lưu đang chạy). Thay đổi vừa rồi "
            "chưa được lưu; hãy đóng chương trình đó hoặc chờ một lát rồi làm lại."
        )
    detail = f" ({orig})" if orig is not None else ""
    return f"{where} không dùng được{detail}; hãy gọi quản trị hệ thống."
