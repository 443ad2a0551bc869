"""Output functions, losses and metrics: everything that turns logits into numbers.

- activations of the output: :func:`sigmoid`, :func:`softmax`, :func:`log_softmax`;
- losses with their gradients, returned as ``(loss, dlogits)``: :func:`softmax_cross_entropy`
  (optionally masked), :func:`mean_squared_error`, :func:`last_step_squared_error`;
- units and metrics: :func:`bits` (nats to bits), :func:`perplexity`, :func:`entropy_bits`,
  :func:`masked_accuracy`.

Introduced in chapter 01; the cross-entropy's gradient is derived in chapter 04.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_array, check_float, check_ids, describe

__all__ = ["LN2", "bits", "entropy_bits", "last_step_squared_error", "log_softmax",
           "masked_accuracy", "mean_squared_error", "perplexity", "sigmoid", "softmax",
           "softmax_cross_entropy"]

LN2 = math.log(2.0)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function ``1 / (1 + exp(-x))``, without overflow for any ``x``.

    For ``x < 0`` it is computed as ``exp(x) / (1 + exp(x))``, so ``exp`` never sees a large
    positive argument. Introduced in chapter 04.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    z = np.exp(-np.abs(x))  # in (0, 1]: cannot overflow
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z)).astype(x.dtype, copy=False)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """``softmax(logits / temperature)`` over the last axis, computed stably in float64.

    Introduced in chapter 03.
    """
    check_array("logits", logits, kind="float")
    temperature = check_float("temperature", temperature, positive=True)
    return _softmax(logits, temperature)


def _softmax(logits, temperature=1.0):
    z = logits.astype(np.float64)
    with np.errstate(over="ignore"):  # tiny temperatures send z to -inf: probability 0
        z = (z - z.max(axis=-1, keepdims=True)) / temperature  # <= 0: exp cannot overflow
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable ``log softmax`` over the last axis.

    Introduced in chapter 01.
    """
    check_array("logits", logits, kind="float")
    return _log_softmax(logits)


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _check_cross_entropy_args(logits, Y, mask) -> None:
    check_array("logits", logits, ndim=(2, 3), kind="float")
    _check_targets(Y, mask, logits.shape[:-1], logits.shape[-1], f"logits {logits.shape}")


def _check_targets(Y, mask, shape: tuple[int, ...], num_classes: int, what: str) -> None:
    """Class ids ``Y`` of ``shape`` in ``[0, num_classes)``, and an optional boolean mask."""
    check_ids("Y", Y, num_classes, ndim=len(shape))
    if Y.shape != shape:
        raise ValueError(f"Y must have shape {shape} to match {what}, got {Y.shape}")
    if mask is not None:
        if not isinstance(mask, np.ndarray) or mask.dtype != bool:
            raise TypeError(f"mask must be a boolean numpy array, got {describe(mask)}")
        if mask.shape != Y.shape:
            raise ValueError(f"mask must have the shape of Y {Y.shape}, got {mask.shape}")
        if not mask.any():
            raise ValueError("mask must keep at least one position, got all False")


def softmax_cross_entropy(logits: np.ndarray, Y: np.ndarray,
                          mask: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Mean cross-entropy (nats per token) of integer targets ``Y`` and its gradient.

    ``logits`` is ``(..., output_size)`` and ``Y`` holds class ids of shape
    ``logits.shape[:-1]``. Returns ``(loss, dlogits)`` with
    ``dlogits = (softmax(logits) - onehot(Y)) / Y.size``. A boolean ``mask`` of ``Y``'s shape
    keeps only the positions where it is True: the loss is their mean and the gradient is zero
    elsewhere (targets there are ignored).

    Introduced in chapter 02 (with masks); derived in chapter 04.
    """
    _check_cross_entropy_args(logits, Y, mask)
    return _softmax_cross_entropy(logits, Y, mask)


def _softmax_cross_entropy(logits, Y, mask):
    weight = np.ones(Y.shape) if mask is None else mask.astype(np.float64)
    weight /= weight.sum()  # each kept position's share of the mean
    logp = _log_softmax(logits)
    picked = np.take_along_axis(logp, Y[..., None], axis=-1)[..., 0]  # log p(y_t)
    loss = float(-(picked * weight).sum())
    dlogits = np.exp(logp)  # softmax(o_t) ...
    np.put_along_axis(dlogits, Y[..., None],
                      np.take_along_axis(dlogits, Y[..., None], axis=-1) - 1, axis=-1)
    dlogits *= weight[..., None].astype(dlogits.dtype)  # ... - onehot(y_t), times the weight
    return loss, dlogits


def mean_squared_error(predictions: np.ndarray,
                       targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of ``(predictions - targets)**2`` and its gradient ``2 (predictions - targets) / n``.
    """
    check_array("predictions", predictions, kind="float")
    check_array("targets", targets, kind="number")
    if predictions.shape != targets.shape:
        raise ValueError(f"targets must have the shape of predictions {predictions.shape}, "
                         f"got {targets.shape}")
    diff = predictions - targets.astype(predictions.dtype)
    return float(np.mean(diff.astype(np.float64) ** 2)), 2.0 * diff / diff.size


def last_step_squared_error(outputs: np.ndarray,
                            targets: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error of the last step's single output, ``outputs[:, -1, 0]``.

    ``outputs`` is ``(batch_size, num_steps, 1)`` and ``targets`` ``(batch_size,)``. Returns
    ``(loss, doutputs)``: the gradient has the shape of ``outputs`` and is zero at every step
    but the last, where the loss is read (the adding problem of chapter 05).

    Introduced in chapter 05.
    """
    check_array("outputs", outputs, ndim=3, kind="float")
    if outputs.shape[-1] != 1:
        raise ValueError(f"outputs must have one output per step, got shape {outputs.shape}")
    check_array("targets", targets, ndim=1, kind="number")
    if targets.shape != outputs.shape[:1]:
        raise ValueError(f"targets must have shape {outputs.shape[:1]}, got {targets.shape}")
    loss, d_last = mean_squared_error(outputs[:, -1, 0], targets)
    doutputs = np.zeros_like(outputs)
    doutputs[:, -1, 0] = d_last
    return loss, doutputs


def bits(nats: float) -> float:
    """Convert a cross-entropy from nats to bits. Introduced in chapter 01."""
    return nats / LN2


def perplexity(nats: float) -> float:
    """``exp(cross-entropy)``: the number of equally likely choices the loss is worth.
    """
    return math.exp(nats)


def entropy_bits(probs: np.ndarray) -> np.ndarray | float:
    """Entropy in bits of each distribution along the last axis. Introduced in chapter 03."""
    check_array("probs", probs, kind="float")
    sums = probs.sum(axis=-1)
    if probs.min() < 0 or not np.allclose(sums, 1.0, atol=1e-6):
        raise ValueError(f"probs must be non-negative and sum to 1 along the last axis, got "
                         f"minimum {probs.min():.3g} and sums in [{np.min(sums):.6g}, "
                         f"{np.max(sums):.6g}]")
    logs = np.log2(np.where(probs > 0, probs, 1.0))
    result = -(probs * logs).sum(axis=-1)
    return float(result) if np.ndim(result) == 0 else result


def masked_accuracy(logits: np.ndarray, Y: np.ndarray,
                    mask: np.ndarray | None = None) -> float:
    """Share of positions whose most likely class is the target (only where ``mask`` is True).

    Introduced in chapter 02.
    """
    _check_cross_entropy_args(logits, Y, mask)
    right = logits.argmax(axis=-1) == Y
    return float(right.mean() if mask is None else right[mask].mean())
