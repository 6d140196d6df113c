"""The server's database: engine factory, write transactions and migrations.

SQLite by default (one file, nothing to install for a pilot), PostgreSQL in
production by database URL. On SQLite a write transaction starts with
``BEGIN IMMEDIATE`` so concurrent pushes queue on the busy timeout instead of
failing half-way; on PostgreSQL they run side by side, numbering their
changes from a sequence (see changes.py).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine

from counter_app.store import Sessions, sqlite_engine
from sync.server.models import SeqCounter, ServerMeta

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
EPOCH_KEY = "epoch"
CHANGE_SEQ = "change"
EPOCH_TTL_S = 2.0
APPLICATION_NAME = "province-server"


def normalise_url(url: str) -> str:
    """Accept the plain ``postgresql://`` URL people write; we ship psycopg 3, not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 30) -> Engine:
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return create_engine(
            url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
            # How a pull tells the server's own writers from other work on the cluster.
            connect_args={"application_name": APPLICATION_NAME},
        )
    return sqlite_engine(url, foreign_keys=False, pool_size=pool_size, max_overflow=max_overflow)


class Database(Sessions):
    """Sessions on one server database: short reads, and whole write transactions."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self._epoch: tuple[float, str] | None = None

    @classmethod
    def open(cls, url: str, **engine_options: int) -> Database:
        """Open ``url`` upgraded to the current schema, with an epoch."""
        engine = make_engine(url, **engine_options)
        upgrade_to_head(engine)
        database = cls(engine)
        database.ensure_epoch()
        return database

    def ensure_epoch(self) -> str:
        with self.write() as session:
            row = session.get(ServerMeta, EPOCH_KEY)
            if row is None:
                row = ServerMeta(key=EPOCH_KEY, value=uuid.uuid4().hex)
                session.add(row)
            if session.get(SeqCounter, CHANGE_SEQ) is None:
                session.add(SeqCounter(name=CHANGE_SEQ, value=0))
            return row.value

    def epoch(self) -> str:
        """The epoch, read at most every few seconds: it changes only after a restore."""
        now = time.monotonic()
        if self._epoch is not None and now - self._epoch[0] < EPOCH_TTL_S:
            return self._epoch[1]
        with self.read() as session:
            row = session.get(ServerMeta, EPOCH_KEY)
            assert row is not None, "Database.open sets the epoch"
            value = row.value
        self._epoch = (now, value)
        return value

    def new_epoch(self) -> str:
        """Start a new epoch: every counter then resyncs in full (run after a restore)."""
        with self.write() as session:
            row = session.get(ServerMeta, EPOCH_KEY)
            value = uuid.uuid4().hex
            if row is None:
                session.add(ServerMeta(key=EPOCH_KEY, value=value))
            else:
                row.value = value
        self._epoch = None
        return value

    def close(self) -> None:
        self.engine.dispose()


def utcnow() -> dt.datetime:
    """Naive UTC, as the server stores its own bookkeeping times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    config = alembic_config(engine)
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        command.upgrade(config, "head")
