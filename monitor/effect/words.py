"""The experiment in words a person reads, for ``unscroll effect`` and the weekly page.

Never a claim the interval does not support: a difference is called more or less only
when its 95 % interval lies wholly on one side of zero; otherwise the sentence says the
difference is not clear and gives the whole interval. Before an outcome has ``ENOUGH``
decisions in each arm, it says how many more are needed. Bounds are rounded outwards in
their own unit, so a bound never reads as zero when it is not.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from monitor.core.vocabulary import TOTAL
from monitor.effect.measure import ENOUGH, EffectReport, KindEffect
from monitor.effect.stats import Comparison

LEADS: dict[str, str] = {
    "doorway": "When unscroll opened the doorway",
    "over-budget": "When unscroll sent an over-budget notice",
    "person": "When unscroll sent a notice naming someone",
}
NOUNS: dict[str, str] = {"doorway": "doorways", "over-budget": "over-budget notices",
                         "person": "notices naming someone"}
_WHAT: dict[str, str] = {
    "category_seconds_next_30m": "time on {category} in the next half hour",
    "visit_ended_within_5m": "leaving within 5 minutes",
    "reached_out_within_24h": "reaching someone within a day",
}


@dataclass(frozen=True)
class _Unit:
    """How an outcome's amounts are written: ``value / size`` with ``decimals``, then ``name``."""

    size: float
    decimals: int
    name: str

    def amount(self, value: float, rounding: Callable[[float], float] = round) -> str:
        """``abs(value)`` in this unit, rounded by ``rounding`` (``math.floor``: towards zero)."""
        scale = 10 ** self.decimals
        scaled = round(abs(value) / self.size * scale, 6)  # float noise off before floor or ceil
        text = f"{rounding(scaled) / scale:.{self.decimals}f}"
        return text.removesuffix(".0")

    def named(self, text: str) -> str:
        """``12 points``, ``1 point``, ``6 min``."""
        return f"{text} {self.name.removesuffix('s') if text == '1' and self.name == 'points' else self.name}"

    def finer(self) -> _Unit:
        """The same unit with one more decimal."""
        return _Unit(self.size, self.decimals + 1, self.name)


def unit_for(outcome: str, largest: float) -> _Unit:
    """Seconds under a minute, minutes to a tenth under ten, whole minutes; shares as percentage points."""
    size = abs(largest)
    if outcome != "category_seconds_next_30m":
        return _Unit(0.01, 0 if size >= 0.01 else 1, "points")
    if size < 60:
        return _Unit(1.0, 0, "s")
    return _Unit(60.0, 1 if size < 600 else 0, "min")


def side_words(outcome: str, value: float) -> str:
    """"6 min less", "12 points more": a difference, rounded to its unit."""
    unit = unit_for(outcome, value)
    return f"{unit.named(unit.amount(value))} {'less' if value < 0 else 'more'}"


def interval_words(outcome: str, low: float, high: float) -> str:
    """An interval in one unit, rounded outwards (its bound nearer zero towards zero): never wider a claim."""
    unit = unit_for(outcome, max(abs(low), abs(high)))
    if low > 0 or high < 0:
        inner, outer = sorted((low, high), key=abs)
        for _ in range(2):  # a bound that is not zero is not written as zero
            if unit.amount(inner, math.floor) != "0":
                break
            unit = unit.finer()
        side = "less" if high < 0 else "more"
        return f"{unit.amount(inner, math.floor)} to {unit.named(unit.amount(outer, math.ceil))} {side}"
    return (f"from {unit.named(unit.amount(low, math.ceil))} less "
            f"to {unit.named(unit.amount(high, math.ceil))} more")


def _category_words(kind: KindEffect) -> str:
    if len(kind.categories) != 1:
        return "the category it was about"
    category = kind.categories[0]
    return "screen" if category == TOTAL else category


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f} %"


def _finding(kind: KindEffect, name: str, c: Comparison, difference: float,
             interval: tuple[float, float]) -> str:
    """What one compared outcome says, as far as its interval allows."""
    low, high = interval
    counts = f"{c.shown_n} and {c.held_back_n} times"
    if name == "category_seconds_next_30m":
        what = f"on {_category_words(kind)} in the next half hour"
        said = (f"you spent {side_words(name, difference)} {what} than when it held back" if difference
                else f"you spent as much time {what} as when it held back")
    elif name == "visit_ended_within_5m":
        said = (f"you left within 5 minutes {_percent(c.shown_mean)} of the time, against "
                f"{_percent(c.held_back_mean)} when it held back")
    else:
        said = (f"you reached someone within a day after {_percent(c.shown_mean)} of them, against "
                f"{_percent(c.held_back_mean)} when it held back")
    lead = LEADS.get(kind.kind, f"After a {kind.kind} prompt")
    if low == high == 0:  # both arms the same, without any spread: nothing to be unsure of
        return f"{lead}, {said}: no difference at all ({counts})."
    if c.excludes_zero:
        return f"{lead}, {said} (95 % CI {interval_words(name, low, high)}; {counts})."
    return (f"{lead}, {said}; that is not a clear difference: the 95 % CI runs "
            f"{interval_words(name, low, high)}, so it may be none ({counts}).")


def _needed(kind: KindEffect) -> str:
    """"16 more held-back and 18 more shown doorways are needed", or that only outcomes are awaited."""
    noun = NOUNS.get(kind.kind, f"{kind.kind} prompts")
    needs = [f"{ENOUGH - n} more {arm}" for n, arm in ((kind.held_back, "held-back"), (kind.shown, "shown"))
             if n < ENOUGH]
    if not needs:
        return (f"there are enough {noun}; what followed the latest is still to come (each counts once "
                "its half hour, or for reaching someone its day, has passed)")
    return f"{' and '.join(needs)} {noun} {'is' if needs == ['1 more held-back'] else 'are'} needed"


def kind_sentences(kind: KindEffect) -> list[str]:
    """A heading line for one kind of prompt, then what each outcome says (or how many more it needs)."""
    noun = NOUNS.get(kind.kind, f"{kind.kind} prompts")
    lines = [f"{noun.capitalize()}: {kind.shown} shown, {kind.held_back} held back."]
    if not any(effect.enough for effect in kind.outcomes):
        return [*lines, f"Not enough yet to tell whether they change anything: {_needed(kind)} "
                        f"(unscroll compares once each side has {ENOUGH})."]
    for effect in kind.outcomes:
        c = effect.comparison
        if effect.enough and c.difference is not None and c.interval is not None:
            lines.append(_finding(kind, effect.name, c, c.difference, c.interval))
        else:
            what = _WHAT[effect.name].format(category=_category_words(kind))
            lines.append(f"{what.capitalize()}: not known for enough of them yet ({c.shown_n} shown and "
                         f"{c.held_back_n} held back so far); {_needed(kind)}.")
    return lines


def effect_paragraphs(report: EffectReport) -> list[list[str]]:
    """What the experiment can say: an opening paragraph, then one per kind of prompt (heading first)."""
    span = f"from {report.since.isoformat()} to {report.until.isoformat()}"
    if report.hold_back > 0:
        first = (f"unscroll holds back {report.hold_back * 100:g} % of its doorways and over-budget "
                 f"notices at random and compares what follows ({span}).")
    else:
        first = ("The experiment is off (experiment.hold_back = 0): every prompt is shown, so there is "
                 f"nothing new to compare ({span}).")
    opening = [first]
    if not report.kinds:
        opening.append("No doorways or over-budget notices yet in that time.")
    return [opening, *(kind_sentences(kind) for kind in report.kinds)]


def effect_sentences(report: EffectReport) -> list[str]:
    """Everything the experiment can say, a sentence a line (the weekly page shows page_lines)."""
    return [line for paragraph in effect_paragraphs(report) for line in paragraph]


def page_lines(report: EffectReport, limit: int = 2) -> list[str]:
    """The weekly page's few lines: per kind of prompt, its time finding or how many more it needs.

    The time on the category in the next half hour is the outcome the page reports (the
    terminal's ``unscroll effect`` says the rest). Kinds in their fixed order, at most ``limit``.
    """
    if not report.kinds:
        return effect_paragraphs(report)[0]
    lines: list[str] = []
    for kind in report.kinds[:limit]:
        [time_effect] = [effect for effect in kind.outcomes if effect.name == "category_seconds_next_30m"]
        c = time_effect.comparison
        if time_effect.enough and c.difference is not None and c.interval is not None:
            lines.append(_finding(kind, time_effect.name, c, c.difference, c.interval))
        else:
            noun = NOUNS.get(kind.kind, f"{kind.kind} prompts")
            lines.append(f"{noun.capitalize()} ({kind.shown} meant to be shown, {kind.held_back} held back): "
                         f"too few to tell yet; {_needed(kind)}.")
    return lines
