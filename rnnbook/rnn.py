"""The recurrent network of the book, in NumPy, in the seed article's notation.

For one sequence, with column vectors, the model is

    h_t = tanh(W x_t + U h_{t-1} + b)        hidden state, shape (num_hiddens,)
    o_t = V h_t + c                          output logits, shape (output_size,)
    C   = sum_t C_t,  C_t = -log softmax(o_t)[y_t]

so ``W`` is ``(num_hiddens, input_size)``, ``U`` is ``(num_hiddens, num_hiddens)``,
``V`` is ``(output_size, num_hiddens)``. Code works on a minibatch of row vectors, so the same
equation reads ``H[:, t] = tanh(X[:, t] @ W.T + H[:, t-1] @ U.T + b)``.

Inputs are either integer token ids of shape ``(batch_size, num_steps)`` (read as one-hot
vectors, so ``W x_t`` is the column ``W[:, x_t]``) or real vectors of shape
``(batch_size, num_steps, input_size)``.

Introduced in chapter 01; derived in chapters 03-05.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from ._checks import (
    check_array,
    check_float,
    check_ids,
    check_int,
    check_params,
    check_rng,
    describe,
)

PARAM_NAMES = ("W", "U", "b", "V", "c")
_WORK = threading.local()  # per-thread work arrays of _scratch
_U_INITS = ("normal", "orthogonal", "identity")
ACTIVATIONS = ("tanh", "relu")


def _scratch(name: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A work array that is reused from call to call and never returned to a caller.

    A training step needs several multi-megabyte temporaries. Allocated afresh, each one makes
    the operating system map new memory page by page (a page fault every 4 KiB), which on the
    book's 2-core machine cost a noticeable part of the step; kept between calls, they cost
    nothing after the first step of a given shape. One array per name and thread: a call with
    another shape or dtype replaces it, so memory stays bounded. Contents are garbage on return.
    """
    arrays = _WORK.__dict__.setdefault("arrays", {})
    array = arrays.get(name)
    if array is None or array.shape != shape or array.dtype != dtype:
        array = arrays[name] = np.empty(shape, dtype=dtype)
    return array


def _check_activation(activation: object) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
    return activation


def _activate(a: np.ndarray, activation: str) -> np.ndarray:
    return np.tanh(a) if activation == "tanh" else np.maximum(a, 0.0)


def init_params(input_size: int, num_hiddens: int, output_size: int, *,
                U_init: str = "normal", U_gain: float = 1.0,
                rng: np.random.Generator | int | None = None,
                dtype: type | np.dtype = np.float64) -> dict[str, np.ndarray]:
    """Initialise ``W, U, b, V, c``.

    ``W`` and ``V`` are scaled normal (variance ``1/fan_in``), biases are zero. ``U`` is
    ``U_gain`` times a scaled normal matrix (``"normal"``, spectral radius close to 1),
    a random orthogonal matrix (``"orthogonal"``, every singular value 1) or the identity
    (``"identity"``, as in Le, Jaitly & Hinton 2015).

    Introduced in chapter 01.
    """
    input_size = check_int("input_size", input_size, minimum=1)
    num_hiddens = check_int("num_hiddens", num_hiddens, minimum=1)
    output_size = check_int("output_size", output_size, minimum=1)
    if U_init not in _U_INITS:
        raise ValueError(f"U_init must be one of {_U_INITS}, got {U_init!r}")
    U_gain = check_float("U_gain", U_gain)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"dtype must be a floating-point dtype, got {describe(dtype)}") from None
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"dtype must be a floating-point dtype, got {dtype}")
    rng = check_rng("rng", rng)

    W = rng.standard_normal((num_hiddens, input_size)) / np.sqrt(input_size)
    if U_init == "normal":
        U = rng.standard_normal((num_hiddens, num_hiddens)) / np.sqrt(num_hiddens)
    elif U_init == "orthogonal":
        q, r = np.linalg.qr(rng.standard_normal((num_hiddens, num_hiddens)))
        U = q * np.sign(np.diag(r))  # sign fix makes the distribution uniform (Haar)
    else:
        U = np.eye(num_hiddens)
    V = rng.standard_normal((output_size, num_hiddens)) / np.sqrt(num_hiddens)
    params = {"W": W, "U": U_gain * U, "b": np.zeros(num_hiddens),
              "V": V, "c": np.zeros(output_size)}
    return {k: v.astype(dtype) for k, v in params.items()}


@dataclass
class ForwardCache:
    """What :func:`forward` keeps for :func:`bptt`.

    ``X`` is the input as given, ``h0`` the initial state ``(batch_size, num_hiddens)``,
    ``H`` every hidden state ``(batch_size, num_steps, num_hiddens)`` and ``activation`` the
    nonlinearity that produced them. :func:`forward` stores ``H`` time-major in memory (``H`` is a
    view whose ``swapaxes(0, 1)`` is contiguous), which is the order :func:`bptt` reads it in.
    """

    X: np.ndarray
    h0: np.ndarray
    H: np.ndarray
    activation: str = "tanh"

    @property
    def h_last(self) -> np.ndarray:
        """The final hidden state, ``(batch_size, num_hiddens)``."""
        return self.H[:, -1]


def _shapes(params: dict[str, np.ndarray]) -> tuple[int, int, int]:
    """Check the parameter shapes against each other; return (input, hidden, output) sizes."""
    W, U, b, V, c = (params[k] for k in PARAM_NAMES)
    if W.ndim != 2:
        raise ValueError(f"params['W'] must be 2-D (num_hiddens, input_size), got shape {W.shape}")
    num_hiddens, input_size = W.shape
    expected = {"U": (num_hiddens, num_hiddens), "b": (num_hiddens,),
                "c": (V.shape[0],) if V.ndim == 2 else None}
    if V.ndim != 2 or V.shape[1] != num_hiddens:
        raise ValueError(f"params['V'] must have shape (output_size, {num_hiddens}), "
                         f"got {V.shape}")
    for key, shape in expected.items():
        if params[key].shape != shape:
            raise ValueError(f"params[{key!r}] must have shape {shape}, got {params[key].shape}")
    dtypes = {params[k].dtype for k in PARAM_NAMES}
    if len(dtypes) != 1:
        raise TypeError(f"params must share one dtype, got {sorted(str(d) for d in dtypes)}")
    return input_size, num_hiddens, V.shape[0]


def _check_inputs(X: object, input_size: int, name: str = "X", *, ndim_int: int = 2) -> np.ndarray:
    """Validate token ids ``(..., )`` of rank ``ndim_int`` or float vectors of rank ``+1``."""
    if not isinstance(X, np.ndarray):
        raise TypeError(f"{name} must be a numpy array of token ids or input vectors, "
                        f"got {describe(X)}")
    if np.issubdtype(X.dtype, np.integer):
        return check_ids(name, X, input_size, ndim=ndim_int)
    if not np.issubdtype(X.dtype, np.floating):
        raise TypeError(f"{name} must hold integer token ids or floating-point vectors, "
                        f"got dtype {X.dtype}")
    check_array(name, X, ndim=ndim_int + 1, kind="float")
    if X.shape[-1] != input_size:
        raise ValueError(f"{name} must have last dimension input_size={input_size}, "
                         f"got shape {X.shape}")
    return X


def _check_h0(h0: object, batch_size: int, num_hiddens: int, dtype: np.dtype,
              name: str = "h0") -> np.ndarray:
    if h0 is None:
        return np.zeros((batch_size, num_hiddens), dtype=dtype)
    check_array(name, h0, ndim=2, kind="float")
    if h0.shape != (batch_size, num_hiddens):
        raise ValueError(f"{name} must have shape ({batch_size}, {num_hiddens}), got {h0.shape}")
    return h0.astype(dtype, copy=False)


def _input_projection(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    """``W x_t`` for every step at once, as rows: ``(..., num_hiddens)``."""
    if np.issubdtype(X.dtype, np.integer):
        return W.T[X]  # the column of W picked by each one-hot input
    return X.astype(W.dtype, copy=False) @ W.T


def forward(params: dict[str, np.ndarray], X: np.ndarray,
            h0: np.ndarray | None = None, *,
            activation: str = "tanh") -> tuple[np.ndarray, ForwardCache]:
    """Run the RNN over a minibatch; return logits ``(batch_size, num_steps, output_size)``.

    ``X`` holds token ids ``(batch_size, num_steps)`` or vectors
    ``(batch_size, num_steps, input_size)``; ``h0`` defaults to zeros. The cache feeds
    :func:`bptt` and holds the final state (``cache.h_last``) to carry into the next batch.
    ``activation="relu"`` replaces tanh by ``max(0, .)`` (the IRNN of chapter 05).

    Introduced in chapter 01; written out step by step in chapter 03.
    """
    check_params("params", params, PARAM_NAMES)
    activation = _check_activation(activation)
    input_size, num_hiddens, _ = _shapes(params)
    X = _check_inputs(X, input_size)
    batch_size, num_steps = X.shape[:2]
    W, U, b, V, c = (params[k] for k in PARAM_NAMES)
    h0 = _check_h0(h0, batch_size, num_hiddens, W.dtype)

    # Time-major throughout: step t reads and writes one contiguous (batch, hidden) block, the
    # loop allocates nothing, and the output layer is one matrix product over all steps. For
    # one-hot inputs, W x_t + b is row x_t of (W^T + b): a gather, not a product.
    Xt = X.swapaxes(0, 1)  # (num_steps, batch_size[, input_size])
    if np.issubdtype(X.dtype, np.integer):
        Ht = (W.T + b)[Xt]  # Ht[t] = W x_t + b, then U h_{t-1} is added in the loop
    else:
        Ht = Xt.astype(W.dtype, copy=False) @ W.T
        Ht += b
    UT, Uh = U.T, _scratch("Uh", (batch_size, num_hiddens), W.dtype)
    h = h0
    for t in range(num_steps):
        np.matmul(h, UT, out=Uh)  # U h_{t-1}
        Ht[t] += Uh  # a_t = W x_t + U h_{t-1} + b
        if activation == "tanh":
            np.tanh(Ht[t], out=Ht[t])
        else:
            np.maximum(Ht[t], 0, out=Ht[t])
        h = Ht[t]
    logits_t = (Ht.reshape(num_steps * batch_size, num_hiddens) @ V.T + c).reshape(
        num_steps, batch_size, -1)
    # Returned batch-major as views: (batch_size, num_steps, ...), stored time-major.
    logits, H = logits_t.swapaxes(0, 1), Ht.swapaxes(0, 1)
    return logits, ForwardCache(X=X, h0=h0, H=H, activation=activation)


def rnn_step(params: dict[str, np.ndarray], x: np.ndarray,
             h: np.ndarray | None = None, *,
             activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """One time step: ``h = tanh(W x + U h + b)``, ``o = V h + c``; return ``(o, h)``.

    ``x`` is token ids ``(batch_size,)`` or vectors ``(batch_size, input_size)``; ``h`` is
    ``(batch_size, num_hiddens)`` (zeros when ``None``). Used by generation loops that feed
    back their own output.

    Introduced in chapter 01.
    """
    check_params("params", params, PARAM_NAMES)
    activation = _check_activation(activation)
    input_size, num_hiddens, _ = _shapes(params)
    x = _check_inputs(x, input_size, "x", ndim_int=1)
    h = _check_h0(h, x.shape[0], num_hiddens, params["W"].dtype, name="h")
    h = _activate(_input_projection(params["W"], x) + h @ params["U"].T + params["b"], activation)
    return h @ params["V"].T + params["c"], h


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable ``log softmax`` over the last axis.

    Introduced in chapter 01.
    """
    check_array("logits", logits, kind="float")
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_cross_entropy(logits: np.ndarray, Y: np.ndarray,
                          mask: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Mean cross-entropy (nats per token) of integer targets ``Y`` and its gradient.

    ``logits`` is ``(..., output_size)`` and ``Y`` holds class ids of shape ``logits.shape[:-1]``.
    Returns ``(loss, dlogits)`` where ``dlogits = (softmax(logits) - onehot(Y)) / Y.size``.
    A boolean ``mask`` of ``Y``'s shape keeps only the positions where it is True: the loss is
    their mean and the gradient is zero elsewhere (targets there are ignored).

    Introduced in chapter 01 (masks in chapter 02); derived in chapter 04.
    """
    check_array("logits", logits, ndim=(2, 3), kind="float")
    check_ids("Y", Y, logits.shape[-1], ndim=logits.ndim - 1)
    if Y.shape != logits.shape[:-1]:
        raise ValueError(f"Y must have shape {logits.shape[:-1]} to match logits "
                         f"{logits.shape}, got {Y.shape}")
    if mask is not None:
        if not isinstance(mask, np.ndarray) or mask.dtype != bool:
            raise TypeError(f"mask must be a boolean numpy array, got {describe(mask)}")
        if mask.shape != Y.shape:
            raise ValueError(f"mask must have the shape of Y {Y.shape}, got {mask.shape}")
        if not mask.any():
            raise ValueError("mask must keep at least one position, got all False")
    weight = np.ones(Y.shape) if mask is None else mask.astype(np.float64)
    weight /= weight.sum()
    # log_softmax, computed in the array that becomes the gradient (one allocation, not four)
    logp = logits - logits.max(axis=-1, keepdims=True)
    exp_shifted = np.exp(logp, out=_scratch("exp", logp.shape, logp.dtype))
    logp -= np.log(exp_shifted.sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(logp, Y[..., None], axis=-1)[..., 0]
    loss = float(-(picked * weight).sum())
    dlogits = np.exp(logp, out=logp)  # the softmax
    np.put_along_axis(dlogits, Y[..., None],
                      np.take_along_axis(dlogits, Y[..., None], axis=-1) - 1, axis=-1)
    if mask is None:  # every weight is 1 / Y.size: scale by that scalar
        dlogits *= dlogits.dtype.type(weight.flat[0])
    else:
        dlogits *= weight[..., None].astype(dlogits.dtype)
    return loss, dlogits


def bptt(params: dict[str, np.ndarray], cache: ForwardCache, dlogits: np.ndarray, *,
         truncate: int | None = None,
         return_state_grads: bool = False):
    """Backpropagation through time: gradients of the loss w.r.t. ``W, U, b, V, c``.

    ``dlogits`` is ``dC/do_t`` for every step, ``(batch_size, num_steps, output_size)``.
    Going backwards, the error on the hidden state is
    ``dC/dh_t = V^T dC/do_t + U^T delta_{t+1}`` with ``delta_t = (1 - h_t**2) * dC/dh_t``;
    the weight gradients are sums over time, computed after the loop as matrix products:
    ``dW = sum_t delta_t x_t^T``, ``dU = sum_t delta_t h_{t-1}^T``, ``db = sum_t delta_t``.

    ``truncate=k`` cuts the recurrent path every ``k`` steps (steps ``0..k-1``, ``k..2k-1``,
    ...), exactly as if the state were detached between chunks; ``None`` is full BPTT.
    With ``return_state_grads=True`` also returns ``dC/dh_t`` for every step,
    ``(batch_size, num_steps, num_hiddens)``.

    Introduced in chapter 01; derived in chapter 05.
    """
    check_params("params", params, PARAM_NAMES)
    input_size, num_hiddens, output_size = _shapes(params)
    if not isinstance(cache, ForwardCache):
        raise TypeError(f"cache must be the ForwardCache returned by forward, "
                        f"got {describe(cache)}")
    H = cache.H
    batch_size, num_steps, cache_hiddens = H.shape
    if cache_hiddens != num_hiddens:
        raise ValueError(f"cache comes from a model with {cache_hiddens} hidden units, but "
                         f"params has num_hiddens={num_hiddens}")
    _check_inputs(cache.X, input_size, "cache.X")
    check_array("dlogits", dlogits, ndim=3, kind="float")
    if dlogits.shape != (batch_size, num_steps, output_size):
        raise ValueError(f"dlogits must have shape {(batch_size, num_steps, output_size)}, "
                         f"got {dlogits.shape}")
    if truncate is not None:
        truncate = check_int("truncate", truncate, minimum=1)
    W, U, V = params["W"], params["U"], params["V"]
    dtype = W.dtype

    # Time-major views: contiguous when forward and softmax_cross_entropy made the arrays.
    Ht = H.swapaxes(0, 1)  # (num_steps, batch_size, num_hiddens)
    rows = batch_size * num_steps
    E = dlogits.swapaxes(0, 1).astype(dtype, copy=False).reshape(rows, output_size)  # rows (t, b)
    # Everything that does not depend on the recursion is computed for all steps at once:
    # V^T dC/do_t for every t (one product), and the activation's slope at every step.
    shape = (num_steps, batch_size, num_hiddens)
    delta = _scratch("delta", shape, dtype)  # V^T dC/do_t, turned into delta_t = dC/da_t below
    np.matmul(E, V, out=delta.reshape(rows, num_hiddens))
    slope = _scratch("slope", shape, dtype)
    if cache.activation == "tanh":
        np.multiply(Ht, Ht, out=slope)
        np.subtract(1.0, slope, out=slope)  # 1 - h_t^2
    else:
        np.greater(Ht, 0, out=slope)  # 1 where h_t > 0
    dh_next = _scratch("dh_next", (batch_size, num_hiddens), dtype)
    dh_next.fill(0)  # U^T delta_{t+1}, zero beyond the last step
    state_grads = np.empty_like(delta) if return_state_grads else None
    # The loop keeps to what the recursion needs: one addition, one product with the slope,
    # and one matrix product per step.
    for t in range(num_steps - 1, -1, -1):
        delta[t] += dh_next  # dC/dh_t = V^T dC/do_t + U^T delta_{t+1}
        if state_grads is not None:
            state_grads[t] = delta[t]
        delta[t] *= slope[t]  # delta_t = slope_t * dC/dh_t
        if truncate is not None and t % truncate == 0:
            dh_next.fill(0)
        else:
            np.matmul(delta[t], U, out=dh_next)

    # The weight gradients are sums over time of outer products; each sum is one matrix product
    # over all batch_size * num_steps rows (time-major rows: (t, b)), computed once, here.
    D = delta.reshape(rows, num_hiddens)
    dU = D[batch_size:].T @ Ht[:-1].reshape(rows - batch_size, num_hiddens)  # h_{t-1}, t >= 2
    if cache.h0.any():
        dU += delta[0].T @ cache.h0.astype(dtype, copy=False)  # t = 1 reads h_0
    if np.issubdtype(cache.X.dtype, np.integer):
        onehot = _scratch("onehot", (rows, input_size), dtype)
        onehot.fill(0)
        onehot[np.arange(rows), cache.X.T.reshape(rows)] = 1.0
        dW = D.T @ onehot
    else:
        dW = D.T @ cache.X.swapaxes(0, 1).reshape(rows, input_size).astype(dtype, copy=False)
    grads = {
        "W": dW,
        "U": dU,
        "b": D.sum(axis=0),
        "V": E.T @ Ht.reshape(rows, num_hiddens),
        "c": E.sum(axis=0),
    }
    if return_state_grads:
        return grads, state_grads.swapaxes(0, 1)
    return grads


def loss_and_grads(params: dict[str, np.ndarray], X: np.ndarray, Y: np.ndarray,
                   h0: np.ndarray | None = None, *, truncate: int | None = None,
                   mask: np.ndarray | None = None, activation: str = "tanh"
                   ) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
    """Forward, softmax cross-entropy and BPTT in one call.

    Returns ``(loss, grads, h_last)``: the mean loss in nats per token (over the positions
    ``mask`` keeps, if given), gradients keyed like ``params``, and the final hidden state to
    carry into the next batch.

    Introduced in chapter 01.
    """
    logits, cache = forward(params, X, h0, activation=activation)
    loss, dlogits = softmax_cross_entropy(logits, Y, mask)
    grads = bptt(params, cache, dlogits, truncate=truncate)
    return loss, grads, cache.h_last


def mean_squared_error(predictions: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of ``(predictions - targets)**2`` and its gradient ``2 (predictions - targets) / n``.

    For regression read-outs such as the adding problem. Introduced in chapter 05.
    """
    check_array("predictions", predictions, kind="float")
    check_array("targets", targets, kind="number")
    if predictions.shape != targets.shape:
        raise ValueError(f"targets must have the shape of predictions {predictions.shape}, "
                         f"got {targets.shape}")
    diff = predictions - targets.astype(predictions.dtype)
    return float(np.mean(diff.astype(np.float64) ** 2)), 2.0 * diff / diff.size
