"""What the frozen ``counter-app`` executable runs: the same ``main`` as the console script.

First an update downloaded at an earlier start is installed (after a backup of
the store, before anything opens it), and the window's start looks for the
next one in the background: see ``sync.client.update_apply``. Only the frozen
program does this; a pip install is updated by pip.
"""

from __future__ import annotations

import sys

from counter_app.cli import main
from sync.client.update_apply import at_start

if __name__ == "__main__":
    at_start(sys.argv[1:])
    sys.exit(main())
