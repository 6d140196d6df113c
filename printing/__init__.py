"""Printed forms of the counter, rendered to PDF from plain data (no Qt widgets)."""
