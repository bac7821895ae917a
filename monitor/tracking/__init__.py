"""From the desktop to stored spans: platforms, the observe step (privacy, then categories), spans."""
