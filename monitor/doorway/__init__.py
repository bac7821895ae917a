"""The doorway: a breath and a person before the feed, when social media gets focus."""
