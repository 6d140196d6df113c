"""What every screen is handed: the store, the services and who is logged in.

Built once by the launcher (or a test) and passed into constructors; there is
no global application object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from counter_app.auth import StaffIdentity
from counter_app.calendar_source import CalendarSource
from counter_app.clock import Clock
from counter_app.dossiers import DossierService
from counter_app.installation import CounterContext, load_context
from counter_app.reception import ReceptionService
from counter_app.settings import Settings, load_settings
from counter_app.store import Store
from ui.change_notice import ChangeNotice
from ui.operations import Operations


@dataclass
class CounterServices:
    store: Store
    clock: Clock
    context: CounterContext
    settings: Settings
    runner: Operations
    reception: ReceptionService
    dossiers: DossierService
    user: StaffIdentity | None = field(default=None)

    @classmethod
    def open(cls, store: Store, clock: Clock, data_dir: Path | None = None) -> CounterServices:
        with store.read() as session:
            context = load_context(session)
        settings = load_settings(data_dir) if data_dir else Settings()
        calendar = CalendarSource()
        return cls(
            store=store,
            clock=clock,
            context=context,
            settings=settings,
            runner=Operations(),
            reception=ReceptionService(store, clock, calendar),
            dossiers=DossierService(store, clock, calendar),
        )

    @property
    def notice(self) -> ChangeNotice:
        """What every screen listens to for changes made elsewhere (``ui/change_notice.py``)."""
        return self.runner.notice

    @property
    def identity(self) -> StaffIdentity:
        assert self.user is not None, "no one is logged in"
        return self.user
