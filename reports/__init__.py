"""Aggregation of stored usage into days and weeks, and the charts drawn from it."""
