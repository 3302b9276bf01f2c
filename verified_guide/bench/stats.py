"""Intervals for benchmark figures: a cell's mean, and the ratio of two cells.

Throughput is multiplicative (a machine twice as busy halves every figure), so ratios are
estimated on the log scale: the mean of log(a / b) over the rounds in which both cells ran
(paired: a load spike in one round hits both sides of that round), back-transformed into a
ratio with a Student-t interval. Five runs are few, so the t quantile, not 1.96, sets the width.
"""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

# Two-sided 95% Student-t quantiles by degrees of freedom (scipy.stats.t.ppf(0.975, df)).
T_975 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    12: 2.179,
    15: 2.131,
    20: 2.086,
    30: 2.042,
    40: 2.021,
    60: 2.000,
    120: 1.980,
}


#: Rounds two cells must share for their ratio to be paired round by round: with fewer, a
#: paired interval would rest on one or two differences. The pages that explain *unpaired*
#: read it from here.
MIN_PAIRED_ROUNDS = 3


def t_quantile(df: int) -> float:
    """The 97.5% quantile for ``df`` degrees of freedom (the next smaller tabulated df, so an
    interval is never narrower than the exact one; 1.96, the normal's, only past 120)."""
    if df < 1:
        raise ValueError("an interval needs at least two values")
    if df > max(T_975):
        return 1.96
    return T_975[max(d for d in T_975 if d <= df)]


@dataclass(frozen=True)
class Interval:
    """An estimate with its 95% interval."""

    value: float
    low: float
    high: float
    # For a ratio: whether its two cells' runs were paired round by round (False: they shared
    # too few rounds, and the wider interval adds both cells' spreads); None for a mean.
    paired: bool | None = None

    def straddles(self, threshold: float) -> bool:
        return self.low < threshold < self.high

    def above(self, threshold: float) -> bool:
        return self.low >= threshold

    def below(self, threshold: float) -> bool:
        return self.high <= threshold

    def __str__(self) -> str:
        return f"{self.value:.2f} (95% interval {self.low:.2f}-{self.high:.2f})"


def mean_interval(values: Sequence[float]) -> Interval:
    """The mean of the runs with its t-interval."""
    mean = statistics.fmean(values)
    if len(values) < 2:
        return Interval(mean, mean, mean)
    half = t_quantile(len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return Interval(mean, mean - half, mean + half)


def spread(values: Sequence[float]) -> float:
    """Run-to-run spread: (max - min) / median."""
    return (max(values) - min(values)) / statistics.median(values)


@dataclass(frozen=True)
class LogEstimate:
    """A log-scale mean with its standard error and degrees of freedom."""

    mean: float
    se: float
    df: int
    paired: bool = False  # from runs paired round by round

    def interval(self) -> Interval:
        half = t_quantile(max(self.df, 1)) * self.se
        edges = (self.mean, self.mean - half, self.mean + half)
        # Nine significant digits: exp(log(x)) is not always x, and a limit such as 1.25
        # times a ratio must not move a verdict by a rounding error.
        low_high = (float(f"{math.exp(x):.9g}") for x in edges)
        return Interval(*low_high, paired=self.paired)

    def minus(self, other: "LogEstimate") -> "LogEstimate":
        """log(a/b) - log(c/d): the ratio of two ratios, their errors independent."""
        return LogEstimate(
            self.mean - other.mean,
            math.hypot(self.se, other.se),
            min(self.df, other.df),
            self.paired and other.paired,
        )


def _log_mean(values: Sequence[float]) -> LogEstimate:
    logs = [math.log(v) for v in values]
    se = statistics.stdev(logs) / math.sqrt(len(logs)) if len(logs) > 1 else 0.0
    return LogEstimate(statistics.fmean(logs), se, len(logs) - 1)


def log_ratio(
    a: Sequence[float],
    b: Sequence[float],
    rounds_a: Sequence[int] | None = None,
    rounds_b: Sequence[int] | None = None,
) -> LogEstimate:
    """log(a / b): paired by round when at least ``MIN_PAIRED_ROUNDS`` rounds hold both, else
    Welch."""
    if rounds_a is not None and rounds_b is not None:
        by_round_b = dict(zip(rounds_b, b, strict=True))
        pairs = [(x, by_round_b[r]) for r, x in zip(rounds_a, a, strict=True) if r in by_round_b]
        if len(pairs) >= MIN_PAIRED_ROUNDS:
            return replace(_log_mean([x / y for x, y in pairs]), paired=True)
    la, lb = _log_mean(a), _log_mean(b)
    se = math.hypot(la.se, lb.se)
    df = min(la.df, lb.df)  # conservative in place of Welch-Satterthwaite
    return LogEstimate(la.mean - lb.mean, se, df)
