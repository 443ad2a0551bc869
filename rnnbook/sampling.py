"""Sampling from the model's next-character distribution: temperature, top-k, generation.

The distribution itself is :func:`rnnbook.losses.softmax`; its entropy
:func:`rnnbook.losses.entropy_bits`.

Introduced in chapter 01; studied in chapter 03.
"""

from __future__ import annotations

import numpy as np

from ._checks import (
    check_array,
    check_float,
    check_generation_args,
    check_int,
    check_params,
    check_rng,
)
from .data import Vocab
from .losses import _softmax
from .rnn import PARAM_NAMES, _rnn_step

__all__ = ["generate", "read_prompt", "sample"]


def sample(logits: np.ndarray, *, temperature: float = 1.0, top_k: int | None = None,
           rng: np.random.Generator | int | None = None) -> np.ndarray | int:
    """Draw one class id per row of ``logits`` (``(output_size,)`` or ``(batch, output_size)``).

    ``temperature`` divides the logits (small: close to argmax; large: close to uniform);
    ``top_k`` keeps only the ``k`` most likely classes before sampling. Ties with the k-th
    logit are kept. Introduced in chapter 02.
    """
    check_array("logits", logits, ndim=(1, 2), kind="float")
    temperature = check_float("temperature", temperature, positive=True)
    if top_k is not None:
        top_k = check_int("top_k", top_k, minimum=1, maximum=logits.shape[-1])
    rng = check_rng("rng", rng)
    return _sample(logits, temperature, top_k, rng)


def _sample(logits, temperature, top_k, rng):
    rows = np.atleast_2d(_softmax(logits, temperature))
    if top_k is not None:
        kth = np.sort(np.atleast_2d(logits), axis=-1)[:, -top_k][:, None]
        rows = np.where(np.atleast_2d(logits) >= kth, rows, 0.0)
        rows = rows / rows.sum(axis=-1, keepdims=True)
    cumulative = np.cumsum(rows, axis=-1)
    u = rng.random((rows.shape[0], 1)) * cumulative[:, -1:]
    ids = np.minimum((cumulative <= u).sum(axis=-1), rows.shape[-1] - 1)
    return int(ids[0]) if logits.ndim == 1 else ids


def _check_model_vocab(params, vocab: Vocab) -> None:
    check_params("params", params, PARAM_NAMES)
    if params["W"].shape[1] != vocab.size or params["V"].shape[0] != vocab.size:
        raise ValueError(f"params must read and predict the vocab's {vocab.size} characters, "
                         f"got W of shape {params['W'].shape} and V of shape "
                         f"{params['V'].shape}")


def read_prompt(params: dict[str, np.ndarray], vocab: Vocab,
                prompt: str) -> tuple[np.ndarray, np.ndarray]:
    """Read ``prompt`` one character at a time from a zero state (warming the state up).

    Returns ``(logits, h)``: the scores for the character after the prompt,
    ``(output_size,)``, and the state ``(1, num_hiddens)`` to continue from.
    Introduced in chapter 03.
    """
    if not isinstance(vocab, Vocab):
        raise TypeError(f"vocab must be a Vocab, got {vocab!r}")
    ids, *_ = check_generation_args(vocab, prompt, 0, 1.0, None, None)
    _check_model_vocab(params, vocab)
    return _read_prompt(params, ids)


def _read_prompt(params, ids):
    h = np.zeros((1, params["W"].shape[0]), dtype=params["W"].dtype)
    for token in ids:
        logits, h = _rnn_step(params, np.array([token]), h)
    return logits[0], h


def generate(params: dict[str, np.ndarray], vocab: Vocab, prompt: str, num_chars: int, *,
             temperature: float = 1.0, top_k: int | None = None,
             rng: np.random.Generator | int | None = None) -> str:
    """Continue ``prompt`` by ``num_chars`` characters sampled one at a time.

    The hidden state is carried across steps: the prompt is read first (:func:`read_prompt`),
    then each sampled character is fed back as the next input. Returns prompt + continuation.

    Introduced in chapter 01.
    """
    ids, num_chars, temperature, top_k, rng = check_generation_args(
        vocab, prompt, num_chars, temperature, top_k, rng)
    _check_model_vocab(params, vocab)
    logits, h = _read_prompt(params, ids)
    out = []
    for _ in range(num_chars):
        token = _sample(logits, temperature, top_k, rng)
        out.append(token)
        logits, h = _rnn_step(params, np.array([token]), h)
        logits = logits[0]
    return prompt + vocab.decode(np.array(out, dtype=np.int64))
