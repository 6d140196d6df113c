"""The counter's side of sync: push, blob upload, pull, backoff and a background worker.

It speaks HTTP with ``requests`` and hands everything it receives to the domain
core (``counter_app.sync_apply`` and ``counter_app.sync_outbox``), which knows
nothing of HTTP. No Qt here: the worker publishes plain events a GUI can bridge.
"""
