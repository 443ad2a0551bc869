"""Linear recurrences ``h_t = a_t * h_{t-1} + b_t``: a sequential loop and a parallel scan.

A plain RNN's step, ``h_t = tanh(W x_t + U h_{t-1} + b)``, must wait for ``h_{t-1}``: the
``num_steps`` steps form a chain that no amount of hardware can shorten. A recurrence that is
*linear* in the state (element-wise here, as in modern linear RNNs and state-space models) is
different: each step is the affine map ``h -> a_t * h + b_t``, two such maps compose into
another one, and composition is associative, so all prefixes can be combined in a tree of
``ceil(log2 num_steps)`` rounds (a parallel prefix scan) instead of a chain of ``num_steps``.
Introduced in chapter 09.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_array, check_int


def _check_recurrence(a: object, b: object, h0: object) -> tuple[np.ndarray, np.ndarray]:
    a = check_array("a", a, kind="float")
    b = check_array("b", b, kind="float")
    if a.ndim < 1:
        raise ValueError(f"a must have a time axis first, got shape {a.shape}")
    if a.shape != b.shape:
        raise ValueError(f"b must have the shape of a {a.shape}, got {b.shape}")
    if h0 is not None:
        h0 = check_array("h0", h0, kind="float")
        if h0.shape != a.shape[1:]:
            raise ValueError(f"h0 must have shape {a.shape[1:]} (a's shape without the time "
                             f"axis), got {h0.shape}")
        b = b.copy()  # the caller's array stays as it was
        b[0] += a[0] * h0  # fold the initial state into the first step
    return a, b


def linear_recurrence(a: np.ndarray, b: np.ndarray, h0: np.ndarray | None = None) -> np.ndarray:
    """All states of ``h_t = a_t * h_{t-1} + b_t`` by the sequential loop, one step at a time.

    ``a`` and ``b`` are float arrays ``(num_steps, ...)``, time first; ``h0`` (default zeros)
    has the shape of one step. Returns ``h`` of ``a``'s shape, ``h[t]`` the state after step t.
    """
    a, b = _check_recurrence(a, b, h0)
    h = np.empty(a.shape, dtype=np.result_type(a, b))
    h[0] = b[0]
    for t in range(1, len(a)):
        h[t] = a[t] * h[t - 1] + b[t]
    return h


def linear_recurrence_scan(a: np.ndarray, b: np.ndarray,
                           h0: np.ndarray | None = None) -> np.ndarray:
    """The same states as :func:`linear_recurrence`, by a parallel prefix scan.

    Element ``t`` holds the affine map ``h -> A[t] * h + B[t]`` of the steps it has combined so
    far. In round ``k`` (offset ``s = 2**k``) every element ``t >= s`` composes its map with the
    one ``s`` steps earlier, ``(A, B)[t] <- (A[t] * A[t-s], A[t] * B[t-s] + B[t])``, all ``t`` at
    once (one vectorised NumPy operation); after ``ceil(log2 num_steps)`` rounds element ``t``
    covers steps ``0..t`` and ``B[t]`` is ``h_t``. This is the Hillis-Steele scan: depth
    ``ceil(log2 num_steps)``, work about ``num_steps * log2 num_steps`` compositions.
    """
    a, b = _check_recurrence(a, b, h0)
    A, B = a.astype(np.result_type(a, b), copy=True), b.astype(np.result_type(a, b), copy=True)
    shift = 1
    while shift < len(A):
        # right-hand sides are evaluated before assignment: every element reads the old values
        A[shift:], B[shift:] = A[shift:] * A[:-shift], A[shift:] * B[:-shift] + B[shift:]
        shift *= 2
    return B


def scan_cost(num_steps: int) -> dict[str, tuple[int, int]]:
    """Work (map compositions) and depth (sequential rounds) of the loop and of the scan.

    Returns ``{"loop": (work, depth), "scan": (work, depth)}``: the loop composes
    ``num_steps - 1`` times in as many rounds; the scan's round with offset ``s`` composes
    ``num_steps - s`` pairs, over ``ceil(log2 num_steps)`` rounds.
    """
    num_steps = check_int("num_steps", num_steps, minimum=1)
    rounds = math.ceil(math.log2(num_steps)) if num_steps > 1 else 0
    work = sum(num_steps - 2 ** k for k in range(rounds))
    return {"loop": (num_steps - 1, num_steps - 1), "scan": (work, rounds)}
