"""The NumPy RNN: forward pass, loss, BPTT (full and truncated) and their argument checks."""

import numpy as np
import pytest

from conftest import random_problem
from rnnbook import gradcheck, losses, rnn


def test_init_shapes_and_dtypes(rng):
    params = rnn.init_params(5, 7, 3, rng=rng, dtype=np.float32)
    shapes = {k: v.shape for k, v in params.items()}
    assert shapes == {"W": (7, 5), "U": (7, 7), "b": (7,), "V": (3, 7), "c": (3,)}
    assert all(v.dtype == np.float32 for v in params.values())
    assert not params["b"].any() and not params["c"].any()


def test_init_U_variants(rng):
    orth = rnn.init_params(3, 16, 3, U_init="orthogonal", rng=rng)["U"]
    np.testing.assert_allclose(orth @ orth.T, np.eye(16), atol=1e-12)
    ident = rnn.init_params(3, 4, 3, U_init="identity", U_gain=0.5, rng=rng)["U"]
    np.testing.assert_array_equal(ident, 0.5 * np.eye(4))
    normal = rnn.init_params(3, 400, 3, rng=rng)["U"]
    radius = np.abs(np.linalg.eigvals(normal)).max()
    assert 0.9 < radius < 1.1  # circular law: spectral radius close to 1


def test_init_is_seeded():
    a = rnn.init_params(3, 4, 2, rng=7)
    b = rnn.init_params(3, 4, 2, rng=7)
    assert all(np.array_equal(a[k], b[k]) for k in a)


def explicit_forward(params, X, h0):
    """The seed's equations for one sequence at a time, column vectors, no batching."""
    W, U, b, V, c = (params[k] for k in rnn.PARAM_NAMES)
    out = []
    for r in range(X.shape[0]):
        h = h0[r]
        row = []
        for t in range(X.shape[1]):
            x = np.eye(W.shape[1])[X[r, t]] if X.ndim == 2 else X[r, t]
            h = np.tanh(W @ x + U @ h + b)
            row.append(V @ h + c)
        out.append(row)
    return np.array(out)


@pytest.mark.parametrize("integer_inputs", [True, False])
def test_forward_matches_the_equations(rng, integer_inputs):
    params, X, _, h0 = random_problem(rng, integer_inputs=integer_inputs)
    logits, cache = rnn.forward(params, X, h0)
    np.testing.assert_allclose(logits, explicit_forward(params, X, h0), atol=1e-12)
    assert cache.H.shape == (3, 5, 6)
    np.testing.assert_array_equal(cache.h_last, cache.H[:, -1])


def test_rnn_step_matches_forward(rng):
    params, X, _, h0 = random_problem(rng)
    logits, _ = rnn.forward(params, X, h0)
    h = h0
    for t in range(X.shape[1]):
        o, h = rnn.rnn_step(params, X[:, t], h)
        np.testing.assert_allclose(o, logits[:, t], atol=1e-12)


def test_carrying_state_equals_one_long_pass(rng):
    params, X, _, h0 = random_problem(rng, num_steps=8)
    full, _ = rnn.forward(params, X, h0)
    first, cache = rnn.forward(params, X[:, :3], h0)
    second, _ = rnn.forward(params, X[:, 3:], cache.h_last)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), full, atol=1e-12)


def test_softmax_cross_entropy_value_and_gradient(rng):
    logits = rng.standard_normal((2, 3, 5))
    Y = rng.integers(0, 5, (2, 3))
    loss, dlogits = losses.softmax_cross_entropy(logits, Y)
    p = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    expected = -np.mean(np.log(np.take_along_axis(p, Y[..., None], -1)))
    assert loss == pytest.approx(expected, rel=1e-12)
    numeric = gradcheck.numerical_gradients(
        lambda q: losses.softmax_cross_entropy(q["o"], Y)[0], {"o": logits.copy()})["o"]
    assert gradcheck.relative_error(dlogits, numeric) < 1e-8


def test_log_softmax_is_stable():
    out = losses.log_softmax(np.array([[1000.0, 0.0, -1000.0]]))
    assert np.isfinite(out).all() and out[0, 0] == pytest.approx(0.0)


SHAPES = [dict(batch_size=1, num_steps=1, input_size=3, num_hiddens=2, output_size=3),
          dict(batch_size=3, num_steps=5, input_size=4, num_hiddens=6, output_size=4),
          dict(batch_size=2, num_steps=9, input_size=7, num_hiddens=5, output_size=3)]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("integer_inputs", [True, False])
def test_bptt_matches_finite_differences(rng, shape, integer_inputs):
    params, X, Y, h0 = random_problem(rng, integer_inputs=integer_inputs, **shape)
    _, grads, _ = rnn.loss_and_grads(params, X, Y, h0)
    check = gradcheck.gradient_check(lambda q: rnn.loss_and_grads(q, X, Y, h0)[0], params, grads)
    assert check.max_error < 1e-6, str(check)


def test_state_grads_match_finite_differences(rng):
    params, X, Y, h0 = random_problem(rng)
    logits, cache = rnn.forward(params, X, h0)
    _, dlogits = losses.softmax_cross_entropy(logits, Y)
    _, state_grads = rnn.bptt(params, cache, dlogits, return_state_grads=True)

    def loss_from_h1(h):
        """The loss as a function of the state after the first step, h_1 = cache.H[:, 0]."""
        first = h["h"] @ params["V"].T + params["c"]  # o_1
        later, _ = rnn.forward(params, X[:, 1:], h["h"])  # o_2 .. o_T, started from h_1
        return losses.softmax_cross_entropy(np.concatenate([first[:, None], later], axis=1), Y)[0]

    numeric = gradcheck.numerical_gradients(loss_from_h1, {"h": cache.H[:, 0].copy()})["h"]
    assert gradcheck.relative_error(state_grads[:, 0], numeric) < 1e-7


@pytest.mark.parametrize("k", [5, 6, 50])
def test_truncation_at_or_beyond_num_steps_is_full_bptt(rng, k):
    params, X, Y, h0 = random_problem(rng, num_steps=5)
    full = rnn.loss_and_grads(params, X, Y, h0)[1]
    truncated = rnn.loss_and_grads(params, X, Y, h0, truncate=k)[1]
    for name in full:
        np.testing.assert_allclose(truncated[name], full[name], atol=1e-14)


def test_truncation_equals_detaching_the_state_between_chunks(rng):
    params, X, Y, h0 = random_problem(rng, num_steps=9)
    truncated = rnn.loss_and_grads(params, X, Y, h0, truncate=4)[1]
    total = {k: np.zeros_like(v) for k, v in params.items()}
    h = h0
    for start in range(0, 9, 4):  # chunks of 4, 4, 1 with the state passed on as a constant
        Xc, Yc = X[:, start:start + 4], Y[:, start:start + 4]
        loss, grads, h = rnn.loss_and_grads(params, Xc, Yc, h)
        for name in total:  # the chunk loss is a mean over its tokens; rescale to the full mean
            total[name] += grads[name] * Yc.size / Y.size
    for name in total:
        np.testing.assert_allclose(truncated[name], total[name], atol=1e-12)
    full = rnn.loss_and_grads(params, X, Y, h0)[1]
    assert not np.allclose(truncated["U"], full["U"])  # something really was cut


def test_float32_path_agrees_with_float64(rng):
    params, X, Y, h0 = random_problem(rng)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    l64, g64, _ = rnn.loss_and_grads(params, X, Y, h0)
    l32, g32, _ = rnn.loss_and_grads(p32, X, Y, h0.astype(np.float32))
    assert l32 == pytest.approx(l64, rel=1e-5)
    assert all(g32[k].dtype == np.float32 for k in g32)
    assert max(gradcheck.relative_error(g32[k], g64[k]) for k in g64) < 1e-5


# ---- argument checks: each names the argument ------------------------------------------

@pytest.mark.parametrize("kwargs, exc, words", [
    (dict(input_size=0), ValueError, "input_size"),
    (dict(num_hiddens=2.5), TypeError, "num_hiddens"),
    (dict(U_init="eye"), ValueError, "U_init"),
    (dict(U_gain=float("nan")), ValueError, "U_gain"),
    (dict(dtype=np.int32), TypeError, "dtype"),
    (dict(dtype="foo"), TypeError, "dtype must be a floating-point dtype"),
    (dict(rng="seed"), TypeError, "rng"),
    (dict(rng=-3), ValueError, "rng as an int seed must be >= 0"),
])
def test_init_params_rejects(kwargs, exc, words):
    args = dict(input_size=3, num_hiddens=4, output_size=3) | kwargs
    with pytest.raises(exc, match=words):
        rnn.init_params(args.pop("input_size"), args.pop("num_hiddens"), args.pop("output_size"),
                        **args)


def test_forward_rejects_bad_inputs(rng):
    params, X, _, h0 = random_problem(rng)
    with pytest.raises(TypeError, match="X must be a numpy array"):
        rnn.forward(params, X.tolist())
    with pytest.raises(ValueError, match=r"X must hold ids in \[0, 3\], got values in \[4, 4\]"):
        rnn.forward(params, np.full((2, 3), 4))
    with pytest.raises(ValueError, match="X must hold ids"):
        rnn.forward(params, np.full((2, 3), -1))
    with pytest.raises(ValueError, match="X must have 2 dimensions"):
        rnn.forward(params, X[0])
    with pytest.raises(ValueError, match="last dimension input_size=4"):
        rnn.forward(params, np.zeros((2, 3, 5)))
    with pytest.raises(ValueError, match="X must contain only finite"):
        rnn.forward(params, np.full((2, 3, 4), np.nan))
    with pytest.raises(ValueError, match="X must not be empty"):
        rnn.forward(params, np.zeros((2, 0), dtype=int))
    with pytest.raises(ValueError, match=r"h0 must have shape \(3, 6\)"):
        rnn.forward(params, X, h0[:2])
    with pytest.raises(TypeError, match="X must hold integer token ids or floating-point"):
        rnn.forward(params, np.zeros((2, 3), dtype=bool))


def test_forward_rejects_bad_params(rng):
    params, X, _, _ = random_problem(rng)
    with pytest.raises(ValueError, match="missing"):
        rnn.forward({k: v for k, v in params.items() if k != "U"}, X)
    with pytest.raises(ValueError, match=r"params\['U'\] must have shape"):
        rnn.forward(params | {"U": np.zeros((6, 5))}, X)
    with pytest.raises(ValueError, match=r"params\['V'\] must have shape"):
        rnn.forward(params | {"V": np.zeros((4, 5))}, X)
    with pytest.raises(TypeError, match="share one dtype"):
        rnn.forward(params | {"c": params["c"].astype(np.float32)}, X)
    with pytest.raises(ValueError, match="finite"):
        rnn.forward(params | {"W": np.full_like(params["W"], np.inf)}, X)
    with pytest.raises(TypeError, match="params must be a dict"):
        rnn.forward([1, 2], X)


def test_loss_and_bptt_reject_bad_arguments(rng):
    params, X, Y, _ = random_problem(rng)
    logits, cache = rnn.forward(params, X)
    with pytest.raises(ValueError, match="Y must have shape"):
        losses.softmax_cross_entropy(logits, Y[:, :2])
    with pytest.raises(ValueError, match=r"Y must hold ids in \[0, 3\]"):
        losses.softmax_cross_entropy(logits, Y + 10)
    with pytest.raises(TypeError, match="Y must have an integer"):
        losses.softmax_cross_entropy(logits, Y.astype(float))
    _, dlogits = losses.softmax_cross_entropy(logits, Y)
    with pytest.raises(ValueError, match="truncate must be >= 1"):
        rnn.bptt(params, cache, dlogits, truncate=0)
    with pytest.raises(TypeError, match="truncate must be an integer"):
        rnn.bptt(params, cache, dlogits, truncate=2.0)
    with pytest.raises(ValueError, match="dlogits must have shape"):
        rnn.bptt(params, cache, dlogits[:, :2])
    with pytest.raises(TypeError, match="cache must be the ForwardCache"):
        rnn.bptt(params, {"H": cache.H}, dlogits)
    with pytest.raises(ValueError, match="x must have 1 dimensions"):
        rnn.rnn_step(params, X, None)
    other, X2, _, _ = random_problem(rng, num_hiddens=3)
    _, other_cache = rnn.forward(other, X2)
    with pytest.raises(ValueError, match="cache comes from a model with 3 hidden units"):
        rnn.bptt(params, other_cache, dlogits)


def test_masked_loss_only_counts_kept_positions(rng):
    params, X, Y, h0 = random_problem(rng, num_steps=6)
    mask = np.zeros(Y.shape, dtype=bool)
    mask[:, 2:] = True
    logits, _ = rnn.forward(params, X, h0)
    loss, dlogits = losses.softmax_cross_entropy(logits, Y, mask)
    expected, _ = losses.softmax_cross_entropy(logits[:, 2:], Y[:, 2:])
    assert loss == pytest.approx(expected)
    assert not dlogits[:, :2].any()
    _, grads, _ = rnn.loss_and_grads(params, X, Y, h0, mask=mask)
    check = gradcheck.gradient_check(
        lambda q: rnn.loss_and_grads(q, X, Y, h0, mask=mask)[0], params, grads)
    assert check.max_error < 1e-6


def test_mask_rejects(rng):
    logits = rng.standard_normal((2, 3, 4))
    Y = np.zeros((2, 3), dtype=int)
    with pytest.raises(TypeError, match="mask must be a boolean"):
        losses.softmax_cross_entropy(logits, Y, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"mask must have the shape of Y \(2, 3\)"):
        losses.softmax_cross_entropy(logits, Y, np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="at least one position"):
        losses.softmax_cross_entropy(logits, Y, np.zeros((2, 3), dtype=bool))


def test_relu_activation_forward_and_gradients(rng):
    params, X, Y, h0 = random_problem(rng, integer_inputs=False)
    h0 = np.abs(h0)
    logits, cache = rnn.forward(params, X, h0, activation="relu")
    W, U, b = params["W"], params["U"], params["b"]
    h = h0
    for t in range(X.shape[1]):
        h = np.maximum(X[:, t] @ W.T + h @ U.T + b, 0)
    np.testing.assert_allclose(cache.h_last, h, atol=1e-12)
    assert cache.activation == "relu" and (cache.H >= 0).all()
    _, grads, _ = rnn.loss_and_grads(params, X, Y, h0, activation="relu")
    check = gradcheck.gradient_check(
        lambda q: rnn.loss_and_grads(q, X, Y, h0, activation="relu")[0], params, grads)
    assert check.max_error < 1e-6
    o, h1 = rnn.rnn_step(params, X[:, 0], h0, activation="relu")
    np.testing.assert_allclose(h1, cache.H[:, 0], atol=1e-12)
    with pytest.raises(ValueError, match="activation must be one of"):
        rnn.forward(params, X, activation="sigmoid")


def test_mean_squared_error(rng):
    pred, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    loss, grad = losses.mean_squared_error(pred, target)
    assert loss == pytest.approx(np.mean((pred - target) ** 2))
    numeric = gradcheck.numerical_gradients(
        lambda p: losses.mean_squared_error(p["p"], target)[0], {"p": pred.copy()})["p"]
    assert gradcheck.relative_error(grad, numeric) < 1e-8
    with pytest.raises(ValueError, match="targets must have the shape"):
        losses.mean_squared_error(pred, target[:2])


def clear_bptt(params, X, Y, h0):
    """BPTT written plainly, one sequence and one step at a time (the chapter 05 equations),
    independently of rnnbook: the gold model."""
    W, U, b, V, c = (params[k] for k in rnn.PARAM_NAMES)
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    n = Y.size
    for r in range(X.shape[0]):
        hs = [h0[r]]
        for t in range(X.shape[1]):
            x = np.eye(W.shape[1])[X[r, t]] if X.ndim == 2 else X[r, t]
            hs.append(np.tanh(W @ x + U @ hs[-1] + b))
        delta_next = np.zeros_like(b)
        for t in reversed(range(X.shape[1])):
            h = hs[t + 1]
            o = V @ h + c
            e = np.exp(o - o.max()) / np.exp(o - o.max()).sum()
            e[Y[r, t]] -= 1
            e /= n
            delta = (1 - h**2) * (V.T @ e + U.T @ delta_next)
            x = np.eye(W.shape[1])[X[r, t]] if X.ndim == 2 else X[r, t]
            grads["W"] += np.outer(delta, x)
            grads["U"] += np.outer(delta, hs[t])
            grads["b"] += delta
            grads["V"] += np.outer(e, h)
            grads["c"] += e
            delta_next = delta
    return grads


@pytest.mark.parametrize("integer_inputs", [True, False])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("zero_h0", [False, True])
def test_bptt_equals_the_per_sequence_version(rng, integer_inputs, dtype, zero_h0):
    # random shapes, as numpy-ml's gold tests draw them
    sizes = dict(zip(("batch_size", "num_steps", "input_size", "num_hiddens", "output_size"),
                     (int(n) for n in rng.integers(1, 9, 5)), strict=True))
    params, X, Y, h0 = random_problem(rng, integer_inputs=integer_inputs, dtype=dtype, **sizes)
    if zero_h0:
        h0 = np.zeros_like(h0)
    _, fast, _ = rnn.loss_and_grads(params, X, Y, None if zero_h0 else h0)
    as64 = {k: v.astype(np.float64) for k, v in params.items()}
    clear = clear_bptt(as64, X.astype(np.float64) if not integer_inputs else X, Y,
                       h0.astype(np.float64))
    for k in params:
        assert fast[k].dtype == dtype
        if dtype == np.float64:
            np.testing.assert_allclose(fast[k], clear[k], atol=1e-13)
        else:  # float32 round-off on values of order 0.1
            np.testing.assert_allclose(fast[k], clear[k], atol=2e-6)


def test_later_calls_never_change_what_earlier_calls_returned(rng):
    params, X, Y, h0 = random_problem(rng, num_steps=6)
    logits, cache = rnn.forward(params, X, h0)
    loss, dlogits = losses.softmax_cross_entropy(logits, Y)
    grads, state_grads = rnn.bptt(params, cache, dlogits, return_state_grads=True)
    _, grads2, h_last = rnn.loss_and_grads(params, X, Y, h0, truncate=2)
    returned = [logits, cache.H, dlogits, state_grads, h_last, *grads.values(), *grads2.values()]
    kept = [a.copy() for a in returned]
    other_X = rng.integers(0, X.max() + 1, X.shape)  # same shapes, other contents
    rnn.loss_and_grads(params, other_X, Y[::-1].copy(), None, activation="relu")
    for before, after in zip(kept, returned, strict=True):
        np.testing.assert_array_equal(before, after)


def test_bptt_accepts_any_layout_of_dlogits_and_a_batch_major_cache(rng):
    params, X, Y, h0 = random_problem(rng, num_steps=5)
    logits, cache = rnn.forward(params, X, h0)
    _, dlogits = losses.softmax_cross_entropy(logits, Y)
    reference = rnn.bptt(params, cache, dlogits)
    batch_major = rnn.ForwardCache(X=cache.X, h0=cache.h0, H=np.ascontiguousarray(cache.H))
    for d, c in ((np.ascontiguousarray(dlogits), cache), (np.asfortranarray(dlogits), cache),
                 (dlogits.astype(np.float32), cache), (dlogits, batch_major)):
        got = rnn.bptt(params, c, d)
        for k in reference:
            np.testing.assert_allclose(got[k], reference[k], rtol=1e-6, atol=1e-7)
