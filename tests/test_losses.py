"""rnnbook.losses: the output functions, the new losses and the metrics, against their formulas."""

import math

import numpy as np
import pytest

from rnnbook import gradcheck, losses


def test_sigmoid_matches_its_formula_and_never_overflows():
    x = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(losses.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)
    with np.errstate(over="raise"):
        extreme = losses.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(extreme, [0.0, 0.5, 1.0])
    assert losses.sigmoid(np.float32(2.0)).dtype == np.float32


def test_softmax_and_log_softmax_agree_and_temperature_sharpens(rng):
    logits = rng.standard_normal((3, 5))
    np.testing.assert_allclose(np.log(losses.softmax(logits)), losses.log_softmax(logits),
                               atol=1e-12)
    cold, hot = losses.softmax(logits[0], 0.1), losses.softmax(logits[0], 10.0)
    assert cold.max() > losses.softmax(logits[0]).max() > hot.max()
    with pytest.raises(ValueError, match="temperature"):
        losses.softmax(logits, 0.0)


def test_last_step_squared_error_is_the_mse_of_the_last_step_only(rng):
    outputs, targets = rng.standard_normal((4, 6, 1)), rng.standard_normal(4)
    loss, doutputs = losses.last_step_squared_error(outputs, targets)
    assert loss == pytest.approx(np.mean((outputs[:, -1, 0] - targets) ** 2))
    numeric = gradcheck.numerical_gradients(
        lambda q: losses.last_step_squared_error(q["o"], targets)[0], {"o": outputs.copy()})["o"]
    assert gradcheck.relative_error(doutputs, numeric) < 1e-8
    assert not doutputs[:, :-1].any()
    with pytest.raises(ValueError, match="outputs"):
        losses.last_step_squared_error(outputs.repeat(2, axis=-1), targets)
    with pytest.raises(ValueError, match="targets"):
        losses.last_step_squared_error(outputs, targets[:2])


def test_masked_accuracy_counts_only_the_kept_positions():
    logits = np.array([[[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]]])
    Y = np.array([[0, 0, 1]])
    assert losses.masked_accuracy(logits, Y) == pytest.approx(1 / 3)
    assert losses.masked_accuracy(logits, Y, np.array([[True, False, False]])) == 1.0
    with pytest.raises(ValueError, match="mask must keep at least one"):
        losses.masked_accuracy(logits, Y, np.zeros((1, 3), dtype=bool))


def test_units():
    assert losses.bits(math.log(2.0)) == pytest.approx(1.0)
    assert losses.perplexity(math.log(65.0)) == pytest.approx(65.0)
    assert losses.entropy_bits(np.full(4, 0.25)) == pytest.approx(2.0)
