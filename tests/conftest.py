"""Shared fixtures for rnnbook's unit tests."""

import numpy as np
import pytest

from rnnbook import rnn


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


def random_problem(rng, *, batch_size=3, num_steps=5, input_size=4, num_hiddens=6,
                   output_size=4, integer_inputs=True, dtype=np.float64):
    """Random parameters (non-zero biases), inputs, targets and initial state."""
    params = rnn.init_params(input_size, num_hiddens, output_size, rng=rng, dtype=dtype)
    params["b"] += (0.1 * rng.standard_normal(num_hiddens)).astype(dtype)
    params["c"] += (0.1 * rng.standard_normal(output_size)).astype(dtype)
    if integer_inputs:
        X = rng.integers(0, input_size, (batch_size, num_steps))
    else:
        X = rng.standard_normal((batch_size, num_steps, input_size)).astype(dtype)
    Y = rng.integers(0, output_size, (batch_size, num_steps))
    h0 = (0.5 * rng.standard_normal((batch_size, num_hiddens))).astype(dtype)
    return params, X, Y, h0
