"""``python -m monitor`` runs the ``unscroll`` command."""

from monitor.cli import main

main()
