"""``python -m monitor.tray``: the tray process (the daemon starts it; see monitor.tray.process)."""

import sys

from monitor.core.lean_process import refuse_openssl

refuse_openssl()  # before the imports that would load OpenSSL (it speaks no TLS either)

from monitor.tray.process import main  # noqa: E402 - after the refusal, on purpose

sys.exit(main())
