"""The frozen (PyInstaller one-folder) build of ``counter-app``: ``python -m build_app``.

See ``build_app/README.md`` for what goes in, how to build on Windows and how CI
checks the result (``build_app/smoke.py``).
"""
