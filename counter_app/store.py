"""The local SQLite store: engine factory, sessions and start-up migration.

SQLite allows one writer at a time. Write transactions begin with
``BEGIN IMMEDIATE`` so two writers queue on the busy timeout instead of one
failing half-way with "database is locked" after it has already read; read
sessions begin deferred and never block a writer (WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from counter_app import paths, private
from counter_app.errors import StoreUnusable
from counter_app.list_index import register_functions
from counter_app.os_errors import os_reason
from counter_app.store_read import BUSY_TIMEOUT_S as BUSY_TIMEOUT_S
from counter_app.store_read import explain_sqlite
from counter_app.store_read import require_store as require_store

CACHE_KIB = 32 * 1024  # per connection, filled only as pages are read
# The counter's store syncs the WAL on every commit: with NORMAL, SQLite documents that
# a power cut may roll back the last committed transactions, and a dossier code already
# printed on a citizen's receipt could then be given out again. bench/durability.py
# measures what FULL costs a reception (one fsync of the WAL per commit).
COUNTER_SYNCHRONOUS = "FULL"
# Execution option of the engine that write sessions bind to: their BEGIN is IMMEDIATE.
IMMEDIATE = "begin_immediate"


def sqlite_engine(
    url: str, *, foreign_keys: bool = True, synchronous: str = "NORMAL", **pool: int
) -> Engine:
    """SQLite in WAL mode with a busy timeout, where SQLAlchemy issues BEGIN itself.

    Shared with the provincial server's SQLite mode, which has no foreign keys
    declared and sizes its pool for many counters at once.
    """
    if synchronous not in ("NORMAL", "FULL"):
        raise ValueError(f"synchronous={synchronous!r}")
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        if foreign_keys:
            cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        # SQLite's default page cache is 2 MB; a store of a few years holds millions of
        # events under four indexes, and a catch-up inserting tens of thousands of them
        # went to the OS for index pages all the time.
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cursor.close()
        register_functions(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def make_engine(url: str, *, synchronous: str = COUNTER_SYNCHRONOUS) -> Engine:
    """An engine for the local store; SQLite gets WAL, foreign keys and explicit BEGIN.

    Every commit is durable before it returns (``synchronous=FULL``): a reception's
    code goes onto paper right after, and paper cannot be rolled back.
    """
    if not url.startswith("sqlite"):
        return create_engine(url)
    return sqlite_engine(url, synchronous=synchronous)


class Sessions:
    """Read sessions and whole write transactions on one engine (the server's too)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(
            bind=engine.execution_options(**{IMMEDIATE: True}), expire_on_commit=False
        )

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything it changes is rolled back."""
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back whole on any error."""
        with self._write() as session, session.begin():
            yield session


class Store(Sessions):
    """One local store: hands out read sessions and serialized write transactions."""

    def __init__(self, engine: Engine, data_dir: Path | None = None) -> None:
        super().__init__(engine)
        self.data_dir = data_dir

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = True) -> Store:
        """Open the store in ``data_dir``, upgraded to the current schema.

        ``create=False`` is for every command but the ones that set a counter up:
        a data directory never set up is refused with ``NotInitialised`` and no file
        is made (a mistyped --data-dir must not leave an empty store behind). A file
        that cannot serve as the store raises ``StoreUnusable`` before anything is
        written to it.
        """
        from counter_app.migrate import upgrade_to_head

        database = paths.database_path(data_dir)
        if not create:
            require_store(data_dir)
        try:
            _make_private(data_dir)
        except OSError as exc:
            raise StoreUnusable(
                f"Không tạo được thư mục dữ liệu {data_dir}: {os_reason(exc)}."
            ) from None
        engine = make_engine(paths.database_url(data_dir))
        try:
            upgrade_to_head(engine, database)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreUnusable(explain(exc, database)) from None
        except StoreUnusable:
            engine.dispose()
            raise
        return cls(engine, data_dir)

    def close(self) -> None:
        self.engine.dispose()


def explain(exc: SQLAlchemyError, database: Path | None = None) -> str:
    """The sentence for a clerk (or the person they call) when SQLite refuses the store."""
    return explain_sqlite(exc.orig if isinstance(exc, DBAPIError) else None, database)


def _make_private(data_dir: Path) -> None:
    """The data directory and the database are the owner's only (see ``counter_app.private``).

    The database file is created 0600 before SQLite opens it, so its -wal and
    -shm are born 0600 too; an older directory (0755/0644) is put right here.
    """
    blobs = data_dir / paths.BLOB_DIR
    loose = blobs.is_dir() and blobs.stat().st_mode & 0o077
    private.make_dir(data_dir, root=True)
    database = paths.database_path(data_dir)
    private.create_file(database)
    for suffix in ("-wal", "-shm"):
        private.restrict(database.with_name(database.name + suffix))
    if loose:
        private.restrict_tree(blobs)
