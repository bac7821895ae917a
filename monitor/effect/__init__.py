"""Do the prompts help? The hold-back experiment: its seeded draw, its statistics, its words.

``draw`` decides, at each decision point, whether a prompt is held back; ``measure``
compares what followed shown and held-back decisions (outcomes from monitor.store.outcomes,
the interval from ``stats``); ``words`` says it as a person reads it. Only ``draw`` runs in
the daemon; the rest runs in ``unscroll effect`` and on the weekly page.
"""
