"""Schema migrations with Alembic, run on every start.

An installation upgrades its own data directory in place the first time a new
version opens it, so nothing recorded under an older version is lost.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from counter_app.errors import StoreUnusable

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def upgrade_to_head(engine: Engine, database: Path | None = None) -> None:
    """Upgrade unless already current, so a normal start costs one query.

    A store written by a newer version (a schema this one does not know) raises
    ``StoreUnusable`` before anything tries to "upgrade" it.
    """
    current = current_revision(engine)
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if current == scripts.get_current_head():
        return
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise StoreUnusable(
            f"Tệp dữ liệu {database or engine.url.database} do một phiên bản phần mềm quầy "
            f"mới hơn ghi (lược đồ {current}); phiên bản này không đọc được và không sửa gì "
            "vào tệp. Hãy cài phiên bản mới nhất của phần mềm quầy."
        )
    upgrade(engine)


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
