"""``python -m monitor.daemon``: what ``unscroll start`` detaches and what autostart runs."""

from monitor.daemon.lifecycle import main

main()
