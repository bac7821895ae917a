"""``python -m monitor.daemon``: what ``unscroll start`` detaches and what autostart runs."""

from monitor.core.lean_process import refuse_openssl

refuse_openssl()  # before the imports that would load OpenSSL

from monitor.daemon.lifecycle import main  # noqa: E402 - after the refusal, on purpose

main()
