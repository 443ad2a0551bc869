"""Optimisers reduce a quadratic; clipping keeps the direction; bad arguments are refused."""

import numpy as np
import pytest

from rnnbook import optim

TARGET = np.array([1.0, -2.0, 3.0])
SCALES = np.array([1.0, 10.0, 0.1])  # an ill-conditioned bowl


def quadratic(p):
    return float(np.sum(SCALES * (p["x"] - TARGET) ** 2))


def quadratic_grad(p):
    return {"x": 2 * SCALES * (p["x"] - TARGET)}


@pytest.mark.parametrize("optimizer", [
    optim.SGD(lr=0.04), optim.Momentum(lr=0.01, beta=0.9), optim.Adagrad(lr=0.5),
    optim.Adam(lr=0.05)], ids=lambda o: type(o).__name__)
def test_optimisers_reduce_a_quadratic(optimizer):
    params = {"x": np.zeros(3)}
    start = quadratic(params)
    for _ in range(500):
        optimizer.step(params, quadratic_grad(params))
    assert quadratic(params) < 1e-3 * start


def test_sgd_is_the_seed_update():
    params = {"W": np.array([1.0, 2.0])}
    optim.SGD(lr=0.5).step(params, {"W": np.array([2.0, -2.0])})
    np.testing.assert_allclose(params["W"], [0.0, 3.0])  # W = W - eta * dW


def test_adam_first_step_has_size_lr():
    params = {"x": np.zeros(3)}
    optim.Adam(lr=0.1).step(params, {"x": np.array([5.0, -0.01, 100.0])})
    np.testing.assert_allclose(params["x"], [-0.1, 0.1, -0.1], rtol=1e-6)


def test_adam_matches_hand_computation_over_two_steps():
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    g1, g2 = np.array([1.0, -2.0]), np.array([3.0, 0.5])
    params = {"x": np.zeros(2)}
    adam = optim.Adam(lr, b1, b2, eps)
    adam.step(params, {"x": g1})
    adam.step(params, {"x": g2})
    m1, v1 = (1 - b1) * g1, (1 - b2) * g1**2
    m2, v2 = b1 * m1 + (1 - b1) * g2, b2 * v1 + (1 - b2) * g2**2
    step1 = lr * g1 / (np.abs(g1) + eps)  # bias-corrected first step: m/(1-b1) = g
    step2 = lr * (m2 / (1 - b1**2)) / (np.sqrt(v2 / (1 - b2**2)) + eps)
    np.testing.assert_allclose(params["x"], -(step1 + step2), rtol=1e-12)


def test_momentum_and_adagrad_by_hand():
    params = {"x": np.zeros(1)}
    momentum = optim.Momentum(lr=0.1, beta=0.5)
    for g in (1.0, 2.0):
        momentum.step(params, {"x": np.array([g])})
    np.testing.assert_allclose(params["x"], [-(0.1 * 1.0 + 0.1 * (0.5 * 1.0 + 2.0))])
    params = {"x": np.zeros(1)}
    adagrad = optim.Adagrad(lr=1.0, eps=1e-12)
    for g in (3.0, 4.0):
        adagrad.step(params, {"x": np.array([g])})
    np.testing.assert_allclose(params["x"], [-(3.0 / 3.0 + 4.0 / 5.0)])


def test_step_keeps_float32():
    params = {"x": np.zeros(3, dtype=np.float32)}
    optim.Adam().step(params, {"x": np.ones(3, dtype=np.float32)})
    assert params["x"].dtype == np.float32


def test_clip_by_global_norm_preserves_direction(rng):
    grads = {"a": rng.standard_normal((3, 4)), "b": rng.standard_normal(5)}
    norm = optim.global_norm(grads)
    clipped, reported = optim.clip_by_global_norm(grads, norm / 4)
    assert reported == pytest.approx(norm)
    assert optim.global_norm(clipped) == pytest.approx(norm / 4)
    for k in grads:
        np.testing.assert_allclose(clipped[k] * 4, grads[k])  # same direction, shorter
    unchanged, _ = optim.clip_by_global_norm(grads, norm * 2)
    for k in grads:
        np.testing.assert_array_equal(unchanged[k], grads[k])


def test_clip_by_value():
    clipped = optim.clip_by_value({"a": np.array([-3.0, 0.5, 9.0])}, 1.0)
    np.testing.assert_array_equal(clipped["a"], [-1.0, 0.5, 1.0])


def test_global_norm_reports_nan_but_clipping_refuses_it():
    assert np.isnan(optim.global_norm({"a": np.array([1.0, np.nan])}))
    with pytest.raises(ValueError, match="grads must be finite to be clipped"):
        optim.clip_by_global_norm({"a": np.array([1.0, np.inf])}, 1.0)


@pytest.mark.parametrize("make, words", [
    (lambda: optim.SGD(lr=0), "lr must be > 0"),
    (lambda: optim.SGD(lr="0.1"), "lr must be a real number"),
    (lambda: optim.Momentum(lr=0.1, beta=1.0), "beta must be < 1"),
    (lambda: optim.Adam(beta2=-0.1), "beta2 must be >= 0"),
    (lambda: optim.Adagrad(lr=0.1, eps=0), "eps must be > 0"),
    (lambda: optim.clip_by_global_norm({"a": np.ones(2)}, -1), "max_norm must be > 0"),
    (lambda: optim.clip_by_value({"a": np.ones(2)}, 0), "limit must be > 0"),
    (lambda: optim.global_norm([]), "grads must be a non-empty dict"),
])
def test_rejects_bad_arguments(make, words):
    with pytest.raises((ValueError, TypeError), match=words):
        make()


def test_step_rejects_mismatched_grads():
    params = {"x": np.zeros(3)}
    with pytest.raises(ValueError, match="grads must have the keys"):
        optim.SGD(0.1).step(params, {"y": np.zeros(3)})
    with pytest.raises(ValueError, match=r"grads\['x'\] must have shape"):
        optim.SGD(0.1).step(params, {"x": np.zeros(2)})
    with pytest.raises(ValueError, match="finite"):
        optim.SGD(0.1).step(params, {"x": np.array([0.0, np.nan, 0.0])})
