"""What the frozen ``counter-app`` executable runs: the same ``main`` as the console script."""

from __future__ import annotations

import sys

from counter_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
