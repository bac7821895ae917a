"""Holding the day against the budgets: the policy, the wording, the prompt log and the notifications."""
