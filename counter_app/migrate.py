"""Schema migrations with Alembic, run on every start.

An installation upgrades its own data directory in place the first time a new
version opens it, so nothing recorded under an older version is lost.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app.errors import StoreUnusable

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_REVISION = re.compile(r"^revision\b[^=\n]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=(.*)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def upgrade_to_head(engine: Engine, database: Path | None = None) -> None:
    """Upgrade unless already current, so a normal start costs one query.

    A store written by a newer version (a schema this one does not know) raises
    ``StoreUnusable`` before anything tries to "upgrade" it.
    """
    head = script_head()
    if head is not None and _stamped_revision(engine) == head:
        log.debug("Lược đồ dữ liệu đã ở phiên bản %s", head)
        return  # the everyday start: no alembic import (~0.2 s of every command)
    from alembic.script import ScriptDirectory

    current = current_revision(engine)
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    if current == scripts.get_current_head():
        return
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        log.error("Tệp dữ liệu có lược đồ %s do phiên bản mới hơn ghi; không nâng cấp", current)
        raise StoreUnusable(
            f"Tệp dữ liệu {database or engine.url.database} do một phiên bản phần mềm quầy "
            f"mới hơn ghi (lược đồ {current}); phiên bản này không đọc được và không sửa gì "
            "vào tệp. Hãy cài phiên bản mới nhất của phần mềm quầy."
        )
    target = scripts.get_current_head()
    log.info("Nâng cấp lược đồ dữ liệu từ %s lên %s", current or "(trống)", target)
    try:
        upgrade(engine)
    except Exception:
        log.exception("Nâng cấp lược đồ dữ liệu lên %s không thành công", target)
        raise
    log.info("Đã nâng cấp lược đồ dữ liệu lên %s", target)


def script_head() -> str | None:
    """The single head of the migration scripts, read from their text without alembic.

    None when the scripts do not show exactly one head (a merge, a file this reading
    does not understand): then alembic decides.
    """
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        downs.update(_QUOTED.findall(down.group(1)))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 else None


def _stamped_revision(engine: Engine) -> str | None:
    """The store's alembic_version by plain SQL; None when it cannot be read this way."""
    # Imported here: ``script_head`` serves a read through sqlite3 alone (counter_app.store_read).
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None  # no table yet, or a damaged file: the full path explains it
    return str(rows[0][0]) if len(rows) == 1 else None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
