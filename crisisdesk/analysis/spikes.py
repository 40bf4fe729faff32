"""Crisis detection at small-business volumes: is something rising faster than usual?

The input is a run of consecutive hourly tallies (``domain.HourTally``, from
``store/series.py``). Three metrics are watched:

- ``complaints``: complaints per hour (Poisson counts);
- ``negative_share``: the share of negative mentions (binomial, against the usual share);
- ``engagement``: negative mentions that people engage with (10+ likes, reposts and replies
  each, counted in the store) per hour. Counting posts rather than summing interactions keeps
  one lucky post from raising an alarm: interactions are heavy-tailed online, and a sum of
  them has no usable baseline; several engaged negative posts at once is the signal.

**Baseline.** An exponentially weighted moving average (half-life a week) of the metric, scaled
by the audience's rhythm: the hour-of-day and day-of-week profile of *all* mentions, learned
from the whole series and shrunk towards flat. So a bake-day Saturday afternoon is expected
to be busier than a Tuesday night, and weekly seasonality raises nothing. The level never
drops below a floor (``floor_per_day``), so after weeks of silence 3 complaints can matter but
one cannot. Buckets inside an alert do not feed the baseline: a backlash never becomes normal
(for at most ``freeze_hours``, so a lasting change in volume does).

**Windows.** Windows of 1, 3, 6, 12, 24 and 72 hours end at every hour; a window is flagged
when its count is at least ``min_count``, ``min_ratio`` times the baseline expectation, and the
tail probability of seeing that many is below ``10 ** -min_score``. Overlapping flagged windows
make one episode; its start and end are the sub-interval with the highest likelihood ratio
(Kulldorff's scan statistic), so a stray complaint a day before the surge does not stretch it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from crisisdesk.domain import HourTally

HOUR = timedelta(hours=1)
SCALES: tuple[int, ...] = (1, 3, 6, 12, 24, 72)


class Metric(StrEnum):
    """What an alert watches."""

    COMPLAINTS = "complaints"
    NEGATIVE_SHARE = "negative_share"
    ENGAGEMENT = "engagement"

    @property
    def heading(self) -> str:
        return _TITLES[self]


_TITLES = {
    Metric.COMPLAINTS: "Complaints",
    Metric.NEGATIVE_SHARE: "Share of negative mentions",
    Metric.ENGAGEMENT: "Negative mentions people engage with",
}


@dataclass(frozen=True)
class Thresholds:
    """How much a rise must stand out to be an alert (adjustable in the settings)."""

    # -log10 of the tail probability: 6 = once in a million windows. Every hour ends six
    # windows of three metrics, so 90 days test ~40,000: lower thresholds cry wolf
    min_score: float = 6.0
    min_count: int = 3  # complaints (or negative mentions) in the window
    min_ratio: float = 2.5  # observed / expected
    min_share_rise: float = 0.2  # negative share: at least this much above the usual share
    floor_share: float = 0.15  # the usual negative share is never taken as below this
    floor_per_day: float = 0.1  # the baseline never assumes fewer complaints a day than this
    half_life_hours: float = 7 * 24
    warmup_hours: int = 72  # no alerts before this much history
    freeze_hours: int = 7 * 24  # longest time an alert keeps the baseline from learning


@dataclass(frozen=True)
class Spike:
    """One alert: what rose, from what baseline, by how much, when; ``mention_ids`` are the
    mentions that drove it (filled in by the service that reads them)."""

    metric: Metric
    start: datetime  # the first hour of the episode (UTC)
    end: datetime  # the end of its last hour (exclusive)
    count: float  # observed in [start, end): complaints, negative or engaged negative mentions
    baseline: float  # what the baseline expected in [start, end)
    score: float  # -log10 tail probability of the strongest window
    window_hours: int  # the length of that window
    total: int = 0  # every mention in [start, end) (the share's denominator)
    mention_ids: tuple[int, ...] = field(default=())

    @property
    def ratio(self) -> float:
        return self.count / self.baseline if self.baseline > 0 else math.inf

    @property
    def share(self) -> float | None:
        """The negative share in the episode (``negative_share`` alerts only)."""
        if self.metric is not Metric.NEGATIVE_SHARE or not self.total:
            return None
        return self.count / self.total

    @property
    def baseline_share(self) -> float | None:
        if self.metric is not Metric.NEGATIVE_SHARE or not self.total:
            return None
        return self.baseline / self.total


# --- tail probabilities, as -log10 ---------------------------------------------------------


def poisson_score(k: float, mu: float) -> float:
    """-log10 P(X >= k) for X ~ Poisson(mu); 0 when k <= mu (nothing unusual)."""
    if k <= mu or k <= 0:
        return 0.0
    mu = max(mu, 1e-12)
    k = math.floor(k)
    log_term = k * math.log(mu) - mu - math.lgamma(k + 1)
    total, term, j = 1.0, 1.0, 0
    while term > 1e-12 and j < 10_000:
        j += 1
        term *= mu / (k + j)
        total += term
    return max(0.0, -(log_term + math.log(total)) / math.log(10))


def binomial_score(k: int, n: int, p: float) -> float:
    """-log10 P(X >= k) for X ~ Binomial(n, p); 0 when k <= n p."""
    if n <= 0 or k <= n * p:
        return 0.0
    p = min(max(p, 1e-9), 1 - 1e-9)
    log_term = (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    odds = p / (1 - p)
    total, term, j = 1.0, 1.0, k
    while j < n and term > 1e-12:
        term *= (n - j) / (j + 1) * odds
        total += term
        j += 1
    return max(0.0, -(log_term + math.log(total)) / math.log(10))


def _poisson_llr(x: float, mu: float) -> float:
    if x <= mu or mu <= 0:
        return 0.0
    return x * math.log(x / mu) - (x - mu)


def _binomial_llr(k: float, n: float, p: float) -> float:
    if n <= 0 or k <= n * p:
        return 0.0
    p = min(max(p, 1e-9), 1 - 1e-9)
    q = k / n
    out = k * math.log(q / p)
    if n > k:
        out += (n - k) * math.log((1 - q) / (1 - p))
    return out


# --- the audience's rhythm ------------------------------------------------------------------


def hour_start(hour: str) -> datetime:
    """'YYYY-MM-DDTHH' (UTC) → an aware datetime."""
    return datetime(int(hour[:4]), int(hour[5:7]), int(hour[8:10]), int(hour[11:13]), tzinfo=UTC)


def hour_key(at: datetime) -> str:
    """An aware datetime → its UTC hour 'YYYY-MM-DDTHH' (the store's bucket key)."""
    at = at.astimezone(UTC)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}"


def fill_hours(tallies: Sequence[HourTally]) -> list[HourTally]:
    """The tallies with the empty hours between them added (consecutive hours, in order)."""
    if not tallies:
        return []
    by_hour = {t.hour: t for t in tallies}
    first, last = hour_start(tallies[0].hour), hour_start(tallies[-1].hour)
    out = []
    at = first
    while at <= last:
        key = hour_key(at)
        out.append(by_hour.get(key) or HourTally(key, 0, 0, 0, 0, 0, 0.0, 0, 0))
        at += HOUR
    return out


def rhythm(hours: Sequence[HourTally], shrink: float = 20.0) -> list[float]:
    """Each hour's expected volume relative to an average hour (hour-of-day × weekday),
    learned from all mentions and shrunk towards 1 by *shrink* mentions' worth of evidence."""
    if not hours:
        return []
    starts = [hour_start(t.hour) for t in hours]
    mean = sum(t.total for t in hours) / len(hours)
    by_hod = [[0.0, 0] for _ in range(24)]
    by_dow = [[0.0, 0] for _ in range(7)]
    for start, t in zip(starts, hours, strict=True):
        for bucket in (by_hod[start.hour], by_dow[start.weekday()]):
            bucket[0] += t.total
            bucket[1] += 1

    def factor(bucket: list[float]) -> float:
        total, n = bucket
        return (total + shrink) / (n * mean + shrink) if mean > 0 else 1.0

    hod = [factor(b) for b in by_hod]
    dow = [factor(b) for b in by_dow]
    return [hod[s.hour] * dow[s.weekday()] for s in starts]


# --- detection ------------------------------------------------------------------------------


@dataclass
class _Series:
    """One metric's numbers per hour, and the weight of each hour in the baseline: the
    audience's rhythm for counts, the number of mentions for the negative share."""

    metric: Metric
    x: list[float]
    weights: list[float]
    dispersion: float = 1.0
    pre_x: list[float] = field(default_factory=list)
    pre_w: list[float] = field(default_factory=list)
    share: bool = False

    def __post_init__(self) -> None:
        self.pre_x, self.pre_w = _prefix(self.x), _prefix(self.weights)
        self.share = self.metric is Metric.NEGATIVE_SHARE

    def sums(self, first: int, last: int) -> tuple[float, float]:
        """(observed, weight) over hours first..last inclusive."""
        return (
            self.pre_x[last + 1] - self.pre_x[first],
            self.pre_w[last + 1] - self.pre_w[first],
        )


def _prefix(values: list[float]) -> list[float]:
    out = [0.0]
    for v in values:
        out.append(out[-1] + v)
    return out


def detect(tallies: Sequence[HourTally], thresholds: Thresholds | None = None) -> list[Spike]:
    """Alerts in *tallies* (hourly, in order; missing hours count as empty), oldest first."""
    th = thresholds or Thresholds()
    hours = fill_hours(tallies)
    if len(hours) <= th.warmup_hours:
        return []
    profile = rhythm(hours)
    starts = [hour_start(t.hour) for t in hours]
    metrics = (
        _Series(Metric.COMPLAINTS, [float(t.complaints) for t in hours], profile),
        _Series(
            Metric.NEGATIVE_SHARE,
            [float(t.negative) for t in hours],
            [float(t.total) for t in hours],
        ),
        _Series(Metric.ENGAGEMENT, [float(t.engaged_negative) for t in hours], profile),
    )
    spikes: list[Spike] = []
    for series in metrics:
        spikes += _detect_one(series, starts, th)
    spikes.sort(key=lambda s: (s.start, s.metric))
    return spikes


def _detect_one(s: _Series, starts: list[datetime], th: Thresholds) -> list[Spike]:
    """Walk the hours once: score the windows ending at each hour against the level learned
    before the window began, then learn from the hour (unless it is part of an alert)."""
    alpha = 1 - 0.5 ** (1 / th.half_life_hours)
    warm = th.warmup_hours
    ex, ew = sum(s.x[:warm]) / warm, sum(s.weights[:warm]) / warm  # the EWMA state
    floor = th.floor_share if s.share else th.floor_per_day / 24
    level = [0.0] * len(s.x)  # expected per unit of weight, as learned before each hour
    windows: list[tuple[int, int, float, int]] = []  # (first, last, score, scale)
    flagged_until = frozen_since = -1
    for t in range(len(s.x)):
        level[t] = max(ex / ew if ew > 0 else 0.0, floor)
        if t >= warm:
            for w in SCALES:
                first = t - w + 1
                if first < warm:
                    break
                score = _window_score(s, th, first, t, level[first])
                if score >= th.min_score:
                    windows.append((first, t, score, w))
                    flagged_until = t
        in_alert = flagged_until >= t
        frozen_since = (frozen_since if frozen_since >= 0 else t) if in_alert else -1
        if not in_alert or t - frozen_since > th.freeze_hours:
            ex += alpha * (s.x[t] - ex)
            ew += alpha * (s.weights[t] - ew)
    return [_episode(s, group, level, starts) for group in _overlapping(windows)]


def _window_score(s: _Series, th: Thresholds, first: int, last: int, level: float) -> float:
    x = s.pre_x[last + 1] - s.pre_x[first]
    if x < th.min_count:
        return 0.0
    weight = s.pre_w[last + 1] - s.pre_w[first]
    expected = level * weight
    if s.share:
        # a share needs more mentions than a count to mean anything
        if x < 2 * th.min_count or weight <= 0 or x / weight < level + th.min_share_rise:
            return 0.0
        return binomial_score(int(x), int(weight), level)
    if x < th.min_ratio * expected:
        return 0.0
    return poisson_score(x / s.dispersion, expected / s.dispersion)


def _overlapping(
    windows: list[tuple[int, int, float, int]],
) -> list[list[tuple[int, int, float, int]]]:
    """Flagged windows that overlap or touch, grouped into episodes."""
    groups: list[list[tuple[int, int, float, int]]] = []
    reach = -2
    for win in sorted(windows):
        if groups and win[0] <= reach + 1:
            groups[-1].append(win)
        else:
            groups.append([win])
            reach = -2
        reach = max(reach, win[1])
    return groups


def _episode(
    s: _Series,
    group: list[tuple[int, int, float, int]],
    level: list[float],
    starts: list[datetime],
) -> Spike:
    """One alert from a group of flagged windows: the sub-interval of their span that is most
    unlike the baseline before it (highest likelihood ratio), and the strongest window's score."""
    lo, hi = min(w[0] for w in group), max(w[1] for w in group)
    best = max(group, key=lambda w: w[2])
    base = level[lo]
    # an empty hour never ends the best interval (dropping it only helps): skip those
    ends = [t for t in range(lo, hi + 1) if s.x[t] > 0] or [best[0]]
    pre_x, pre_w, d = s.pre_x, s.pre_w, s.dispersion
    top, span = -1.0, (best[0], best[1])
    for i, a in enumerate(ends):
        xa, wa = pre_x[a], pre_w[a]
        for b in ends[i:]:
            weight = pre_w[b + 1] - wa
            if s.share:
                value = _binomial_llr(pre_x[b + 1] - xa, weight, base)
            else:
                value = _poisson_llr((pre_x[b + 1] - xa) / d, base * weight / d)
            if value > top:
                top, span = value, (a, b)
    x, weight = s.sums(*span)
    return Spike(
        metric=s.metric,
        start=starts[span[0]],
        end=starts[span[1]] + HOUR,
        count=x,
        baseline=base * weight,
        score=round(best[2], 2),
        window_hours=best[3],
        total=int(weight) if s.share else 0,
    )
