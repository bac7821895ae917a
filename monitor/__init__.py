"""unscroll's daemon and its domain: tracking, budgets, people and notifications."""

__version__ = "0.1.0"
