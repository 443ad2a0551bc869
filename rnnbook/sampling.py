"""Sampling from the model's next-character distribution: temperature, top-k, generation.

Introduced in chapter 01; studied in chapter 03.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_array, check_float, check_int, check_params, check_rng, describe
from .data import Vocab
from .rnn import PARAM_NAMES, rnn_step


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """``softmax(logits / temperature)`` over the last axis, computed stably.

    Introduced in chapter 01.
    """
    check_array("logits", logits, ndim=(1, 2), kind="float")
    temperature = check_float("temperature", temperature, positive=True)
    z = logits.astype(np.float64)
    with np.errstate(over="ignore"):  # tiny temperatures send z to -inf: probability 0
        z = (z - z.max(axis=-1, keepdims=True)) / temperature  # <= 0, so exp cannot overflow
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def entropy_bits(probs: np.ndarray) -> np.ndarray | float:
    """Entropy in bits of each distribution along the last axis. Introduced in chapter 03."""
    check_array("probs", probs, ndim=(1, 2), kind="float")
    sums = probs.sum(axis=-1)
    if probs.min() < 0 or not np.allclose(sums, 1.0, atol=1e-6):
        raise ValueError(f"probs must be non-negative and sum to 1 along the last axis, got "
                         f"minimum {probs.min():.3g} and sums in [{np.min(sums):.6g}, "
                         f"{np.max(sums):.6g}]")
    logs = np.log2(np.where(probs > 0, probs, 1.0))
    result = -(probs * logs).sum(axis=-1)
    return float(result) if np.ndim(result) == 0 else result


def sample(logits: np.ndarray, *, temperature: float = 1.0, top_k: int | None = None,
           rng: np.random.Generator | int | None = None) -> np.ndarray | int:
    """Draw one class id per row of ``logits`` (``(output_size,)`` or ``(batch, output_size)``).

    ``temperature`` divides the logits (small: close to argmax; large: close to uniform);
    ``top_k`` keeps only the ``k`` most likely classes before sampling. Ties with the k-th
    logit are kept. Introduced in chapter 01.
    """
    check_array("logits", logits, ndim=(1, 2), kind="float")
    if top_k is not None:
        top_k = check_int("top_k", top_k, minimum=1, maximum=logits.shape[-1])
    rng = check_rng("rng", rng)
    probs = softmax(logits, temperature)
    rows = np.atleast_2d(probs)
    if top_k is not None:
        kth = np.sort(np.atleast_2d(logits), axis=-1)[:, -top_k][:, None]
        rows = np.where(np.atleast_2d(logits) >= kth, rows, 0.0)
        rows = rows / rows.sum(axis=-1, keepdims=True)
    cumulative = np.cumsum(rows, axis=-1)
    u = rng.random((rows.shape[0], 1)) * cumulative[:, -1:]
    ids = np.minimum((cumulative <= u).sum(axis=-1), rows.shape[-1] - 1)
    return int(ids[0]) if logits.ndim == 1 else ids


def check_generation_args(vocab: Vocab, prompt: str, num_chars: int, temperature: float,
                          top_k: int | None, rng: np.random.Generator | int | None):
    """Check what every generator takes; return ``(prompt_ids, num_chars, temperature, top_k,
    rng)``. Shared by :func:`generate` and :func:`rnnbook.keras_models.generate` (chapter 06).
    """
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


def generate(params: dict[str, np.ndarray], vocab: Vocab, prompt: str, num_chars: int, *,
             temperature: float = 1.0, top_k: int | None = None,
             rng: np.random.Generator | int | None = None) -> str:
    """Continue ``prompt`` by ``num_chars`` characters sampled one at a time.

    The hidden state is carried across steps: the prompt is read first (warming the state up),
    then each sampled character is fed back as the next input. Returns prompt + continuation.

    Introduced in chapter 01.
    """
    ids, num_chars, temperature, top_k, rng = check_generation_args(
        vocab, prompt, num_chars, temperature, top_k, rng)
    check_params("params", params, PARAM_NAMES)
    if params["W"].shape[1] != vocab.size or params["V"].shape[0] != vocab.size:
        raise ValueError(f"params must read and predict the vocab's {vocab.size} characters, "
                         f"got W of shape {params['W'].shape} and V of shape "
                         f"{params['V'].shape}")
    h = None
    for token in ids:
        logits, h = rnn_step(params, np.array([token]), h)
    out = []
    for _ in range(num_chars):
        token = sample(logits[0], temperature=temperature, top_k=top_k, rng=rng)
        out.append(token)
        logits, h = rnn_step(params, np.array([token]), h)
    return prompt + vocab.decode(np.array(out, dtype=np.int64))
