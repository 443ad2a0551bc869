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
from .losses import _check_targets, _softmax_cross_entropy

__all__ = ["ACTIVATIONS", "PARAM_NAMES", "ForwardCache", "bptt", "forward", "init_params",
           "loss_and_grads", "rnn_step"]

PARAM_NAMES = ("W", "U", "b", "V", "c")
_U_INITS = ("normal", "orthogonal", "identity")
ACTIVATIONS = ("tanh", "relu")


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
    nonlinearity that produced them.
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


def _check_forward_args(params, X, h0, activation):
    """Validate what :func:`forward` takes; return ``(X, h0)`` (``h0`` filled in)."""
    check_params("params", params, PARAM_NAMES)
    _check_activation(activation)
    input_size, num_hiddens, _ = _shapes(params)
    X = _check_inputs(X, input_size)
    h0 = _check_h0(h0, X.shape[0], num_hiddens, params["W"].dtype)
    return X, h0


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
    X, h0 = _check_forward_args(params, X, h0, activation)
    return _forward(params, X, h0, activation)


def _forward(params, X, h0, activation):
    W, U, b, V, c = (params[k] for k in PARAM_NAMES)
    # Time steps first in memory: XW[t] and H[t] are contiguous blocks,
    # (batch_size, num_hiddens). The cache and the logits are handed out
    # batch first.
    XW = _input_projection(W, X.swapaxes(0, 1)) + b  # W x_t + b, every t
    H = np.empty_like(XW)
    h = h0
    for t in range(len(XW)):
        # h_t = tanh(W x_t + U h_{t-1} + b)
        h = _activate(XW[t] + h @ U.T, activation)
        H[t] = h
    logits = _times(H, V.T) + c  # o_t = V h_t + c, every t at once
    # as (batch_size, num_steps, ...)
    H, logits = H.swapaxes(0, 1), logits.swapaxes(0, 1)
    return logits, ForwardCache(X=X, h0=h0, H=H, activation=activation)


def _times(A: np.ndarray, M: np.ndarray) -> np.ndarray:
    """``A @ M`` for ``A`` of shape ``(num_steps, batch_size, n)``, as one
    2-D product."""
    return (A.reshape(-1, A.shape[-1]) @ M).reshape(*A.shape[:-1],
                                                    M.shape[-1])


def rnn_step(params: dict[str, np.ndarray], x: np.ndarray,
             h: np.ndarray | None = None, *,
             activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """One time step: ``h = tanh(W x + U h + b)``, ``o = V h + c``; return ``(o, h)``.

    ``x`` is token ids ``(batch_size,)`` or vectors ``(batch_size, input_size)``; ``h`` is
    ``(batch_size, num_hiddens)`` (zeros when ``None``). Used by generation loops that feed
    back their own output.

    Introduced in chapter 02.
    """
    check_params("params", params, PARAM_NAMES)
    _check_activation(activation)
    input_size, num_hiddens, _ = _shapes(params)
    x = _check_inputs(x, input_size, "x", ndim_int=1)
    h = _check_h0(h, x.shape[0], num_hiddens, params["W"].dtype, name="h")
    return _rnn_step(params, x, h, activation)


def _rnn_step(params, x, h, activation="tanh"):
    W, U, b, V, c = (params[k] for k in PARAM_NAMES)
    h = _activate(_input_projection(W, x) + h @ U.T + b, activation)
    return h @ V.T + c, h


def _check_bptt_args(params, cache, dlogits, truncate):
    check_params("params", params, PARAM_NAMES)
    input_size, num_hiddens, output_size = _shapes(params)
    if not isinstance(cache, ForwardCache):
        raise TypeError(f"cache must be the ForwardCache returned by forward, "
                        f"got {describe(cache)}")
    batch_size, num_steps, cache_hiddens = cache.H.shape
    if cache_hiddens != num_hiddens:
        raise ValueError(f"cache comes from a model with {cache_hiddens} hidden units, but "
                         f"params has num_hiddens={num_hiddens}")
    _check_inputs(cache.X, input_size, "cache.X")
    check_array("dlogits", dlogits, ndim=3, kind="float")
    if dlogits.shape != (batch_size, num_steps, output_size):
        raise ValueError(f"dlogits must have shape {(batch_size, num_steps, output_size)}, "
                         f"got {dlogits.shape}")
    if truncate is not None:
        check_int("truncate", truncate, minimum=1)


def bptt(params: dict[str, np.ndarray], cache: ForwardCache, dlogits: np.ndarray, *,
         truncate: int | None = None, return_state_grads: bool = False):
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

    Introduced in chapter 03; derived in chapter 05.
    """
    _check_bptt_args(params, cache, dlogits, truncate)
    grads, dH = _bptt(params, cache, dlogits, truncate, return_state_grads)
    return (grads, dH) if return_state_grads else grads


def _bptt(params, cache, dlogits, truncate=None, return_dH=False):
    """The body of :func:`bptt`; returns ``(grads, dC/dh_t or None)``."""
    W, U, V = params["W"], params["U"], params["V"]
    # Time steps first, as in forward: [t] is step t for the whole batch.
    X, H, h0 = cache.X.swapaxes(0, 1), cache.H.swapaxes(0, 1), cache.h0
    dlogits = dlogits.swapaxes(0, 1).astype(W.dtype, copy=False)
    dH_out = _times(dlogits, V)  # V^T dC/do_t, for every step at once
    dH = np.empty_like(H) if return_dH else None  # dC/dh_t
    delta = np.empty_like(H)  # delta_t = dC/da_t
    from_later = np.zeros_like(h0)  # U^T delta_{t+1}: 0 after the last step
    for t in reversed(range(len(H))):
        # dC/dh_t = V^T dC/do_t + U^T delta_{t+1}
        dh = dH_out[t] + from_later
        # delta_t = f'(a_t) * dC/dh_t
        delta[t] = _slope(H[t], cache.activation) * dh
        if dH is not None:
            dH[t] = dh
        cut = truncate is not None and t % truncate == 0
        from_later = np.zeros_like(h0) if cut else delta[t] @ U
    # The weight gradients are sums over time (and the batch) of outer
    # products: each sum is one matrix product over all
    # batch_size * num_steps rows, computed once, here.
    H_prev = np.concatenate([h0[None], H[:-1]])  # h_{t-1} for every step
    grads = {
        "W": _sum_outer(delta, _input_rows(X, W)),  # sum_t delta_t x_t^T
        "U": _sum_outer(delta, H_prev),  # sum_t delta_t h_{t-1}^T
        "b": delta.sum(axis=(0, 1)),  # sum_t delta_t
        "V": _sum_outer(dlogits, H),  # sum_t dC/do_t h_t^T
        "c": dlogits.sum(axis=(0, 1)),  # sum_t dC/do_t
    }
    return grads, None if dH is None else dH.swapaxes(0, 1)


def _slope(h: np.ndarray, activation: str) -> np.ndarray:
    """``f'(a_t)`` from ``h_t = f(a_t)``: ``1 - h_t**2`` for tanh, ``1``
    where ``h_t > 0`` for ReLU."""
    return 1 - h * h if activation == "tanh" else (h > 0).astype(h.dtype)


def _input_rows(X: np.ndarray, W: np.ndarray) -> np.ndarray:
    """The inputs x_t as vectors: one-hot rows for token ids, else as
    given."""
    if np.issubdtype(X.dtype, np.integer):
        return np.eye(W.shape[1], dtype=W.dtype)[X]
    return X.astype(W.dtype, copy=False)


def _sum_outer(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``sum over b, t of outer(A[b, t], B[b, t])``, as one matrix
    product."""
    return A.reshape(-1, A.shape[-1]).T @ B.reshape(-1, B.shape[-1])


def loss_and_grads(params: dict[str, np.ndarray], X: np.ndarray, Y: np.ndarray,
                   h0: np.ndarray | None = None, *, truncate: int | None = None,
                   mask: np.ndarray | None = None, activation: str = "tanh"
                   ) -> tuple[float, dict[str, np.ndarray], np.ndarray]:
    """Forward, softmax cross-entropy and BPTT in one call.

    Returns ``(loss, grads, h_last)``: the mean loss in nats per token (over the positions
    ``mask`` keeps, if given), gradients keyed like ``params``, and the final hidden state to
    carry into the next batch. The arguments are checked once, here.

    Introduced in chapter 03.
    """
    X, h0 = _check_forward_args(params, X, h0, activation)
    if truncate is not None:
        truncate = check_int("truncate", truncate, minimum=1)
    _check_targets(Y, mask, X.shape[:2], params["V"].shape[0], f"X {X.shape}")
    return _loss_and_grads(params, X, Y, h0, truncate, mask, activation)


def _loss_and_grads(params, X, Y, h0, truncate=None, mask=None, activation="tanh"):
    logits, cache = _forward(params, X, h0, activation)
    loss, dlogits = _softmax_cross_entropy(logits, Y, mask)
    grads, _ = _bptt(params, cache, dlogits, truncate)
    return loss, grads, cache.h_last
