"""Other devices' clocks: how far off they are, found from the files alone (pure functions).

No device asks another for the time: there is no connection between them, only files.
A segment says when its device wrote it (its clock); this computer sees when the file
arrived (its clock: the file's change time). ``written - arrived`` is the other clock's
lead less the delay in between, so it is a *lower bound* of the lead, tight when a file
arrives fast (a second or two through Syncthing). Each device puts the lower bounds it
found for the others in its manifest; the other's bound on *our* lead, negated, is an
*upper bound* of theirs. Together: ``low <= lead <= high``.

Times of another device are moved by the least correction these bounds allow (zero when
they allow zero): a few minutes of skew then neither double counts a minute used on two
computers at once nor moves time into the wrong day, and a slow delivery (a laptop that
was asleep) never invents a skew. A lead the bounds put beyond an hour is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

FLAG_AFTER_S = 3600.0
"""A clock more than this far off is flagged in ``unscroll devices``."""
KEEP_LOW_FOR_S = 86400.0
"""A lower bound is trusted this long; then a fresher one replaces it (clocks get corrected)."""


@dataclass(frozen=True)
class ClockBounds:
    """What is known of another device's clock minus ours (seconds; None: nothing yet)."""

    low: float | None = None
    low_at: float | None = None
    """When ``low`` was found (this computer's clock)."""
    high: float | None = None


def arrival_sample(written_utc: float, changed_utc: float, now: float) -> float:
    """A lower bound of the writer's lead from one file.

    The file was written at ``written_utc`` (the writer's clock) and changed here at
    ``changed_utc`` (this computer's clock; it was seen by ``now`` at the latest).
    """
    return written_utc - min(changed_utc, now)


def with_sample(bounds: ClockBounds, sample: float, now: float) -> ClockBounds:
    """``bounds`` after a new lower-bound sample: the larger wins, an old one gives way."""
    stale = bounds.low_at is None or now - bounds.low_at > KEEP_LOW_FOR_S or now < bounds.low_at
    if bounds.low is None or stale or sample >= bounds.low:
        return ClockBounds(sample, now, bounds.high)
    return bounds


def with_peer_view(bounds: ClockBounds, their_low_of_ours: float | None) -> ClockBounds:
    """``bounds`` with the upper bound the other device's manifest gives (its lower bound of our lead)."""
    high = None if their_low_of_ours is None else -their_low_of_ours
    return ClockBounds(bounds.low, bounds.low_at, high)


def correction(bounds: ClockBounds) -> float:
    """Seconds to take off the other device's times: the least the bounds allow."""
    low, high = bounds.low, bounds.high
    if low is not None and high is not None and low > high:  # the bounds disagree: clocks moved meanwhile
        return (low + high) / 2
    if low is not None and low > 0:
        return low
    if high is not None and high < 0:
        return high
    return 0.0


def clock_note(bounds: ClockBounds) -> str | None:
    """A short note when the other clock is surely more than an hour off, else None."""
    for bound, sign, words in ((bounds.low, 1, "ahead of"), (bounds.high, -1, "behind")):
        if bound is not None and sign * bound > FLAG_AFTER_S:
            hours = sign * bound / 3600
            return f"its clock is at least {hours:.0f} h {words} this computer's"
    return None
