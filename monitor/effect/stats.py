"""Welch's t interval for the difference of two means, with Student's t from the standard library.

Pure. The interval for ``mean(shown) - mean(held_back)`` is the difference ± t × SE, where
SE² = s₁²/n₁ + s₂²/n₂ and t is Student's quantile at the Welch-Satterthwaite degrees of
freedom. Student's distribution function is computed from the regularized incomplete beta
function (a continued fraction, evaluated by Lentz's method) and inverted by Newton's
method, which climbs to the root from the normal quantile below it (the function is
concave there); tests/effect checks it against published quantiles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean, variance

_EPS = 1e-15
_TINY = 1e-300
_MAX_TERMS = 500
_NORMAL_DF = 1e7
"""Beyond this many degrees of freedom, Student's t is the normal distribution to 1e-7."""


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (Numerical Recipes' ``betacf``)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_TERMS + 1):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            step = c * d
            result *= step
        if abs(step - 1.0) < _EPS:
            break
    return result


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(a, b, x) / a
    return 1.0 - front * _continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T ≤ t) for Student's t with ``df`` degrees of freedom."""
    if df > _NORMAL_DF:
        return NormalDist().cdf(t)
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_pdf(t: float, df: float) -> float:
    """The density of Student's t with ``df`` degrees of freedom at ``t``."""
    return math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
                    - (df + 1) / 2 * math.log1p(t * t / df))


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile (0 < p < 1) of Student's t with ``df`` > 0 degrees of freedom."""
    if not 0.0 < p < 1.0 or df <= 0:
        raise ValueError(f"t_quantile needs 0 < p < 1 and df > 0, not p={p}, df={df}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    start = NormalDist().inv_cdf(p)
    if df > _NORMAL_DF or p == 0.5:
        return start
    t = start
    for _ in range(200):  # Newton from below: the CDF is concave for t > 0, so it climbs to the root
        step = (p - t_cdf(t, df)) / t_pdf(t, df)
        t += step
        if abs(step) <= 1e-12 * max(1.0, abs(t)):
            break
    return t


@dataclass(frozen=True)
class Comparison:
    """Two arms' means and Welch's interval for their difference (``shown - held_back``)."""

    shown_n: int
    held_back_n: int
    shown_mean: float | None
    held_back_mean: float | None
    difference: float | None
    interval: tuple[float, float] | None
    """None while either arm has fewer than two values (no variance to go on)."""

    @property
    def excludes_zero(self) -> bool:
        """True when the interval lies wholly above or below zero."""
        return self.interval is not None and (self.interval[0] > 0 or self.interval[1] < 0)


def welch(shown: Sequence[float], held_back: Sequence[float], level: float = 0.95) -> Comparison:
    """Compare the two arms: their means, the difference, Welch's ``level`` interval."""
    n1, n2 = len(shown), len(held_back)
    m1 = fmean(shown) if n1 else None
    m2 = fmean(held_back) if n2 else None
    difference = None if m1 is None or m2 is None else m1 - m2
    if difference is None or n1 < 2 or n2 < 2:
        return Comparison(n1, n2, m1, m2, difference, None)
    a, b = variance(shown) / n1, variance(held_back) / n2
    se = math.sqrt(a + b)
    if se == 0.0:
        return Comparison(n1, n2, m1, m2, difference, (difference, difference))
    df = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n2 - 1))
    half = t_quantile(0.5 + level / 2.0, df) * se
    return Comparison(n1, n2, m1, m2, difference, (difference - half, difference + half))
