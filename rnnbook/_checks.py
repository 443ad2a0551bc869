"""Argument checks shared by every public function of rnnbook.

Each check raises ``TypeError`` (wrong kind of object) or ``ValueError`` (right kind, wrong
value) with a message that names the argument, what was expected and what was given.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np


def describe(value: object) -> str:
    """A short description of ``value`` for error messages."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def check_int(name: str, value: object, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """Return ``value`` as an int, checking type and range."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_float(name: str, value: object, *, positive: bool = False,
                nonnegative: bool = False, below: float | None = None) -> float:
    """Return ``value`` as a finite float, checking type and range."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if nonnegative and value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    if below is not None and value >= below:
        raise ValueError(f"{name} must be < {below}, got {value}")
    return value


def check_array(name: str, value: object, *, ndim: int | tuple[int, ...] | None = None,
                kind: str = "float", allow_empty: bool = False,
                finite: bool = True) -> np.ndarray:
    """Return ``value`` as an ndarray after checking its kind, rank, emptiness and finiteness.

    ``kind`` is ``"float"`` (real floating point), ``"int"`` (integers) or ``"number"``
    (either). ``finite=False`` lets NaN and inf through.
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {describe(value)}")
    if kind == "float" and not np.issubdtype(value.dtype, np.floating):
        raise TypeError(f"{name} must have a floating-point dtype, got dtype {value.dtype}")
    if kind == "int" and not np.issubdtype(value.dtype, np.integer):
        raise TypeError(f"{name} must have an integer dtype, got dtype {value.dtype}")
    if kind == "number" and not (np.issubdtype(value.dtype, np.floating)
                                 or np.issubdtype(value.dtype, np.integer)):
        raise TypeError(f"{name} must have an integer or floating-point dtype, "
                        f"got dtype {value.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if value.ndim not in allowed:
            wanted = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {wanted} dimensions, got shape {value.shape}")
    if not allow_empty and value.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {value.shape}")
    if finite and np.issubdtype(value.dtype, np.floating) and not np.all(np.isfinite(value)):
        raise ValueError(f"{name} must contain only finite values (found NaN or inf)")
    return value


def check_ids(name: str, ids: object, size: int, *, ndim: int | tuple[int, ...] = 1,
              allow_empty: bool = False) -> np.ndarray:
    """Check an integer array of ids, each in ``[0, size)``."""
    ids = check_array(name, ids, ndim=ndim, kind="int", allow_empty=allow_empty)
    if ids.size:
        low, high = int(ids.min()), int(ids.max())
        if low < 0 or high >= size:
            raise ValueError(f"{name} must hold ids in [0, {size - 1}], "
                             f"got values in [{low}, {high}]")
    return ids


def check_params(name: str, params: object, names: tuple[str, ...]) -> Mapping[str, np.ndarray]:
    """Check that ``params`` maps each of ``names`` to a finite float array."""
    if not isinstance(params, Mapping):
        raise TypeError(f"{name} must be a dict of arrays, got {describe(params)}")
    missing = [k for k in names if k not in params]
    if missing:
        raise ValueError(f"{name} is missing {missing}; expected keys {list(names)}, "
                         f"got {sorted(params)}")
    for key in names:
        check_array(f"{name}[{key!r}]", params[key], kind="float")
    return params


def check_same_keys_and_shapes(params: Mapping[str, np.ndarray],
                               grads: object) -> Mapping[str, np.ndarray]:
    """``grads``: a dict with the keys of ``params``, each a finite float array of its shape."""
    if not isinstance(grads, Mapping) or not grads:
        raise TypeError(f"grads must be a non-empty dict of arrays, got {describe(grads)}")
    if set(grads) != set(params):
        raise ValueError(f"grads must have the keys of params {sorted(params)}, "
                         f"got {sorted(grads)}")
    for key in params:
        check_array(f"grads[{key!r}]", grads[key], kind="float")
        if grads[key].shape != params[key].shape:
            raise ValueError(f"grads[{key!r}] must have shape {params[key].shape}, "
                             f"got {grads[key].shape}")
    return grads


def check_rng(name: str, rng: object) -> np.random.Generator:
    """Accept a Generator, an int seed or None and return a Generator."""
    if rng is None or (isinstance(rng, Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"{name} as an int seed must be >= 0, got {rng}")
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(f"{name} must be a numpy Generator, an int seed or None, "
                    f"got {describe(rng)}")


def check_generation_args(vocab, prompt: str, num_chars: int, temperature: float,
                          top_k: int | None, rng: np.random.Generator | int | None):
    """Check what every generator takes; return ``(prompt_ids, num_chars, temperature, top_k,
    rng)``. Shared by :func:`rnnbook.sampling.generate` and
    :func:`rnnbook.keras_generation.generate`.
    """
    from .data import Vocab  # here, not at the top: data imports this module
    if not isinstance(vocab, Vocab):
        raise TypeError(f"vocab must be a Vocab, got {describe(vocab)}")
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(f"prompt must be a non-empty string, got {describe(prompt)}")
    num_chars = check_int("num_chars", num_chars, minimum=0)
    temperature = check_float("temperature", temperature, positive=True)
    if top_k is not None:
        top_k = check_int("top_k", top_k, minimum=1, maximum=vocab.size)
    rng = check_rng("rng", rng)
    try:
        ids = vocab.encode(prompt)
    except ValueError as err:
        raise ValueError(f"prompt: {err}") from None
    return ids, num_chars, temperature, top_k, rng
