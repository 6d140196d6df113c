"""Domain core of the Ward Counter application.

Everything a front end (the Qt window, the command line, the tests) may do to
the local store goes through the services in this package. It imports neither
Qt nor an HTTP client, so the rules hold the same way everywhere.
"""

__version__ = "0.1.0"
