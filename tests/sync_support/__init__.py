"""Helpers of the sync tests: the real server on loopback, counters, and a fault proxy."""
