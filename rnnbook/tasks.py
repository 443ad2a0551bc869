"""Synthetic tasks with a known answer, for testing what a recurrent network can remember.

Each is generated here, from a seeded generator, and named as synthetic wherever it appears.
Introduced in chapter 02 (delayed echo, running parity); the adding problem in chapter 05.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int, check_rng

__all__ = ["adding_problem", "delayed_echo", "running_parity"]


def delayed_echo(num_sequences: int, num_steps: int, delay: int, *, num_symbols: int = 4,
                 rng: np.random.Generator | int | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic task: repeat the symbol seen ``delay`` steps ago.

    ``X`` holds uniformly random symbols ``(num_sequences, num_steps)``; the target is
    ``Y[:, t] = X[:, t - delay]``. The first ``delay`` steps have nothing to repeat: ``mask`` is
    False there (and ``Y`` is 0). A model that remembers nothing scores ``1 / num_symbols``.
    Introduced in chapter 02.
    """
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    delay = check_int("delay", delay, minimum=0, maximum=num_steps - 1)
    num_symbols = check_int("num_symbols", num_symbols, minimum=2)
    rng = check_rng("rng", rng)
    X = rng.integers(0, num_symbols, (num_sequences, num_steps))
    Y = np.zeros_like(X)
    Y[:, delay:] = X[:, :num_steps - delay]
    mask = np.zeros(X.shape, dtype=bool)
    mask[:, delay:] = True
    return X, Y, mask


def running_parity(num_sequences: int, num_steps: int, *,
                   rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic task: after each bit, output the parity (XOR) of all bits so far.

    ``X`` holds random bits ``(num_sequences, num_steps)`` and ``Y[:, t] = X[:, :t + 1].sum() % 2``.
    One bit of state suffices, but it must be kept exactly for the whole sequence.
    Introduced in chapter 02.
    """
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    rng = check_rng("rng", rng)
    X = rng.integers(0, 2, (num_sequences, num_steps))
    return X, np.cumsum(X, axis=1) % 2


def adding_problem(num_sequences: int, num_steps: int, *,
                   rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic task of Hochreiter & Schmidhuber (1997): add the two marked numbers.

    ``X`` is ``(num_sequences, num_steps, 2)``: channel 0 holds numbers uniform in [0, 1],
    channel 1 is 1 at exactly two steps (one in each half of the sequence) and 0 elsewhere.
    The target ``y`` (``(num_sequences,)``) is the sum of the two marked numbers. Always
    answering 1 gives a mean squared error of 1/6 (the variance of the sum).
    Introduced in chapter 05.
    """
    num_sequences = check_int("num_sequences", num_sequences, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=2)
    rng = check_rng("rng", rng)
    values = rng.random((num_sequences, num_steps))
    half = num_steps // 2
    first = rng.integers(0, half, num_sequences)
    second = rng.integers(half, num_steps, num_sequences)
    markers = np.zeros((num_sequences, num_steps))
    rows = np.arange(num_sequences)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=-1)
    return X, values[rows, first] + values[rows, second]
