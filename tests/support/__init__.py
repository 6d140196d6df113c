"""What several test modules share: stores, requests, widgets driven as a clerk does,
the real provincial server on loopback, counters that sync with it, a fault proxy.

Test modules import from here and never from one another; ``tests/test_architecture.py``
checks that, and that ``bench/`` and ``docs/`` import nothing of ``tests``.
"""
