"""The app each of ``province-server serve --workers N``'s processes builds for itself.

uvicorn starts every worker process afresh and imports the app from a string,
so nothing built in the parent (engine, pool, token cache) crosses over: the
parent upgrades the database once, then hands the workers what ``serve`` was
given through one environment variable, which spawned processes inherit. The
workers share nothing but PostgreSQL and the blob directory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from sync.server.app import create_app
from sync.server.db import Database
from sync.server.settings import ServerLimits

ENV_SETTINGS = "PROVINCE_SERVER_WORKER_SETTINGS"
FACTORY = f"{__name__}:build"


def settings_json(
    database_url: str, blob_dir: Path | str, limits: ServerLimits, engine_options: dict[str, int]
) -> str:
    """What every worker needs to build the same app, as the environment carries it."""
    fields = dataclasses.asdict(limits)
    fields["upload_max_age"] = limits.upload_max_age.total_seconds()
    return json.dumps(
        {
            "database_url": database_url,
            "blob_dir": str(blob_dir),
            "limits": fields,
            "engine": engine_options,
        }
    )


def build() -> FastAPI:
    """The app of one worker, from ``ENV_SETTINGS``; closes its pool when the worker stops."""
    settings: dict[str, Any] = json.loads(os.environ[ENV_SETTINGS])
    fields = dict(settings["limits"])
    fields["upload_max_age"] = dt.timedelta(seconds=fields["upload_max_age"])
    database = Database.open(settings["database_url"], **settings["engine"])
    app = create_app(database, settings["blob_dir"], ServerLimits(**fields))

    def close() -> None:
        app.state.tokens.close()
        database.close()

    app.router.on_shutdown.append(close)
    return app
