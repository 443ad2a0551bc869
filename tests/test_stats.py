"""Exact sign and McNemar tests and Holm's adjustment (chapter 07)."""

import math

import numpy as np
import pytest

from rnnbook import stats


def test_sign_test_matches_the_binomial_distribution():
    assert stats.sign_test(0, 0) == 1.0 and stats.sign_test(5, 5) == 1.0
    assert stats.sign_test(10, 0) == pytest.approx(2 / 2**10)
    assert stats.sign_test(0, 10) == stats.sign_test(10, 0)  # two-sided: symmetric
    p = stats.sign_test(10, 7)
    assert p == pytest.approx(2 * sum(math.comb(17, k) for k in range(10, 18)) / 2**17)
    assert 0.6 < p < 0.65  # the speech section's 10 against 7
    # Monte Carlo check of the definition: how often a fair coin is at least as lopsided
    rng = np.random.default_rng(0)
    heads = rng.binomial(30, 0.5, 200_000)
    observed = np.mean(np.maximum(heads, 30 - heads) >= 22)
    assert stats.sign_test(22, 8) == pytest.approx(observed, abs=0.003)


def test_mcnemar_counts_only_the_discordant_items():
    a = np.array([True, True, False, False, True, True])
    b = np.array([True, False, True, False, False, False])
    assert stats.mcnemar(a, b) == (3, 1, stats.sign_test(3, 1))
    assert stats.mcnemar(a, a) == (0, 0, 1.0)


def test_holm_adjustment():
    assert stats.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])
    assert stats.holm([0.5]) == [0.5]
    assert stats.holm([0.6, 0.7]) == pytest.approx([1.0, 1.0])  # capped at 1


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="wins must be"):
        stats.sign_test(-1, 3)
    with pytest.raises(TypeError, match="losses must be"):
        stats.sign_test(1, 2.5)
    with pytest.raises(TypeError, match="correct_a must be a boolean numpy array"):
        stats.mcnemar([True, False], np.array([True, False]))
    with pytest.raises(ValueError, match=r"correct_b must have the shape of correct_a \(2,\)"):
        stats.mcnemar(np.array([True, False]), np.array([True]))
    with pytest.raises(ValueError, match="p_values must lie in"):
        stats.holm([0.5, 1.5])
