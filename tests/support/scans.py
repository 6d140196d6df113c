"""Small scanned PDFs made on the spot."""

from __future__ import annotations

from counter_app.assembly import AssembledPdf, assemble, pages_of
from counter_app.auth import Role, StaffIdentity
from counter_app.digitize_settings import DigitizeSettings
from counter_app.intake import inspect_content
from tests.support import digitize_files as files
from tests.support.counter_store import UNIT_CODE

SETTINGS = DigitizeSettings()


AGENT = StaffIdentity("hoa.lt", "Lê Thị Hoa", Role.POSTAL_AGENT, UNIT_CODE)


def made_pdf(*seeds: int) -> AssembledPdf:
    sources = [inspect_content(f"trang{s}.png", files.png(seed=s), SETTINGS) for s in seeds]
    return assemble(pages_of(sources), SETTINGS)
