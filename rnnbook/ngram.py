"""Character n-gram models: the fixed-window baseline every recurrent model is compared with.

An order-``n`` model predicts a character from the ``n - 1`` characters before it. Counts are
smoothed by Witten-Bell interpolation: the estimate for a context is mixed with the estimate
for the context one character shorter, in proportion to how many different characters have
followed that context. The order-1 model is the unigram (no memory), add-one smoothed.

Introduced in chapter 01.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_ids, check_int

_MAX_CODE = 2**62


@dataclass
class _Level:
    """Counts for contexts of one length, as sorted integer codes for binary search."""

    hw_codes: np.ndarray  # sorted codes of (context, next char)
    hw_counts: np.ndarray
    h_codes: np.ndarray   # sorted codes of contexts
    h_counts: np.ndarray  # how often each context was followed by anything
    h_types: np.ndarray   # how many distinct characters followed it


def _window_codes(ids: np.ndarray, length: int, vocab_size: int) -> np.ndarray:
    """Base-``vocab_size`` code of every window ``ids[t - length + 1 : t + 1]``."""
    codes = np.zeros(ids.size - length + 1, dtype=np.int64)
    for j in range(length):
        codes = codes * vocab_size + ids[j:ids.size - length + 1 + j]
    return codes


def _lookup(keys: np.ndarray, values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """``values[i]`` where ``keys[i] == query``, else 0 (``keys`` sorted, non-empty)."""
    pos = np.minimum(np.searchsorted(keys, queries), keys.size - 1)
    return np.where(keys[pos] == queries, values[pos], 0)


@dataclass
class NGramModel:
    """A fitted character n-gram model; build it with :func:`fit_ngram`."""

    order: int
    vocab_size: int
    unigram: np.ndarray  # add-one smoothed P(w), shape (vocab_size,)
    levels: list[_Level]  # levels[m - 1] holds contexts of length m, m = 1..order-1

    def probabilities(self, ids: np.ndarray) -> np.ndarray:
        """P(ids[t] | preceding characters of ``ids``) for every t, shape ``(len(ids),)``.

        The first characters, with fewer than ``order - 1`` predecessors, use the longest
        context available.
        """
        ids = check_ids("ids", ids, self.vocab_size)
        p = self.unigram[ids].astype(np.float64)
        V = self.vocab_size
        for m, level in enumerate(self.levels, start=1):
            if ids.size <= m:
                break
            hw = _window_codes(ids, m + 1, V)   # windows ending at t = m .. n-1
            h = hw // V
            c_hw = _lookup(level.hw_codes, level.hw_counts, hw)
            c_h = _lookup(level.h_codes, level.h_counts, h)
            n_h = _lookup(level.h_codes, level.h_types, h)
            lower = p[m:]
            seen = c_h > 0
            mixed = (c_hw + n_h * lower) / np.where(seen, c_h + n_h, 1)
            p[m:] = np.where(seen, mixed, lower)
        return p

    def bits_per_char(self, ids: np.ndarray) -> float:
        """Mean ``-log2 P`` of the characters of ``ids`` (cross-entropy in bits per character)."""
        return float(-np.mean(np.log2(self.probabilities(ids))))


def fit_ngram(ids: np.ndarray, order: int, vocab_size: int) -> NGramModel:
    """Count every window of up to ``order`` characters in ``ids``.

    ``order=1`` is the unigram model (no memory); ``order=n`` uses ``n - 1`` characters of
    context. Introduced in chapter 01.
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=1)
    ids = check_ids("ids", ids, vocab_size)
    max_order = int(np.floor(np.log(_MAX_CODE) / np.log(max(vocab_size, 2))))
    order = check_int("order", order, minimum=1, maximum=max_order)
    if ids.size <= order:
        raise ValueError(f"ids of length {ids.size} is too short for order={order}")
    unigram = (np.bincount(ids, minlength=vocab_size) + 1.0) / (ids.size + vocab_size)
    levels = []
    for m in range(1, order):
        hw = _window_codes(ids, m + 1, vocab_size)
        hw_codes, hw_counts = np.unique(hw, return_counts=True)
        h_codes, h_counts = np.unique(hw // vocab_size, return_counts=True)
        _, h_types = np.unique(hw_codes // vocab_size, return_counts=True)
        levels.append(_Level(hw_codes, hw_counts, h_codes, h_counts, h_types))
    return NGramModel(order=order, vocab_size=vocab_size, unigram=unigram, levels=levels)
