"""Stored history in and out: ActivityWatch import and export, forgetting, reclassifying."""
