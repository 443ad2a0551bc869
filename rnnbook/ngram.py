"""Character n-gram models: the fixed-window baseline every recurrent model is compared with.

An order-``n`` model predicts a character from the ``n - 1`` characters before it. Its counts are
smoothed by interpolation: the estimate for a context is mixed with the estimate for the context
one character shorter, down to the unigram. Three smoothings, chosen by ``fit_ngram``'s
``smoothing``:

- ``"witten_bell"``: the counts of a context ``h`` are mixed with the shorter context in
  proportion to ``N1+(h .)``, the number of different characters seen after ``h``; the order-1
  model is add-one smoothed;
- ``"kneser_ney"``: interpolated Kneser-Ney (Kneser & Ney 1995; Chen & Goodman 1999). Every seen
  count is lowered by a discount ``D`` and the mass taken goes to the shorter context. The
  shorter contexts are estimated not from raw counts but from *continuation counts*
  ``N1+(. h w)``, the number of different characters seen before ``h w``: a lower order only
  matters where the longer context is rare, and there what counts is how many contexts a
  continuation follows, not how often. One ``D = n1 / (n1 + 2 n2)`` per order, from the numbers
  ``n1, n2`` of n-grams seen once and twice; the unigram is interpolated with the uniform
  distribution;
- ``"modified_kneser_ney"``: the same with three discounts per order, for counts 1, 2 and 3 or
  more (Chen & Goodman's D1, D2, D3+), the strongest simple count model.

Introduced in chapter 01.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_float, check_ids, check_int

__all__ = ["SMOOTHINGS", "NGramModel", "fit_ngram"]

SMOOTHINGS = ("witten_bell", "kneser_ney", "modified_kneser_ney")

_MAX_CODE = 2**62


@dataclass
class _Level:
    """Counts for contexts of one length, as sorted integer codes for binary search.

    Witten-Bell stores raw counts; Kneser-Ney raw counts at the highest order and continuation
    counts below it.
    """

    hw_codes: np.ndarray   # sorted codes of (context, next char)
    hw_counts: np.ndarray
    h_codes: np.ndarray    # sorted codes of contexts
    h_counts: np.ndarray   # sum over next characters of hw_counts
    h_types: np.ndarray    # how many distinct characters followed the context
    h_discounted: np.ndarray  # Kneser-Ney: the discount mass sum_w D(c(h w)) of the context
    discounts: np.ndarray  # Kneser-Ney: D for counts 0, 1, 2, 3+ (D(0) = 0)


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


def _discounts(counts: np.ndarray, smoothing: str, fixed: float | None) -> np.ndarray:
    """D for counts 0, 1, 2, 3+, from the count-of-counts (Chen & Goodman 1999, eqs. 17, 26)."""
    if fixed is not None:
        return np.array([0.0, fixed, fixed, fixed])
    n1, n2, n3, n4 = (np.count_nonzero(counts == k) for k in (1, 2, 3, 4))
    # a level without counts of 1 or 2 (a few frequent types) has no estimate: take 1/2
    y = n1 / (n1 + 2 * n2) if n1 > 0 and n2 > 0 else 0.5
    if smoothing == "kneser_ney" or not (n1 and n2 and n3):
        d = [y, y, y]
    else:
        d = [1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3]
    # any D in (0, count] keeps every distribution normalised and every probability positive;
    # the estimates leave that range only on tiny texts
    return np.array([0.0, *np.clip(d, 0.01, [1.0, 2.0, 3.0])])


def _level(hw: np.ndarray, vocab_size: int, smoothing: str, fixed: float | None) -> _Level:
    """Count (context, next char) codes ``hw`` (one entry per occurrence or per type)."""
    hw_codes, hw_counts = np.unique(hw, return_counts=True)
    h_of = hw_codes // vocab_size
    h_codes, first = np.unique(h_of, return_index=True)
    h_counts = np.add.reduceat(hw_counts, first)
    h_types = np.diff(np.append(first, hw_codes.size))
    if smoothing == "witten_bell":
        discounts = np.zeros(4)
    else:
        discounts = _discounts(hw_counts, smoothing, fixed)
    h_discounted = np.add.reduceat(discounts[np.minimum(hw_counts, 3)], first)
    return _Level(hw_codes, hw_counts, h_codes, h_counts, h_types, h_discounted, discounts)


@dataclass
class NGramModel:
    """A fitted character n-gram model; build it with :func:`fit_ngram`."""

    order: int
    vocab_size: int
    smoothing: str
    unigram: np.ndarray  # P(w) of the order-1 model, shape (vocab_size,)
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
            lower = p[m:]
            if self.smoothing == "witten_bell":
                n_h = _lookup(level.h_codes, level.h_types, h)
                mixed = (c_hw + n_h * lower) / np.maximum(c_h + n_h, 1)
            else:
                kept = c_hw - level.discounts[np.minimum(c_hw, 3)]
                mass = _lookup(level.h_codes, level.h_discounted, h)
                mixed = (kept + mass * lower) / np.maximum(c_h, 1)
            p[m:] = np.where(c_h > 0, mixed, lower)
        return p

    def bits_per_char(self, ids: np.ndarray) -> float:
        """Mean ``-log2 P`` of the characters of ``ids`` (cross-entropy in bits per character)."""
        return float(-np.mean(np.log2(self.probabilities(ids))))


def fit_ngram(ids: np.ndarray, order: int, vocab_size: int, *,
              smoothing: str = "witten_bell", discount: float | None = None) -> NGramModel:
    """Count every window of up to ``order`` characters in ``ids``.

    ``order=1`` is the unigram model (no memory); ``order=n`` uses ``n - 1`` characters of
    context. ``smoothing`` is one of :data:`SMOOTHINGS` (see the module's docstring).
    ``discount`` fixes Kneser-Ney's one discount at every order instead of estimating it
    (``smoothing="kneser_ney"`` only). Introduced in chapter 01.
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=1)
    ids = check_ids("ids", ids, vocab_size)
    max_order = int(np.floor(np.log(_MAX_CODE) / np.log(max(vocab_size, 2))))
    order = check_int("order", order, minimum=1, maximum=max_order)
    if smoothing not in SMOOTHINGS:
        raise ValueError(f"smoothing must be one of {SMOOTHINGS}, got {smoothing!r}")
    if discount is not None:
        if smoothing != "kneser_ney":
            raise ValueError(f"discount can only be fixed for smoothing='kneser_ney', "
                             f"got smoothing={smoothing!r}")
        discount = check_float("discount", discount, nonnegative=True)
        if discount > 1:
            raise ValueError(f"discount must be <= 1, got {discount}")
    if ids.size <= order:
        raise ValueError(f"ids of length {ids.size} is too short for order={order}")
    if smoothing == "witten_bell":
        unigram = (np.bincount(ids, minlength=vocab_size) + 1.0) / (ids.size + vocab_size)
        levels = [_level(_window_codes(ids, m + 1, vocab_size), vocab_size, smoothing, None)
                  for m in range(1, order)]
        return NGramModel(order, vocab_size, smoothing, unigram, levels)
    # Kneser-Ney: level m counts (context of length m, next char); below the highest order
    # each distinct window of length m + 2 adds 1 to its last m + 1 characters' count
    levels = []
    for m in range(order):
        windows = _window_codes(ids, m + 1, vocab_size)
        if m < order - 1:
            windows = np.unique(_window_codes(ids, m + 2, vocab_size)) % vocab_size ** (m + 1)
        levels.append(_level(windows, vocab_size, smoothing, discount))
    base = levels.pop(0)  # the unigram, its one "context" being the empty one
    unigram = np.zeros(vocab_size)
    unigram[base.hw_codes] = base.hw_counts - base.discounts[np.minimum(base.hw_counts, 3)]
    unigram = (unigram + base.h_discounted[0] / vocab_size) / base.h_counts[0]
    return NGramModel(order, vocab_size, smoothing, unigram, levels)
