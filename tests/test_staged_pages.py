"""Who staged pages belong to, and pages kept for later surviving a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.assembly import pages_of
from counter_app.digitize_settings import DigitizeSettings
from counter_app.errors import CounterError
from counter_app.intake import inspect_content
from counter_app.staged_pages import (
    STAGED_DIR,
    HeldPageStore,
    TrayChoice,
    choices,
    hold,
    must_ask,
)
from tests.support import digitize_files as files
from tests.support.counter_store import MONDAY_MORNING


@pytest.mark.parametrize(
    ("owner", "staged", "opening", "ask"),
    [
        ("A", 2, "B", True),  # another citizen's dossier: never carried along silently
        ("A", 2, "A", False),  # the same dossier again
        ("A", 0, "B", False),  # an empty tray has nothing to decide
        (None, 3, "B", False),  # scanned before any dossier was open: the first one takes them
    ],
)
def test_opening_another_dossier_asks_only_when_pages_would_change_owner(
    owner: str | None, staged: int, opening: str, ask: bool
) -> None:
    assert must_ask(owner, staged, opening) is ask


def test_attaching_is_offered_only_with_a_document_to_attach_to() -> None:
    assert choices(can_attach=True)[0] is TrayChoice.ATTACH
    assert TrayChoice.ATTACH not in choices(can_attach=False)
    assert TrayChoice.KEEP in choices(can_attach=False)


def test_kept_pages_come_back_in_order_and_turned_after_a_restart(tmp_path: Path) -> None:
    settings = DigitizeSettings()
    form = inspect_content("to-khai.pdf", files.pdf(2, text="To khai"), settings)
    photo = inspect_content("anh.png", files.png(seed=4), settings)
    pages = pages_of([form, photo])
    staged = [pages[2].turned(90), pages[1], pages[0]]
    HeldPageStore(tmp_path).put(
        hold("draft-1", "Hồ sơ nháp", "Trần Thị Mai", staged, "hoa.lt", MONDAY_MORNING)
    )

    again = HeldPageStore(tmp_path)  # a new process reads the same folder
    held = again.get("draft-1")
    assert held is not None
    assert (held.label, held.applicant_name, held.held_by) == (
        "Hồ sơ nháp",
        "Trần Thị Mai",
        "hoa.lt",
    )
    assert [f.name for f in held.files] == ["anh.png", "to-khai.pdf"]
    sources = [inspect_content(f.name, f.content, settings) for f in held.files]
    back = held.page_refs(sources)
    assert [(p.source.name, p.index, p.rotation) for p in back] == [
        ("anh.png", 0, 90),
        ("to-khai.pdf", 1, 0),
        ("to-khai.pdf", 0, 0),
    ]
    assert again.get("draft-2") is None

    more = pages_of([inspect_content("them.png", files.png(seed=5), settings)])
    again.put(hold("draft-1", "Hồ sơ nháp", "Trần Thị Mai", more, "hoa.lt", MONDAY_MORNING))
    grown = again.get("draft-1")
    assert grown is not None and len(grown.pages) == 4, "kept twice: the later pages go after"
    assert grown.pages[-1].file == 2

    again.release("draft-1")
    assert again.get("draft-1") is None
    assert list((tmp_path / STAGED_DIR).iterdir()) == []


def test_without_a_data_directory_pages_are_kept_in_memory() -> None:
    store = HeldPageStore(None)
    page = pages_of([inspect_content("a.png", files.png(), DigitizeSettings())])
    store.put(hold("x", "Hồ sơ nháp", "Mai", page, "hoa.lt", MONDAY_MORNING))
    kept = store.get("x")
    assert kept is not None and kept.label == "Hồ sơ nháp" and len(kept.pages) == 1
    store.release("x")
    assert store.get("x") is None


def test_a_dossier_id_cannot_reach_outside_the_folder(tmp_path: Path) -> None:
    with pytest.raises(CounterError, match="không hợp lệ"):
        HeldPageStore(tmp_path).get("../etc")
