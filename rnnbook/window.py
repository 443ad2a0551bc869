"""A neural fixed-window language model (Bengio, Ducharme, Vincent & Jauvin 2003), in NumPy.

The other neural answer to "predict the next character": look at the last ``window``
characters only, as an n-gram does, but through learned embeddings and a hidden layer instead of
counts. For the characters ``x_{t-n}, ..., x_{t-1}`` before position ``t``:

    e_t = [E[x_{t-n}]; ...; E[x_{t-1}]]     (the n embeddings, concatenated)
    h_t = tanh(W e_t + b)
    o_t = V h_t + c,   P(x_t | window) = softmax(o_t)

Its state is rebuilt from scratch at every position: nothing older than ``window`` characters
can reach the prediction, which is exactly what a recurrent network's carried state changes.
(Bengio et al. also add direct connections from ``e_t`` to ``o_t``; they are left out here.)
"""

from __future__ import annotations

import numpy as np

from ._checks import check_float, check_ids, check_int, check_params, check_rng, describe
from .losses import _softmax, _softmax_cross_entropy
from .optim import Optimizer, _global_norm, _scale_to
from .train import History, TrainingDivergedError, _record_epoch

__all__ = ["PARAM_NAMES", "bits_per_char", "contexts", "init_params", "loss_and_grads",
           "probabilities", "train_window"]

PARAM_NAMES = ("E", "W", "b", "V", "c")


def init_params(vocab_size: int, window: int, *, embed_size: int = 16, num_hiddens: int = 128,
                rng: np.random.Generator | int | None = None,
                dtype: type | np.dtype = np.float64) -> dict[str, np.ndarray]:
    """Initialise ``E`` (vocab_size, embed_size), ``W`` (num_hiddens, window * embed_size),
    ``b``, ``V`` (vocab_size, num_hiddens) and ``c``.

    Embeddings are standard normal, ``W`` and ``V`` scaled normal (variance ``1 / fan_in``),
    biases zero.
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=1)
    window = check_int("window", window, minimum=1)
    embed_size = check_int("embed_size", embed_size, minimum=1)
    num_hiddens = check_int("num_hiddens", num_hiddens, minimum=1)
    dtype = np.dtype(dtype) if isinstance(dtype, type | np.dtype) else dtype
    if not isinstance(dtype, np.dtype) or not np.issubdtype(dtype, np.floating):
        raise TypeError(f"dtype must be a floating-point dtype, got {describe(dtype)}")
    rng = check_rng("rng", rng)
    fan_in = window * embed_size
    params = {
        "E": rng.standard_normal((vocab_size, embed_size)),
        "W": rng.standard_normal((num_hiddens, fan_in)) / np.sqrt(fan_in),
        "b": np.zeros(num_hiddens),
        "V": rng.standard_normal((vocab_size, num_hiddens)) / np.sqrt(num_hiddens),
        "c": np.zeros(vocab_size),
    }
    return {k: v.astype(dtype) for k, v in params.items()}


def _window_of(params) -> int:
    return params["W"].shape[1] // params["E"].shape[1]


def _check_model(params) -> int:
    """Check the parameters' names and shapes; return the window."""
    params = check_params("params", params, PARAM_NAMES)
    vocab_size, embed_size = params["E"].shape
    num_hiddens, fan_in = params["W"].shape
    if fan_in % embed_size:
        raise ValueError(f"params['W'] must have a multiple of embed_size={embed_size} "
                         f"columns, got {fan_in}")
    expected = {"b": (num_hiddens,), "V": (vocab_size, num_hiddens), "c": (vocab_size,)}
    for key, shape in expected.items():
        if params[key].shape != shape:
            raise ValueError(f"params[{key!r}] must have shape {shape}, "
                             f"got {params[key].shape}")
    return fan_in // embed_size


def contexts(ids: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Every position ``t >= window`` of ``ids``: its ``window`` preceding ids and its own id.

    Returns ``(C, y)`` with ``C`` of shape ``(len(ids) - window, window)`` and ``y`` of shape
    ``(len(ids) - window,)``.
    """
    window = check_int("window", window, minimum=1)
    ids = check_ids("ids", ids, np.iinfo(np.int64).max)
    if ids.size <= window:
        raise ValueError(f"ids of length {ids.size} is too short for window={window}")
    return _contexts(ids, window)


def _contexts(ids, window):
    C = np.lib.stride_tricks.sliding_window_view(ids[:-1], window)
    return C, ids[window:]


def _forward(params, C):
    e = params["E"][C].reshape(C.shape[0], -1)          # e_t = [E[x_{t-n}]; ...]
    h = np.tanh(e @ params["W"].T + params["b"])        # h_t = tanh(W e_t + b)
    logits = h @ params["V"].T + params["c"]            # o_t = V h_t + c
    return e, h, logits


def _check_batch(params, C, y):
    window = _check_model(params)
    vocab_size = params["E"].shape[0]
    C = check_ids("C", C, vocab_size, ndim=2)
    y = check_ids("y", y, vocab_size)
    if C.shape[1] != window:
        raise ValueError(f"C must have window={window} columns, got {C.shape[1]}")
    if y.shape != (C.shape[0],):
        raise ValueError(f"y must have shape ({C.shape[0]},), got {y.shape}")
    return C, y


def loss_and_grads(params: dict[str, np.ndarray], C: np.ndarray,
                   y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy (nats) of predicting ``y`` from the windows ``C``, and its gradients."""
    C, y = _check_batch(params, C, y)
    return _loss_and_grads(params, C, y)


def _loss_and_grads(params, C, y):
    e, h, logits = _forward(params, C)
    loss, do = _softmax_cross_entropy(logits, y, None)  # do = (softmax - onehot) / N
    da = (do @ params["V"]) * (1 - h**2)                # back through V, then tanh
    de = (da @ params["W"]).reshape(*C.shape, -1)       # back through W, per window slot
    dE = np.zeros_like(params["E"])
    np.add.at(dE, C, de)                                # each slot's embedding row
    grads = {"E": dE, "W": da.T @ e, "b": da.sum(axis=0), "V": do.T @ h,
             "c": do.sum(axis=0)}
    return loss, grads


def probabilities(params: dict[str, np.ndarray], ids: np.ndarray) -> np.ndarray:
    """P(ids[t] | the ``window`` ids before it) for ``t = window .. len(ids) - 1``."""
    window = _check_model(params)
    ids = check_ids("ids", ids, params["E"].shape[0])
    if ids.size <= window:
        raise ValueError(f"ids of length {ids.size} is too short for window={window}")
    return _probabilities(params, ids, window)


def _probabilities(params, ids, window, chunk=8192):
    C, y = _contexts(ids, window)
    out = np.empty(y.size)
    for start in range(0, y.size, chunk):
        logits = _forward(params, C[start:start + chunk])[2]
        p = _softmax(logits)
        out[start:start + chunk] = p[np.arange(p.shape[0]), y[start:start + chunk]]
    return out


def bits_per_char(params: dict[str, np.ndarray], ids: np.ndarray) -> float:
    """Mean ``-log2 P`` over the positions :func:`probabilities` scores."""
    return float(-np.mean(np.log2(probabilities(params, ids))))


def train_window(params: dict[str, np.ndarray], train_ids: np.ndarray,
                 val_ids: np.ndarray | None = None, *, optimizer: Optimizer, epochs: int,
                 batch_size: int, clip_norm: float | None = None, restore_best: bool = False,
                 rng: np.random.Generator | int | None = None,
                 log_every: int = 1, log=print) -> History:
    """Train ``params`` in place on every window of ``train_ids``, shuffled each epoch.

    One update per minibatch of ``batch_size`` positions; ``clip_norm`` clips by global norm;
    with ``restore_best`` (needs ``val_ids``) the epoch with the lowest validation figure is put
    back at the end. Returns a :class:`rnnbook.train.History` in bits per character.
    """
    window = _check_model(params)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an rnnbook.optim.Optimizer, "
                        f"got {describe(optimizer)}")
    vocab_size = params["E"].shape[0]
    train_ids = check_ids("train_ids", train_ids, vocab_size)
    if val_ids is not None:
        val_ids = check_ids("val_ids", val_ids, vocab_size)
        if val_ids.size <= window:
            raise ValueError(f"val_ids of length {val_ids.size} is too short for "
                             f"window={window}")
    elif restore_best:
        raise ValueError("restore_best=True needs val_ids to choose the best epoch")
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    log_every = check_int("log_every", log_every, minimum=1)
    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, positive=True)
    if train_ids.size < window + batch_size:
        raise ValueError(f"train_ids of length {train_ids.size} is too short for window="
                         f"{window} and batch_size={batch_size}")
    rng = check_rng("rng", rng)
    C, y = _contexts(train_ids, window)
    history, best = History(), None
    for epoch in range(1, epochs + 1):
        order = rng.permutation(y.size)
        losses, norms = [], []
        for start in range(0, y.size - batch_size + 1, batch_size):
            rows = order[start:start + batch_size]
            loss, grads = _loss_and_grads(params, C[rows], y[rows])
            norm = _global_norm(grads)
            if not np.isfinite(loss) or not np.isfinite(norm):
                raise TrainingDivergedError(f"loss or gradient not finite in epoch {epoch}",
                                            history)
            if clip_norm is not None and norm > clip_norm:
                grads = _scale_to(grads, norm, clip_norm)
            optimizer.step(params, grads)
            losses.append(loss)
            norms.append(norm)
        val = None if val_ids is None else \
            float(-np.mean(np.log2(_probabilities(params, val_ids, window))))
        line = _record_epoch(history, epoch, epochs, losses, norms, clip_norm, val)
        if restore_best and history.best_epoch == epoch:
            best = {k: v.copy() for k, v in params.items()}
        if epoch % log_every == 0 or epoch == epochs:
            log(line)
    if best is not None:
        for key, value in best.items():
            params[key][...] = value
    return history
