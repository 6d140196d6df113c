"""A signed scan fetched from the province is checked; a broken signature is flagged, and kept."""

from __future__ import annotations

from pathlib import Path

from counter_app.blobs import sha256_of
from counter_app.signed_copies import statuses
from counter_app.signing import SigningSettings, save_signing_settings, sign_pdf
from tests.support import digitize_files as files
from tests.support.counters import CounterFactory
from tests.support.server import ThreadedServer
from tests.support.signing import make_ca, make_signer, software_signer
from tests.support.sync_blobs import receive_with_attachments

pytest_plugins = ["tests.support.sync_fixtures"]


def test_a_broken_signature_pulled_from_the_province_is_flagged_not_accepted(
    tmp_path: Path, province: ThreadedServer, make_counter: CounterFactory
) -> None:
    ca = make_ca()
    ca_file, _ = ca.write(tmp_path, "ca-tinh")
    signed = sign_pdf(files.pdf(2), software_signer(make_signer(ca), ca, tmp_path))
    broken_copy = signed.replace(b"595", b"596", 1)  # the page's width, inside the signed bytes
    assert broken_copy != signed

    sender, receiver = make_counter("a", slot=1), make_counter("b", slot=2)
    receive_with_attachments(sender, [signed, broken_copy])
    sender.enrol(province)
    assert sender.sync().complete
    receiver.enrol(province)
    save_signing_settings(receiver.data_dir, SigningSettings(trust_roots=(str(ca_file),)))

    report = receiver.sync()
    assert report.scans_downloaded == 2
    flagged = [w for w in report.warnings if "KHÔNG hợp lệ" in w]
    assert len(flagged) == 1, report.warnings
    good, bad = sha256_of(signed), sha256_of(broken_copy)
    assert bad[:12] in flagged[0]
    with receiver.store.read() as session:
        kept = statuses(session, [good, bad])
    assert kept[good].kind == "valid" and kept[bad].kind == "invalid"
    assert (receiver.data_dir / "blobs" / bad[:2] / bad).read_bytes() == broken_copy
