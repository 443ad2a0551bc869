"""One call to make a notebook reproducible. Introduced in chapter 01."""

from __future__ import annotations

import random
import sys

import numpy as np

from ._checks import check_int


def set_seed(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's global generator and, if TensorFlow is already
    imported, TensorFlow (with op determinism on). Returns a fresh ``np.random.Generator``
    seeded with ``seed``, the generator the book passes around explicitly.

    TensorFlow is never imported here: chapters that do not use it stay fast.
    """
    seed = check_int("seed", seed, minimum=0, maximum=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (legacy global state that some libraries read)
    if "tensorflow" in sys.modules:
        tf = sys.modules["tensorflow"]
        tf.keras.utils.set_random_seed(seed)
        tf.config.experimental.enable_op_determinism()
    return np.random.default_rng(seed)
