"""Category colours: colour-blind safe and the same from week to week.

Known categories have fixed Okabe-Ito colours; any other name gets a colour from Paul
Tol's muted scheme chosen by a stable hash of the name (CRC-32, not Python's salted
``hash``), so a category keeps its colour in every report.
"""

from __future__ import annotations

import zlib

# Okabe & Ito (2008), "Color Universal Design"
KNOWN: dict[str, str] = {
    "social": "#D55E00",        # vermillion
    "video": "#E69F00",         # orange
    "messaging": "#CC79A7",     # reddish purple
    "work": "#0072B2",          # blue
    "email": "#56B4E9",         # sky blue
    "games": "#009E73",         # bluish green
    "news": "#F0E442",          # yellow
    "uncategorized": "#B4B4B4",  # neutral grey: time nobody has sorted yet
}
# Paul Tol's "muted" scheme (without its rose, too close to social's vermillion)
OTHERS: tuple[str, ...] = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77",
                           "#882255", "#AA4499", "#6699CC")
INK = "#222222"
MUTED_INK = "#666666"
GRID = "#DDDDDD"
OVER = KNOWN["social"]
WITHIN_TINT = "#F2C3A0"  # a light tint of vermillion: social days within budget


def category_colour(name: str) -> str:
    """The colour of category ``name``: fixed for known names, a stable hash pick otherwise."""
    key = name.strip().lower()
    if key in KNOWN:
        return KNOWN[key]
    return OTHERS[zlib.crc32(key.encode("utf-8")) % len(OTHERS)]
REACHED = KNOWN["games"]  # bluish green: people reached, and prompts answered by reaching out
ANSWERED = KNOWN["work"]  # blue: a prompt answered any other way (no answer: uncategorized grey)
