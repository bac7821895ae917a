"""Category rules (placeholder until the categories work lands): everything is uncategorized."""

from __future__ import annotations

from dataclasses import dataclass

from monitor.settings import Settings

UNCATEGORIZED = "uncategorized"


@dataclass(frozen=True)
class Classification:
    """The category and display name a rule gives a window."""

    category: str
    name: str
    rule: str | None


class Rules:
    """An ordered set of category rules."""

    def classify(self, app: str, title: str | None) -> Classification:
        """The first matching rule's category and name, else uncategorized."""
        return Classification(UNCATEGORIZED, title or app, None)


def load_rules(settings: Settings) -> Rules:
    """The shipped rules extended by the user's ``[categories]`` table."""
    del settings
    return Rules()
