"""Exports made to order: a history whose prompts have a known effect, written as `unscroll export` would.

Each decision gets a social span starting at its moment and lasting its outcome's seconds
(seeded uniform noise around the arm's mean), so the seconds of social media in the next
half hour are known. Decisions are 90 minutes apart, so no span reaches into the next
decision's half hour, and they end more than a day before ``now`` (every outcome is known).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GAP_S = 90 * 60.0


def iso(instant: float) -> str:
    return datetime.fromtimestamp(instant, UTC).isoformat()


def crafted_export(now: float, *, shown: int, held_back: int, shown_mean: float, held_back_mean: float,
                   kind: str = "doorway", spread: float = 200.0, seed: int = 1) -> dict[str, Any]:
    """An export of ``shown`` + ``held_back`` decisions of ``kind``, in shuffled order."""
    rng = random.Random(seed)
    arms = [False] * shown + [True] * held_back
    rng.shuffle(arms)
    first = now - 2 * 86400 - len(arms) * GAP_S
    spans, prompts = [], []
    for number, held in enumerate(arms):
        at = first + number * GAP_S
        seconds = (held_back_mean if held else shown_mean) + rng.uniform(-spread, spread)
        spans.append({"start": iso(at), "end": iso(at + seconds), "app": "firefox",
                      "title": "Facebook — Mozilla Firefox", "category": "social", "name": "Facebook"})
        prompts.append({"time": iso(at), "kind": kind, "category": "social",
                        "person": "Sam Rivera" if kind == "person" else None,
                        "outcome": None if held else "continued" if kind == "doorway" else "snoozed",
                        "held_back": held})
    return {"format": "unscroll-export", "version": 2, "spans": spans, "people": [], "interactions": [],
            "prompts": prompts}


def write_export(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return path
