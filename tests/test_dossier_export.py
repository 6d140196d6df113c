"""``counter-app dossier show CODE --format json``: one dossier as a script reads it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

from pypdf import PdfReader

from counter_app.attachments import AttachmentService, attach_files
from counter_app.auth import StaffIdentity
from counter_app.clock import FixedClock
from counter_app.digitize_settings import DigitizeSettings
from counter_app.dossiers import DossierService
from counter_app.fees import FeeInput, FeeService
from counter_app.reception import ReceptionService
from counter_app.store import Store
from tests.support import digitize_files as files
from tests.support.cli import run
from tests.support.reception import full_checklist, request

MARITAL_STATUS = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân: a lệ phí


def test_show_json_has_status_appointment_events_scans_and_fees(
    tmp_path: Path, store: Store, clock: FixedClock, clerk: StaffIdentity
) -> None:
    receipt = ReceptionService(store, clock).receive(
        request(
            store,
            procedure_code=MARITAL_STATUS,
            documents=full_checklist(store, MARITAL_STATUS),
        ),
        clerk,
    )
    scan = files.write(tmp_path, "to-khai.pdf", files.pdf(3, text="Tờ khai"))
    service = AttachmentService(store, clock)
    attach_files(service, receipt.code, 1, [scan], clerk, DigitizeSettings())
    paid = FeeService(store, clock).collect(receipt.code, FeeInput("cash"), "reception", clerk)
    clock.advance(hours=1)
    DossierService(store, clock).record(receipt.code, "processing_started", clerk, note="Chuyển")
    assert store.data_dir is not None

    data = str(store.data_dir)
    done = run("dossier", "show", receipt.code, "--format", "json", "--data-dir", data)

    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["schema"] == "ward-counter.dossier/1"
    assert shown["code"] == receipt.code and shown["status"] == "in_processing"
    assert shown["procedure"]["code"] == MARITAL_STATUS
    assert dt.datetime.fromisoformat(shown["appointment"]["due_at"]) == receipt.due_at
    assert shown["appointment"]["first_due_at"] == shown["appointment"]["due_at"]
    assert shown["appointment"]["extended_due_at"] is None
    assert [e["kind"] for e in shown["events"]] == ["received", "processing_started"]
    assert shown["events"][1]["note"] == "Chuyển"

    attached = shown["documents"][0]["attachment"]
    stored = service.blobs.read(attached["sha256"])
    assert hashlib.sha256(stored).hexdigest() == attached["sha256"]
    assert attached["page_count"] == len(PdfReader(io.BytesIO(stored)).pages) == 3
    assert all(d["attachment"] is None for d in shown["documents"][1:])

    fees = shown["fees"]
    assert fees["due_vnd"] == paid.amount_vnd > 0
    assert fees["collected_vnd"] == paid.amount_vnd
    assert [(p["method"], p["stage"]) for p in fees["payments"]] == [("cash", "reception")]

    text = run("dossier", "show", receipt.code, "--data-dir", str(store.data_dir))
    assert text.returncode == 0, text.stderr
    assert f"{attached['sha256']} (3 trang)" in text.stdout


def test_show_an_unknown_code_says_so_in_plain_words(store: Store) -> None:
    assert store.data_dir is not None
    missing = "000.00.11.H57-261116-1999"
    done = run("dossier", "show", missing, "--format", "json", "--data-dir", str(store.data_dir))
    assert done.returncode == 2
    assert missing in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
