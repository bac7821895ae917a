"""``python -m monitor.tray``: the tray process (the daemon starts it; see monitor.tray.process)."""

import sys

from monitor.tray.process import main

sys.exit(main())
