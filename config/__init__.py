"""Shipped default settings and category rules (installed as the package ``unscroll_defaults``)."""
