"""Shared pieces of the fuzz tests: one hypothesis profile, and the property every target keeps.

The property: whatever the input, the code returns normally or raises one of unscroll's
own errors (an UnscrollError subclass) whose message is one readable line naming where
the problem is. Anything else (KeyError, UnicodeDecodeError, RecursionError…) is a bug.

The examples are derandomized and bounded so the suite stays fast and repeatable in CI.
``UNSCROLL_FUZZ_EXAMPLES`` raises the bound for a longer local run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from hypothesis import HealthCheck, Phase, settings

from monitor.core.errors import UnscrollError

T = TypeVar("T")

EXAMPLES = int(os.environ.get("UNSCROLL_FUZZ_EXAMPLES", "300"))

fuzz_settings = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate, Phase.shrink],
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                HealthCheck.function_scoped_fixture])
slow_fuzz_settings = settings(fuzz_settings, max_examples=max(1, EXAMPLES // 3))
"""For targets whose every example compiles the whole rule set (about 50 ms)."""


def only_our_errors(call: Callable[[], T], *, names: str | None = None,
                    expected: type[UnscrollError] = UnscrollError) -> T | None:
    """Run ``call``: its result, or None when it raised ``expected`` with a clear message."""
    try:
        return call()
    except expected as exc:
        refused = exc
    message = str(refused)
    assert message.strip(), f"{type(refused).__name__} without a message"
    assert len(message) < 2000, f"an unreadably long message: {message[:200]}..."
    if names is not None:
        assert names in message, f"the message does not name {names!r}: {message}"
    return None
