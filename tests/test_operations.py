"""The operation helper: one writer, a compute pool, results on the GUI thread, never to a
closed widget; and a reception save that does not wait for a scan being put together."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from counter_app.assembly import assemble
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import NotFound
from counter_app.store import Store
from ui.operations import CancelFlag, Cancelled, Operations
from ui.page_strip import prepare_file
from ui.reception_screen import ReceptionScreen
from ui.services import CounterServices


@pytest.fixture
def ops() -> Iterator[Operations]:
    hub = Operations(compute_threads=2)
    yield hub
    hub.wait()


class Screen(QWidget):
    """A screen as the window has them: errors go out on ``failed``. Signals: failed(str)."""

    failed = Signal(str)


def on_gui_thread() -> bool:
    return QThread.currentThread() is QApplication.instance().thread()


def test_the_result_comes_back_on_the_gui_thread(qtbot: QtBot, ops: Operations) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    worked_on: list[bool] = []
    results: list[tuple[int, bool]] = []

    def work() -> int:
        worked_on.append(on_gui_thread())
        return 6 * 7

    ops.compute(owner, work).on_success(lambda n: results.append((n, on_gui_thread()))).run()
    assert ops.busy
    qtbot.waitUntil(lambda: bool(results))
    assert worked_on == [False], "the work ran off the GUI thread"
    assert results == [(42, True)]
    assert not ops.busy


def test_a_failure_nobody_handles_goes_to_the_screens_failed_signal(
    qtbot: QtBot, ops: Operations
) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    said: list[str] = []
    screen.failed.connect(said.append)

    def not_there() -> None:
        raise NotFound("Không tìm thấy hồ sơ mã X.")

    def broken() -> None:
        raise ZeroDivisionError("0 trang")

    ops.write(screen, not_there).run()
    ops.compute(screen, broken).run()
    qtbot.waitUntil(lambda: len(said) == 2)
    assert "Không tìm thấy hồ sơ mã X." in said
    [other] = [text for text in said if "mã X" not in text]
    assert other == ("Không làm được việc này (0 trang); những gì đã nhập vẫn còn, hãy thử lại."), (
        "in Vietnamese, never a traceback"
    )


def test_without_a_failed_signal_the_failure_is_a_warning_over_the_owner(
    qtbot: QtBot, ops: Operations
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    seen: list[tuple[str, str]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append((box.windowTitle(), box.text()))
        box.accept()

    def refused() -> None:
        raise NotFound("Không tìm thấy hồ sơ mã Y.")

    QTimer.singleShot(0, answer)
    ops.write(owner, refused).run()
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert seen == [("Không làm được", "Không tìm thấy hồ sơ mã Y.")]


def test_on_failure_replaces_the_default_display(qtbot: QtBot, ops: Operations) -> None:
    screen = Screen()
    qtbot.addWidget(screen)
    said: list[str] = []
    screen.failed.connect(said.append)
    errors: list[Exception] = []

    def refused() -> None:
        raise NotFound("Không tìm thấy.")

    ops.write(screen, refused).on_failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], NotFound) and said == []


def test_the_writer_runs_one_write_at_a_time_in_the_order_asked(
    qtbot: QtBot, ops: Operations
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    lock = threading.Lock()
    inside, most, order = [0], [0], []
    done: list[int] = []

    def write(n: int) -> int:
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        total = sum(i * i for i in range(20_000))  # long enough to overlap were it allowed
        with lock:
            order.append(n)
            inside[0] -= 1
        return total

    for n in range(8):
        ops.write(owner, lambda n=n: write(n)).on_success(lambda _t, n=n: done.append(n)).run()
    qtbot.waitUntil(lambda: len(done) == 8, timeout=10_000)
    assert most == [1], "never two writes at once"
    assert order == list(range(8)) and done == list(range(8))


def test_callbacks_never_reach_a_widget_closed_meanwhile(qtbot: QtBot, ops: Operations) -> None:
    dialog = Screen()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    release, started = threading.Event(), threading.Event()
    reached: list[str] = []

    def slow() -> str:
        started.set()
        release.wait(10)
        raise ZeroDivisionError("would be shown")

    ops.compute(dialog, slow).on_success(reached.append).on_failure(
        lambda error: reached.append(str(error))
    ).run()
    ops.write(dialog, lambda: "stored").on_success(reached.append).run()
    assert started.wait(5)
    qtbot.waitUntil(lambda: reached == ["stored"])
    with qtbot.waitSignal(dialog.destroyed):
        dialog.close()  # deleted once the event loop runs again
    release.set()
    assert ops.wait()
    assert reached == ["stored"], "neither the failure nor its default display reached it"
    assert not ops.busy


def test_quick_work_shows_no_progress_and_slow_work_does(qtbot: QtBot, ops: Operations) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    done: list[object] = []
    ops.compute(owner, lambda: 1).with_progress("Nhanh").on_success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))
    qtbot.wait(600)
    assert owner.findChildren(QProgressDialog) == []

    release = threading.Event()
    ops.compute(owner, lambda: release.wait(10)).with_progress(
        "Đang lập sổ theo dõi hồ sơ…"
    ).on_success(done.append).run()
    qtbot.waitUntil(lambda: progress_of(owner) is not None, timeout=5_000)
    dialog = progress_of(owner)
    assert dialog is not None and dialog.labelText() == "Đang lập sổ theo dõi hồ sơ…"
    assert dialog.findChild(QPushButton) is None, "no cancel button for work that cannot stop"
    release.set()
    qtbot.waitUntil(lambda: len(done) == 2)
    qtbot.waitUntil(lambda: progress_of(owner) is None)


def progress_of(owner: QWidget) -> QProgressDialog | None:
    shown = [d for d in owner.findChildren(QProgressDialog) if d.isVisible()]
    return shown[0] if shown else None


def test_cancel_stops_work_that_checks_its_flag(qtbot: QtBot, ops: Operations) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()
    flag = CancelFlag()
    steps: list[int] = []
    outcome: list[str] = []

    def pages() -> int:
        for step in range(10_000):
            flag.check()
            steps.append(step)
            threading.Event().wait(0.01)
        return len(steps)

    ops.compute(owner, pages).with_progress("Đang đọc chữ…", cancel=flag).on_success(
        lambda _n: outcome.append("done")
    ).on_cancelled(lambda: outcome.append("cancelled")).run()
    qtbot.waitUntil(lambda: progress_of(owner) is not None, timeout=5_000)
    dialog = progress_of(owner)
    assert dialog is not None
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Hủy"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcome), timeout=5_000)
    assert outcome == ["cancelled"] and len(steps) < 10_000
    qtbot.waitUntil(lambda: progress_of(owner) is None)


def test_work_cancelled_while_it_waits_its_turn_never_runs(qtbot: QtBot, ops: Operations) -> None:
    owner = QObject()
    release, started = threading.Event(), threading.Event()
    ran: list[str] = []
    outcome: list[str] = []

    def first() -> None:
        started.set()
        release.wait(10)

    flag = CancelFlag()
    ops.write(owner, first).run()
    assert started.wait(5)
    ops.write(owner, lambda: ran.append("second")).cancellable(flag).on_cancelled(
        lambda: outcome.append("cancelled")
    ).run()
    flag.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(outcome))
    assert ran == [] and outcome == ["cancelled"]
    with pytest.raises(Cancelled):
        flag.check()


# A reception save does not wait for digitizing --------------------------------------


def scanned_page(seed: int) -> bytes:
    """A greyscale A4-ish page of text lines, as a scanner gives it."""
    page = Image.new("L", (1240, 1754), 250)
    draw = ImageDraw.Draw(page)
    for line in range(40):
        y = 80 + line * 40
        draw.text((90, y), f"Dong {line} cua trang {seed}: giay khai sinh ban sao", fill=20)
        draw.line((90, y + 28, 90 + (seed * 37 + line * 53) % 1000, y + 28), fill=60)
    out = io.BytesIO()
    page.save(out, "PNG")
    return out.getvalue()


def test_a_reception_save_completes_while_a_long_assembly_is_still_running(
    qtbot: QtBot, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    services = CounterServices.open(store, clock)
    services.user = clerk
    screen = ReceptionScreen(services)
    qtbot.addWidget(screen)
    screen.show()

    # The digitize screen's own work, on the same helper: check and shrink scanned pages
    # (page_strip.prepare_file) and put them together (assembly.assemble), round after
    # round until the test has seen the save through.
    settings, scans = DigitizeSettings(), [scanned_page(seed) for seed in range(3)]
    started, release = threading.Event(), threading.Event()
    rounds: list[int] = []

    def digitize() -> int:
        started.set()
        count = 0
        while not release.is_set() and count < 500:
            prepared = [
                prepare_file(settings, name=f"scan-{count}-{n}.png", content=scan)
                for n, scan in enumerate(scans)
            ]
            assemble([ref for one in prepared for ref, _thumb in one.pages()], settings)
            count += 1
        return count

    digitizing = services.runner.compute(screen, digitize).on_success(rounds.append)
    digitizing.run()
    assert started.wait(10)

    form = screen.form
    qtbot.keyClicks(form.picker.field, "dang ky khai sinh")
    qtbot.keyClick(form.picker.field, Qt.Key.Key_Return)
    assert form.picker.chosen_code == "1.001193"
    form.full_name.setText("Trần Thị Mai")
    form.cccd.setText("001190012345")
    form.address.setText("Số 12 đường Lê Lợi")
    form.checklist.tick_all()
    with qtbot.waitSignal(screen.received, timeout=20_000) as saved:
        screen.submit()

    assert saved.args[0].code.endswith("-1001")
    assert rounds == [], "the save finished while the pages were still being put together"
    assert services.runner.busy
    release.set()
    qtbot.waitUntil(lambda: bool(rounds), timeout=60_000)
    assert rounds[0] >= 1, "the assembly did real rounds of work"
    services.runner.wait()
