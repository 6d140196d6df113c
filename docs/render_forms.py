"""Render every printed form to PNG in docs/forms/, to look at them without printing.

Run: ``python docs/render_forms.py``. A throwaway store receives one birth
registration, records the actions behind forms 02-05, and each form's first
page is rendered at 80 dpi with pypdfium2 (a test dependency).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counter_app.applicants import ApplicantInput  # noqa: E402
from counter_app.auth import Role, StaffIdentity  # noqa: E402
from counter_app.catalog import CatalogService  # noqa: E402
from counter_app.clock import FixedClock  # noqa: E402
from counter_app.demo import DEMO_UNIT_CODE, initialise_demo_unit  # noqa: E402
from counter_app.dossiers import DossierService  # noqa: E402
from counter_app.reception import DocumentCheck, ReceptionRequest, ReceptionService  # noqa: E402
from counter_app.settings import Settings  # noqa: E402
from counter_app.store import Store  # noqa: E402
from printing.prepare import render_for_code  # noqa: E402

OUT = ROOT / "docs" / "forms"
# A Monday with no holiday near it, mid-morning.
MONDAY_MORNING = dt.datetime(2026, 11, 16, 9, 0)
BIRTH_REGISTRATION = "1.001193"
FORMS = (
    ("01-receipt", "receipt"),
    ("02-supplement", "supplement"),
    ("03-refusal", "refusal"),
    ("04-extension", "extension"),
    ("05-stop", "stop"),
    ("06-control", "control"),
)


def save_first_page(pdf: bytes, path: Path, dpi: int = 80) -> None:
    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    page.render(scale=dpi / 72, grayscale=True).to_pil().save(path, optimize=True)
    document.close()


def open_counter(data_dir: Path) -> Store:
    """A counter set up as ``counter-app init`` leaves it, under the demo's unit."""
    store = Store.open(data_dir)
    initialise_demo_unit(store, MONDAY_MORNING)
    return store


def request(store: Store) -> ReceptionRequest:
    """A birth registration with every document of the catalog's checklist."""
    procedure = CatalogService(store).procedure(BIRTH_REGISTRATION)
    assert procedure is not None, f"the shipped catalog lacks {BIRTH_REGISTRATION}"
    applicant = ApplicantInput(
        full_name="Trần Thị Mai",
        address="Số 12 đường Lê Lợi, phường Hạc Thành",
        cccd="001190012345",
        date_of_birth=dt.date(1990, 3, 12),
        sex="female",
        phone="0912345678",
    )
    documents = tuple(DocumentCheck(r.id) for r in procedure.requirements)
    return ReceptionRequest(BIRTH_REGISTRATION, applicant, documents)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    clerk = StaffIdentity("admin", "Quản trị hệ thống", Role.ADMIN, DEMO_UNIT_CODE)
    with tempfile.TemporaryDirectory() as scratch:
        codes = {}
        for form in ("receipt", "supplement", "refusal", "extension", "stop", "control"):
            store: Store = open_counter(Path(scratch) / form)
            clock = FixedClock(MONDAY_MORNING)
            code = ReceptionService(store, clock).receive(request(store), clerk).code
            actions = DossierService(store, clock)
            clock.advance(hours=2)
            if form == "supplement":
                actions.request_supplement(
                    code, ["Bản sao giấy chứng nhận kết hôn của cha, mẹ"], "Thiếu giấy tờ", clerk
                )
            elif form == "refusal":
                actions.refuse(
                    code, "Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường", clerk
                )
            elif form == "extension":
                # A same-day procedure: past the apology's deadline, so with a reason.
                new_date = dt.datetime(2026, 11, 19, 16, 0)
                actions.extend(code, new_date, "Cần xác minh thêm", clerk, "Chờ kết quả xác minh")
            elif form == "stop":
                actions.stop(code, "Người nộp hồ sơ đề nghị dừng giải quyết", clerk)
            elif form == "control":
                for kind in ("processing_started", "result_ready", "returned"):
                    clock.advance(hours=1)
                    actions.record(code, kind, clerk)
            codes[form] = (store, code)
        for name, form in FORMS:
            store, code = codes[form]
            save_first_page(render_for_code(store, form, code, Settings()), OUT / f"{name}.png")
            store.close()
            print(f"docs/forms/{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
