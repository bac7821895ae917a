"""The shared ground of every wing: settings, paths, durations, local days, errors, shared words."""
