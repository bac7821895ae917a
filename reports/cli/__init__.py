"""The commands that show reports (today, week, report), named by monitor.cli and imported when run.

They live with the reports so that nothing in ``monitor/`` but the daemon wing imports
``reports``; like every command they only parse, call one function and print.
"""
