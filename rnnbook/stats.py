"""Paired comparisons of two models on the same test items: exact sign and McNemar tests, Holm,
and a block bootstrap for the mean difference of two language models' per-character losses.

Chapter 07's applications compare a recurrent network with a baseline on the same test set.
Items both models get right, or both wrong, say nothing about which is better; the test looks
only at the items where exactly one model is right (or, for forecasts, where one has the lower
error). If the models were equally good, each such item would favour either with probability
1/2, like a fair coin. Introduced in chapter 07 (speech).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ._checks import check_array, check_float, check_int, check_rng, describe


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: p-value of ``wins`` against ``losses`` under a fair coin.

    ``p = min(1, 2 P(X >= max(wins, losses)))`` for ``X ~ Binomial(wins + losses, 1/2)``; ties
    are left out by the caller. With no untied item there is no evidence either way (p = 1).
    """
    wins = check_int("wins", wins, minimum=0)
    losses = check_int("losses", losses, minimum=0)
    n = wins + losses
    tail = sum(math.comb(n, k) for k in range(max(wins, losses), n + 1)) / 2**n
    return min(1.0, 2 * tail)


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> tuple[int, int, float]:
    """Exact McNemar test of two classifiers scored on the same items.

    ``correct_a`` and ``correct_b`` are boolean arrays of one shape (True where that model is
    right). Returns ``(only_a, only_b, p)``: the items only model a gets right, those only model
    b gets right, and the two-sided exact p-value (:func:`sign_test` on those two counts).
    """
    for name, value in (("correct_a", correct_a), ("correct_b", correct_b)):
        if not isinstance(value, np.ndarray) or value.dtype != bool:
            raise TypeError(f"{name} must be a boolean numpy array, got {describe(value)}")
    if correct_a.shape != correct_b.shape:
        raise ValueError(f"correct_b must have the shape of correct_a {correct_a.shape}, "
                         f"got {correct_b.shape}")
    only_a = int((correct_a & ~correct_b).sum())
    only_b = int((~correct_a & correct_b).sum())
    return only_a, only_b, sign_test(only_a, only_b)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of several p-values, returned in the order given.

    The smallest p-value is multiplied by the number of tests, the next by one fewer, and so
    on, each adjusted value at least as large as the one before it and at most 1; rejecting
    where the adjusted value is below a level controls the chance of any false rejection at
    that level (Holm 1979).
    """
    p = check_array("p_values", np.asarray(p_values, dtype=np.float64), ndim=1)
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"p_values must lie in [0, 1], got values in [{p.min()}, {p.max()}]")
    adjusted, running = [0.0] * p.size, 0.0
    for rank, i in enumerate(np.argsort(p, kind="stable")):
        running = max(running, min(1.0, (p.size - rank) * float(p[i])))
        adjusted[i] = running
    return adjusted


class Interval(NamedTuple):
    """An estimate with the ends of its confidence interval (from :func:`block_bootstrap`)."""

    estimate: float
    low: float
    high: float


def block_bootstrap(values: np.ndarray, *, block_size: int, num_samples: int = 2000,
                    confidence: float = 0.95,
                    rng: np.random.Generator | int | None = 0) -> Interval:
    """Mean of ``values`` with a percentile interval from resampling blocks of it.

    ``values`` is one number per position of a text, typically the difference of two models'
    bits at each character. Neighbouring positions are not independent (a hard passage is hard
    for both models), so the text is cut into consecutive blocks of ``block_size`` positions
    (the last, shorter block kept) and whole blocks are drawn with replacement, ``num_samples``
    times (the non-overlapping block bootstrap). Returns the mean of ``values`` and the
    central ``confidence`` share of the resampled means.
    """
    values = check_array("values", values, ndim=1, kind="float")
    block_size = check_int("block_size", block_size, minimum=1, maximum=values.size)
    num_samples = check_int("num_samples", num_samples, minimum=100)
    confidence = check_float("confidence", confidence, positive=True, below=1.0)
    rng = check_rng("rng", rng)
    starts = np.arange(0, values.size, block_size)
    sums = np.add.reduceat(values, starts)
    sizes = np.diff(np.append(starts, values.size))
    draws = rng.integers(0, starts.size, size=(num_samples, starts.size))
    means = sums[draws].sum(axis=1) / sizes[draws].sum(axis=1)
    tail = 50 * (1 - confidence)
    low, high = np.percentile(means, [tail, 100 - tail])
    return Interval(float(values.mean()), float(low), float(high))
