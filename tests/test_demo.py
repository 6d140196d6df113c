"""``counter-app demo`` fills only a data directory made for the demo, never a real counter's."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from counter_app.models import Dossier, StaffUser
from counter_app.paths import ENROLMENT_FILE
from counter_app.store import Store
from sync.client.credentials import CREDENTIALS_FILE
from tests.support.cli import run


def test_demo_refuses_a_real_counters_data_directory(initialised: Path) -> None:
    refused = run("--data-dir", str(initialised), "demo")
    assert refused.returncode == 2
    assert "quầy thật" in refused.stderr
    store = Store.open(initialised)
    with store.read() as session:
        assert session.scalars(select(Dossier)).all() == []
    with store.read() as session:
        names = set(session.scalars(select(StaffUser.username)))
    assert names == {"admin"}, "no account with the published password"
    store.close()


def test_demo_refuses_an_enrolled_data_directory_even_if_made_for_the_demo(
    tmp_path: Path,
) -> None:
    assert ENROLMENT_FILE == CREDENTIALS_FILE
    data = tmp_path / "demo"
    data.mkdir()
    (data / ENROLMENT_FILE).write_text("{}", encoding="utf-8")
    refused = run("--data-dir", str(data), "demo")
    assert refused.returncode == 2 and "quầy thật" in refused.stderr
