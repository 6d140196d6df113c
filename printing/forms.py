"""The one call the GUI and the CLI make: ``render("receipt", data, paper="A5") -> bytes``.

``FORMS`` lists the counter's forms (Annex I of Circular 03/2025/TT-VPCP) with
their Vietnamese titles, the data class each needs, and its renderer, so a
menu or a ``--form`` option can be built from it instead of repeating names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from printing.control import render_control_slip
from printing.fit import check_fits
from printing.form_data import (
    ControlSlipForm,
    ExtensionForm,
    ReceiptForm,
    RefusalForm,
    StopForm,
    SupplementForm,
)
from printing.form_names import FORM_NAMES
from printing.letters import render_extension, render_stop
from printing.notices import render_refusal, render_supplement
from printing.paper import PAPERS, Paper
from printing.receipt import render_receipt


@dataclass(frozen=True)
class FormKind:
    """One printed form: its number in the annex, its title, its data and its renderer."""

    id: str
    number: str  # Mẫu số … of Annex I
    title: str
    data_type: type[Any]
    renderer: Callable[[Any, Paper], bytes]


_PARTS: dict[str, tuple[type[Any], Callable[[Any, Paper], bytes]]] = {
    "receipt": (ReceiptForm, render_receipt),
    "supplement": (SupplementForm, render_supplement),
    "refusal": (RefusalForm, render_refusal),
    "extension": (ExtensionForm, render_extension),
    "stop": (StopForm, render_stop),
    "control": (ControlSlipForm, render_control_slip),
}
FORMS: dict[str, FormKind] = {
    form_id: FormKind(form_id, number, title, *_PARTS[form_id])
    for form_id, (number, title) in FORM_NAMES.items()
}


def render(form_id: str, data: object, paper: Paper = "A5") -> bytes:
    """The PDF of form ``form_id`` filled from ``data``, on A5 (the default) or A4 paper.

    A ValueError names what is wrong when the form id, the data's type or the
    paper does not match, so a caller's mix-up fails loudly, never as a blank page.
    """
    kind = FORMS.get(form_id)
    if kind is None:
        raise ValueError(f"unknown form {form_id!r}; known: {', '.join(FORMS)}")
    if not isinstance(data, kind.data_type):
        raise ValueError(
            f"form {form_id!r} is filled from {kind.data_type.__name__}, not {type(data).__name__}"
        )
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    check_fits(data, f"{kind.title.lower()} (mẫu {kind.number})")
    return kind.renderer(data, paper)
