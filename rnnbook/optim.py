"""Optimisers (SGD, momentum, Adagrad, Adam) and gradient clipping.

Every optimiser updates a dict of parameters in place from a dict of gradients with the same
keys, keeping its own state (velocities, accumulators) keyed the same way.

Introduced in chapter 01; compared in chapter 04; clipping motivated in chapter 05.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._checks import check_array, check_float, check_same_keys_and_shapes, describe


def _check_pair(params: object, grads: object) -> None:
    if not isinstance(params, Mapping) or not params:
        raise TypeError(f"params must be a non-empty dict of arrays, got {describe(params)}")
    for key in params:
        check_array(f"params[{key!r}]", params[key], kind="float")
    check_same_keys_and_shapes(params, grads)


class Optimizer:
    """Base class: holds the learning rate ``lr`` and per-parameter state.

    A subclass defines ``_update(key, grad, state)``, the step to subtract from one parameter.
    :meth:`step` checks its arguments and applies the update; the training loops of
    :mod:`rnnbook.train`, which checked theirs once, call ``_apply`` directly, so a subclass
    must not put its logic in an overridden ``step``.
    """

    def __init__(self, lr: float) -> None:
        self.lr = check_float("lr", lr, positive=True)
        self.state: dict[str, dict[str, np.ndarray]] = {}

    def step(self, params: dict[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update ``params`` in place from ``grads``."""
        _check_pair(params, grads)
        self._apply(params, grads)

    def _apply(self, params, grads) -> None:
        """:meth:`step` without the checks, for loops that checked their arguments once."""
        for key in params:
            state = self.state.setdefault(key, {})
            params[key] -= self._update(key, grads[key], state).astype(params[key].dtype,
                                                                       copy=False)

    def _update(self, key: str, grad: np.ndarray, state: dict[str, np.ndarray]) -> np.ndarray:
        raise NotImplementedError


class SGD(Optimizer):
    """Plain gradient descent, the seed's ``W = W - eta * dW``. Introduced in chapter 01."""

    def _update(self, key, grad, state):
        return self.lr * grad


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v = beta v + g``, ``p -= lr v``. Introduced in chapter 04."""

    def __init__(self, lr: float, beta: float = 0.9) -> None:
        super().__init__(lr)
        self.beta = check_float("beta", beta, nonnegative=True, below=1.0)

    def _update(self, key, grad, state):
        v = state.get("v")
        state["v"] = grad.copy() if v is None else self.beta * v + grad
        return self.lr * state["v"]


class Adagrad(Optimizer):
    """Per-coordinate steps ``lr g / (sqrt(sum g^2) + eps)``. Introduced in chapter 04."""

    def __init__(self, lr: float, eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.eps = check_float("eps", eps, positive=True)

    def _update(self, key, grad, state):
        state["s"] = state.get("s", 0.0) + grad**2
        return self.lr * grad / (np.sqrt(state["s"]) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction. Introduced in chapter 01."""

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        super().__init__(lr)
        self.beta1 = check_float("beta1", beta1, nonnegative=True, below=1.0)
        self.beta2 = check_float("beta2", beta2, nonnegative=True, below=1.0)
        self.eps = check_float("eps", eps, positive=True)

    def _update(self, key, grad, state):
        t = state.get("t", 0) + 1
        state["t"] = t
        state["m"] = self.beta1 * state.get("m", 0.0) + (1 - self.beta1) * grad
        state["v"] = self.beta2 * state.get("v", 0.0) + (1 - self.beta2) * grad**2
        m_hat = state["m"] / (1 - self.beta1**t)
        v_hat = state["v"] / (1 - self.beta2**t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def _check_grads(grads: object, *, finite: bool = True) -> Mapping[str, np.ndarray]:
    if not isinstance(grads, Mapping) or not grads:
        raise TypeError(f"grads must be a non-empty dict of arrays, got {describe(grads)}")
    for key, value in grads.items():
        check_array(f"grads[{key!r}]", value, kind="float", finite=finite)
    return grads


def global_norm(grads: Mapping[str, np.ndarray]) -> float:
    """Euclidean norm of all gradients taken together as one vector (NaN or inf if any entry
    is). Introduced in chapter 01."""
    _check_grads(grads, finite=False)
    return _global_norm(grads)


def clip_by_global_norm(grads: Mapping[str, np.ndarray],
                        max_norm: float) -> tuple[dict[str, np.ndarray], float]:
    """Scale all gradients by ``min(1, max_norm / ||g||)``; return ``(clipped, ||g||)``.

    The direction of the whole gradient is preserved. Introduced in chapter 01.
    """
    max_norm = check_float("max_norm", max_norm, positive=True)
    norm = global_norm(grads)
    if not np.isfinite(norm):
        raise ValueError(f"grads must be finite to be clipped, got a global norm of {norm}")
    return _scale_to(grads, norm, max_norm), norm


def _global_norm(grads) -> float:
    return float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values())))


def _scale_to(grads, norm: float, max_norm: float) -> dict[str, np.ndarray]:
    """``grads`` scaled by ``min(1, max_norm / norm)``, ``norm`` their (finite) global norm."""
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: g * np.asarray(scale, dtype=g.dtype) for k, g in grads.items()}


def clip_by_value(grads: Mapping[str, np.ndarray], limit: float) -> dict[str, np.ndarray]:
    """Clip every gradient entry into ``[-limit, limit]`` (changes the direction).

    Introduced in chapter 05.
    """
    limit = check_float("limit", limit, positive=True)
    _check_grads(grads)
    return {k: np.clip(g, -limit, limit) for k, g in grads.items()}
