"""Finite-difference gradient checks: they must pass right gradients and catch wrong ones."""

import numpy as np
import pytest

from rnnbook import gradcheck


def quartic(p):
    return float(np.sum(p["a"] ** 4) + np.sum(p["a"][:, None] * p["B"]))


def quartic_grads(p):
    return {"a": 4 * p["a"] ** 3 + p["B"].sum(axis=1), "B": np.repeat(p["a"][:, None], 3, axis=1)}


def test_numerical_gradients_of_a_known_function(rng):
    params = {"a": rng.standard_normal(4), "B": rng.standard_normal((4, 3))}
    before = {k: v.copy() for k, v in params.items()}
    numeric = gradcheck.numerical_gradients(quartic, params)
    for name, grad in quartic_grads(params).items():
        assert gradcheck.relative_error(grad, numeric[name]) < 1e-8
        np.testing.assert_array_equal(params[name], before[name])  # restored exactly


def test_gradient_check_passes_right_and_catches_wrong(rng):
    params = {"a": rng.standard_normal(4), "B": rng.standard_normal((4, 3))}
    good = gradcheck.gradient_check(quartic, params, quartic_grads(params))
    assert good.max_error < 1e-8 and set(good.errors) == {"a", "B"}
    wrong = quartic_grads(params)
    wrong["B"] = wrong["B"] * 1.01
    bad = gradcheck.gradient_check(quartic, params, wrong)
    assert bad.errors["B"] > 1e-3 and bad.errors["a"] < 1e-8
    assert "max" in str(bad)


def test_relative_error():
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error(np.ones(2), -np.ones(2)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same shape"):
        gradcheck.relative_error(np.ones(2), np.ones(3))


def test_rejects_float32_and_bad_arguments(rng):
    params32 = {"a": np.ones(3, dtype=np.float32)}
    with pytest.raises(TypeError, match="float64"):
        gradcheck.numerical_gradients(lambda p: 0.0, params32)
    params = {"a": np.ones(3)}
    with pytest.raises(TypeError, match="loss_fn must be callable"):
        gradcheck.numerical_gradients(3, params)
    with pytest.raises(ValueError, match="eps must be > 0"):
        gradcheck.numerical_gradients(lambda p: 0.0, params, eps=0.0)
    with pytest.raises(ValueError, match="grads must have the keys"):
        gradcheck.gradient_check(lambda p: 0.0, params, {"b": np.ones(3)})
    with pytest.raises(ValueError, match=r"grads\['a'\] must have shape"):
        gradcheck.gradient_check(lambda p: 0.0, params, {"a": np.ones(2)})
    with pytest.raises(TypeError, match="params must be a non-empty dict"):
        gradcheck.gradient_check(lambda p: 0.0, {}, {})
