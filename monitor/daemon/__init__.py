"""The background process: its lifecycle, the scheduled jobs, control from the CLI, autostart."""
