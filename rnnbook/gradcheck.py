"""Numerical gradient checks by centred finite differences, in float64.

Introduced in chapter 01; used to verify every gradient in chapters 03-05.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._checks import check_array, check_float, check_same_keys_and_shapes, describe


def _check_float64_params(params: object) -> Mapping[str, np.ndarray]:
    if not isinstance(params, Mapping) or not params:
        raise TypeError(f"params must be a non-empty dict of arrays, got {describe(params)}")
    for name, value in params.items():
        check_array(f"params[{name!r}]", value, kind="float")
        if value.dtype != np.float64:
            raise TypeError(f"params[{name!r}] must be float64 for a finite-difference check "
                            f"(float32 round-off swamps the differences), got {value.dtype}")
    return params


def numerical_gradients(loss_fn: Callable[[Mapping[str, np.ndarray]], float],
                        params: Mapping[str, np.ndarray], *,
                        eps: float = 1e-6) -> dict[str, np.ndarray]:
    """Centred differences ``(C(p + eps) - C(p - eps)) / (2 eps)`` for every entry of every
    parameter. ``loss_fn(params)`` must return the scalar loss; ``params`` is perturbed in
    place and restored exactly.

    Introduced in chapter 01.
    """
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable, got {describe(loss_fn)}")
    _check_float64_params(params)
    eps = check_float("eps", eps, positive=True, below=1.0)
    result = {}
    for name, value in params.items():
        grad = np.empty_like(value)
        for idx in np.ndindex(value.shape):
            old = value[idx]
            try:
                value[idx] = old + eps
                plus = float(loss_fn(params))
                value[idx] = old - eps
                minus = float(loss_fn(params))
            finally:
                value[idx] = old
            grad[idx] = (plus - minus) / (2 * eps)
        result[name] = grad
    return result


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / (||a|| + ||b||)`` (Euclidean norms); 0 when both are zero.

    Norm-wise rather than entry-wise, so entries that are zero up to round-off do not
    dominate the figure. Introduced in chapter 01.
    """
    check_array("a", a, kind="number")
    check_array("b", b, kind="number")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


@dataclass
class GradCheck:
    """Relative error of each analytic gradient against its finite-difference estimate."""

    errors: dict[str, float]

    @property
    def max_error(self) -> float:
        """The largest relative error over all parameters."""
        return max(self.errors.values())

    def __str__(self) -> str:
        lines = [f"{name:>3}: relative error {err:.1e}" for name, err in self.errors.items()]
        return "\n".join(lines + [f"max: {self.max_error:.1e}"])


def gradient_check(loss_fn: Callable[[Mapping[str, np.ndarray]], float],
                   params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray], *,
                   eps: float = 1e-6) -> GradCheck:
    """Compare analytic ``grads`` with centred finite differences of ``loss_fn``.

    Returns a :class:`GradCheck`; ``result.max_error`` is the max relative error. Clipping or
    any other non-differentiable step must be off inside ``loss_fn``.

    Introduced in chapter 01.
    """
    _check_float64_params(params)
    check_same_keys_and_shapes(params, grads)
    numeric = numerical_gradients(loss_fn, params, eps=eps)
    return GradCheck({name: relative_error(grads[name], numeric[name]) for name in params})
