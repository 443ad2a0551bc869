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


def test_block_bootstrap_covers_the_mean_of_independent_blocks():
    rng = np.random.default_rng(0)
    # 40 blocks of 50 positions sharing a block effect: positions within a block are correlated
    values = np.repeat(rng.normal(0.2, 1.0, 40), 50) + rng.normal(0, 0.1, 2000)
    est = stats.block_bootstrap(values, block_size=50, rng=1)
    assert est.estimate == pytest.approx(values.mean())
    assert est.low < est.estimate < est.high
    block_se = values.reshape(40, 50).mean(axis=1).std(ddof=1) / np.sqrt(40)
    # the 95% interval is about +-1.96 standard errors of the mean of block means ...
    assert (est.high - est.low) / 2 == pytest.approx(1.96 * block_se, rel=0.2)
    # ... which treating the 2000 positions as independent would understate five-fold
    naive_se = values.std(ddof=1) / np.sqrt(values.size)
    assert block_se > 4 * naive_se


def test_block_bootstrap_is_seeded_and_keeps_a_short_last_block():
    values = np.arange(1.0, 11.0)
    a = stats.block_bootstrap(values, block_size=3, rng=5)
    assert a == stats.block_bootstrap(values, block_size=3, rng=5)
    assert a.estimate == pytest.approx(5.5)
    assert 1.0 <= a.low <= a.high <= 10.0


def test_block_bootstrap_rejects():
    with pytest.raises(ValueError, match="values must have 1 dimension"):
        stats.block_bootstrap(np.zeros((3, 3)), block_size=1)
    with pytest.raises(ValueError, match="block_size must be <= 3"):
        stats.block_bootstrap(np.zeros(3), block_size=4)
    with pytest.raises(ValueError, match="confidence must be < 1.0"):
        stats.block_bootstrap(np.zeros(3), block_size=1, confidence=1.0)
    with pytest.raises(TypeError, match="values must"):
        stats.block_bootstrap([1.0, 2.0], block_size=1)
