"""The tray indicator: today's budget at a glance, a menu to pause, reach out, quit (its own process)."""
