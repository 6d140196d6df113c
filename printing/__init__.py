"""Printed forms of the counter, rendered to PDF from plain data (no Qt widgets).

``printing.forms.render(form_id, data, paper="A5")`` is the one entry point; the
data classes live in ``printing.form_data``. Nothing is registered or built on
import: fonts and styles are made on the first render.
"""
