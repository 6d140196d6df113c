"""Benchmarks that print figures, so a slow counter is found on a big store, not at the counter."""
