"""The neural fixed-window language model: gradients, distributions, training, clear errors."""

import numpy as np
import pytest

from rnnbook import gradcheck, losses, ngram, optim, window


def _small():
    params = window.init_params(7, 3, embed_size=4, num_hiddens=5, rng=0)
    ids = np.random.default_rng(1).integers(0, 7, 40)
    return params, ids


def test_gradients_match_finite_differences():
    params, ids = _small()
    C, y = window.contexts(ids, 3)
    loss, grads = window.loss_and_grads(params, C, y)
    check = gradcheck.gradient_check(
        lambda p: window.loss_and_grads(p, C, y)[0], params, grads)
    assert check.max_error < 1e-7
    assert set(grads) == set(window.PARAM_NAMES)


def test_contexts_are_the_preceding_ids():
    ids = np.arange(10)
    C, y = window.contexts(ids, 3)
    assert C.shape == (7, 3) and y.shape == (7,)
    np.testing.assert_array_equal(C[0], [0, 1, 2])
    np.testing.assert_array_equal(C[-1], [6, 7, 8])
    np.testing.assert_array_equal(y, np.arange(3, 10))


def test_probabilities_are_the_softmax_of_each_window():
    params, ids = _small()
    p = window.probabilities(params, ids)
    C, y = window.contexts(ids, 3)
    e = params["E"][C].reshape(len(y), -1)
    logits = np.tanh(e @ params["W"].T + params["b"]) @ params["V"].T + params["c"]
    full = losses.softmax(logits)
    np.testing.assert_allclose(full.sum(axis=1), 1.0)
    np.testing.assert_allclose(p, full[np.arange(len(y)), y])
    assert window.bits_per_char(params, ids) == pytest.approx(-np.log2(p).mean())


def test_training_learns_a_rule_the_window_can_see():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 5, 6000)
    for t in range(2, ids.size):  # 4 times in 5 an id is the sum of the two before, mod 5
        if rng.random() < 0.8:
            ids[t] = (ids[t - 1] + ids[t - 2]) % 5
    train, val = ids[:5000], ids[5000:]
    params = window.init_params(5, 3, embed_size=4, num_hiddens=32, rng=0)
    history = window.train_window(params, train, val, optimizer=optim.Adam(0.01), epochs=6,
                                  batch_size=32, rng=0, restore_best=True, log=lambda s: None)
    bigram = ngram.fit_ngram(train, 2, 5).bits_per_char(val[3:])  # one id back: no rule
    p = 0.8 + 0.2 / 5
    ideal = -(p * np.log2(p) + (1 - p) * np.log2((1 - p) / 4))
    assert bigram > 2.2
    assert window.bits_per_char(params, val) < ideal + 0.15
    assert history.val_bpc[history.best_epoch - 1] == min(history.val_bpc)
    assert history.train_bpc[-1] < history.train_bpc[0]


def test_rejects():
    params, ids = _small()
    with pytest.raises(ValueError, match="window must be >= 1"):
        window.init_params(7, 0)
    with pytest.raises(TypeError, match="dtype must be a floating-point dtype"):
        window.init_params(7, 3, dtype=np.int32)
    with pytest.raises(ValueError, match="too short for window=3"):
        window.probabilities(params, ids[:3])
    with pytest.raises(ValueError, match=r"ids must hold ids in \[0, 6\]"):
        window.probabilities(params, np.array([0, 1, 2, 9]))
    with pytest.raises(ValueError, match="params is missing"):
        window.bits_per_char({"E": params["E"]}, ids)
    C, y = window.contexts(ids, 3)
    with pytest.raises(ValueError, match="C must have window=3 columns"):
        window.loss_and_grads(params, C[:, :2], y)
    with pytest.raises(ValueError, match="y must have shape"):
        window.loss_and_grads(params, C, y[:-1])
    with pytest.raises(TypeError, match="optimizer must be"):
        window.train_window(params, ids, optimizer="adam", epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="restore_best=True needs val_ids"):
        window.train_window(params, ids, optimizer=optim.SGD(0.1), epochs=1, batch_size=4,
                            restore_best=True)
