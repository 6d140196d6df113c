"""Screens told what changed: a change made on one screen, in a dialog or by a sync pull
reaches the others through the window's change notice, not through the window's wiring."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import SIGNAL, QObject, Qt
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from counter_app.auth import Role, StaffIdentity
from counter_app.changes import EVERYTHING, NOTHING, Changes
from counter_app.clock import FixedClock
from counter_app.fees import RETURN
from counter_app.store import Store
from sync.client.backoff import RetryPolicy
from sync.client.engine import SyncReport
from sync.client.worker import SyncWorker, WorkerSettings
from tests.support.counters import CounterFactory
from tests.support.fees import services_for
from tests.support.returns import results_waiting
from tests.support.server import ThreadedServer
from ui.dossier_list import DossierListWidget
from ui.fee_fields import FeeDialog
from ui.main_window import MainWindow
from ui.reports_screen import ReportsScreen
from ui.returns_screen import ReturnsScreen
from ui.services import CounterServices

pytest_plugins = ["tests.support.sync_fixtures"]


def test_changes_combine_and_say_whether_anything_changed() -> None:
    assert not NOTHING and EVERYTHING
    both = Changes(dossiers=True) | Changes(fees=True)
    assert both == Changes(dossiers=True, fees=True) and both.records
    assert both.kinds == ("dossiers", "fees")
    assert not Changes(users=True).records
    assert SyncReport().changes() == NOTHING, "a sync that stored nothing tells no one"
    pulled = SyncReport(pulled=3).changes()
    assert pulled.dossiers and pulled.documents and pulled.fees and not pulled.catalog


def statuses(listing: DossierListWidget) -> dict[str, str]:
    model = listing.model
    rows = [model.row_at(i) for i in range(model.rowCount())]
    return {row.code: row.status for row in rows if row is not None}


def show_page(window: MainWindow, key: str) -> None:
    window.navigation.setCurrentRow(list(window.pages).index(key))


def test_a_result_returned_refreshes_the_dossier_list_and_the_tally(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    paying, free = results_waiting(store, clock, clerk)
    supervisor = dataclasses.replace(clerk, role=Role.SUPERVISOR)
    services = CounterServices.open(store, clock)
    services.user = supervisor
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    listing, returns, reports = (
        window.pages["dossiers"],
        window.pages["returns"],
        window.pages["reports"],
    )
    assert isinstance(listing, DossierListWidget) and isinstance(returns, ReturnsScreen)
    assert isinstance(reports, ReportsScreen)
    assert statuses(listing)[free] == "result_ready"
    show_page(window, "reports")
    with qtbot.waitSignal(reports.tallyReady, timeout=15_000):
        qtbot.mouseClick(reports.show_button, Qt.MouseButton.LeftButton)
    assert reports.card_values["returned"].text() == "0"

    show_page(window, "returns")
    returns.open_code(free)
    assert returns.current is not None and returns.current.code == free
    heard: list[tuple[Changes, QObject | None]] = []
    services.notice.changed.connect(lambda changes, source: heard.append((changes, source)))
    with qtbot.waitSignal(returns.returned, timeout=15_000):
        qtbot.mouseClick(returns.submit_button, Qt.MouseButton.LeftButton)
    services.runner.wait()
    assert heard == [(Changes(dossiers=True, fees=True), returns)]
    # The list was refreshed by the notice alone: the window routes nothing to it.
    assert statuses(listing)[free] == "returned"
    assert statuses(listing)[paying] == "result_ready"
    # The tally, hidden meanwhile, is computed again (for its own dates) when shown.
    assert reports.driver.stale
    with qtbot.waitSignal(reports.tallyReady, timeout=15_000) as shown:
        show_page(window, "reports")
    assert shown.args[0].total.returned == 1
    assert reports.card_values["returned"].text() == "1" and not reports.driver.stale
    window.close()


def test_a_fee_collected_in_a_dialog_recomputes_the_tally_on_screen(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    paying, _free = results_waiting(store, clock, clerk)
    services = services_for(store, clock, dataclasses.replace(clerk, role=Role.SUPERVISOR))
    reports = ReportsScreen(services, preview=False)
    qtbot.addWidget(reports)
    reports.show()
    with qtbot.waitSignal(reports.tallyReady, timeout=15_000):
        qtbot.mouseClick(reports.show_button, Qt.MouseButton.LeftButton)
    assert reports.card_values["fees"].text() == "0"

    dialog = FeeDialog(services, paying, RETURN)  # the fee owed as the result is handed over
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(reports.tallyReady, timeout=15_000) as shown:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert shown.args[0].total.fees_vnd == 15_000
    assert reports.card_values["fees"].text() == "15.000"
    services.runner.wait()


def test_a_sync_pull_refreshes_the_dossier_list(
    qtbot: QtBot, province: ThreadedServer, make_counter: CounterFactory
) -> None:
    ours, theirs = make_counter("a", slot=1), make_counter("b", slot=2)
    received = {r.code for r in theirs.receive(2)}
    theirs.enrol(province)
    theirs.sync()
    ours.enrol(province)
    services = CounterServices.open(ours.store, ours.clock, ours.data_dir)
    services.user = ours.clerk
    window = MainWindow(services)
    qtbot.addWidget(window)
    listing = window.pages["dossiers"]
    assert isinstance(listing, DossierListWidget) and statuses(listing) == {}
    heard: list[Changes] = []
    services.notice.changed.connect(lambda changes, _source: heard.append(changes))

    settings = WorkerSettings(
        interval_s=3600.0,
        failure_policy=RetryPolicy(base_s=3600.0, cap_s=3600.0),
        step_policy=RetryPolicy(base_s=0.01, cap_s=0.05, deadline_s=5.0),
    )
    window.start_sync(SyncWorker(ours.store, ours.data_dir, settings))
    try:
        qtbot.waitUntil(lambda: set(statuses(listing)) == received, timeout=20_000)
    finally:
        window.close()
        services.runner.wait()
    assert heard and heard[0].dossiers and heard[0].documents and heard[0].fees


def test_a_screen_deleted_at_sign_out_hears_no_more(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services = CounterServices.open(store, clock)
    services.user = clerk
    returns = ReturnsScreen(services, preview=False)
    changed = SIGNAL("changed(PyObject,PyObject)")
    assert services.notice.receivers(changed) == 1, "the screen's driver listens"
    returns.deleteLater()
    qtbot.waitUntil(lambda: not isValid(returns))
    assert services.notice.receivers(changed) == 0, "gone with the screen"
    services.notice.notify(Changes(dossiers=True))  # nobody left to tell: no error
