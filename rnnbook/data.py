"""From a corpus to minibatches: the character vocabulary, splits and the two partitions.

Introduced in chapter 01; the partitions are explained and drawn in chapter 03.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from ._checks import check_array, check_float, check_ids, check_int, check_rng, describe

__all__ = ["Vocab", "random_batches", "sequential_batches", "train_val_test_split"]


@dataclass(frozen=True)
class Vocab:
    """A character vocabulary: ``chars[i]`` is the character with id ``i``.

    Introduced in chapter 01.
    """

    chars: tuple[str, ...]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.chars, tuple) or not self.chars:
            raise ValueError(f"chars must be a non-empty tuple of characters, "
                             f"got {describe(self.chars)}")
        for ch in self.chars:
            if not isinstance(ch, str) or len(ch) != 1:
                raise ValueError(f"chars must hold single characters, got {ch!r}")
        if len(set(self.chars)) != len(self.chars):
            raise ValueError("chars must not repeat a character")
        object.__setattr__(self, "index", {ch: i for i, ch in enumerate(self.chars)})

    @classmethod
    def from_text(cls, text: str) -> Vocab:
        """Every distinct character of ``text``, sorted by code point."""
        if not isinstance(text, str) or not text:
            raise ValueError(f"text must be a non-empty string, got {describe(text)}")
        return cls(tuple(sorted(set(text))))

    def __len__(self) -> int:
        return len(self.chars)

    @property
    def size(self) -> int:
        """Number of characters, the ``vocab_size`` of the book."""
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """Character ids of ``text`` as an int64 array; unknown characters raise ValueError."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a string, got {describe(text)}")
        try:
            return np.fromiter((self.index[ch] for ch in text), dtype=np.int64, count=len(text))
        except KeyError as err:
            ch = err.args[0]
            raise ValueError(f"text contains {ch!r} at position {text.index(ch)}, which is not "
                             f"in the vocabulary of {self.size} characters") from None

    def decode(self, ids: np.ndarray) -> str:
        """The string whose character ids are ``ids`` (a 1-D integer array)."""
        ids = check_ids("ids", ids, self.size, allow_empty=True)
        return "".join(self.chars[i] for i in ids)


def _check_id_stream(ids: object) -> np.ndarray:
    return check_array("ids", ids, ndim=1, kind="int")


def train_val_test_split(ids: np.ndarray, val_fraction: float = 0.1,
                         test_fraction: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut a corpus into contiguous train, validation and test parts, in that order.

    Contiguous blocks mean no character (and no window of characters) of the validation or
    test part is ever seen in training. ``test_fraction=0`` gives an empty test part.
    Introduced in chapter 01.
    """
    ids = _check_id_stream(ids)
    val_fraction = check_float("val_fraction", val_fraction, positive=True, below=1.0)
    test_fraction = check_float("test_fraction", test_fraction, nonnegative=True, below=1.0)
    if val_fraction + test_fraction >= 1.0:
        raise ValueError(f"val_fraction + test_fraction must be < 1, got "
                         f"{val_fraction} + {test_fraction}")
    n = ids.size
    n_test = int(round(n * test_fraction))
    n_val = int(round(n * val_fraction))
    n_train = n - n_val - n_test
    if n_val < 2 or n_train < 2 or (test_fraction > 0 and n_test < 2):
        raise ValueError(f"ids of length {n} is too short for val_fraction={val_fraction} "
                         f"and test_fraction={test_fraction}")
    return ids[:n_train], ids[n_train:n_train + n_val], ids[n_train + n_val:]


def _check_batching(ids, batch_size, num_steps):
    ids = _check_id_stream(ids)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    return ids, batch_size, num_steps


def sequential_batches(ids: np.ndarray, batch_size: int, num_steps: int, *,
                       offset: int = 0) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X, Y)`` minibatches of shape ``(batch_size, num_steps)`` in reading order.

    The corpus (after dropping ``offset`` characters) is cut into ``batch_size`` contiguous
    streams; batch ``i`` holds window ``i`` of every stream, so row ``r`` of batch ``i + 1``
    continues row ``r`` of batch ``i`` and the hidden state may be carried over.
    ``Y`` is ``X`` shifted one character ahead. Introduced and drawn in chapter 03.
    """
    ids, batch_size, num_steps = _check_batching(ids, batch_size, num_steps)
    offset = check_int("offset", offset, minimum=0, maximum=max(ids.size - 2, 0))
    usable = (ids.size - offset - 1) // batch_size * batch_size
    stream_len = usable // batch_size
    if stream_len < num_steps:
        raise ValueError(f"num_steps={num_steps} is longer than each of the {batch_size} "
                         f"streams ({stream_len} characters) cut from ids of length {ids.size}")
    Xs = ids[offset:offset + usable].reshape(batch_size, stream_len)
    Ys = ids[offset + 1:offset + 1 + usable].reshape(batch_size, stream_len)
    for start in range(0, stream_len - num_steps + 1, num_steps):
        yield Xs[:, start:start + num_steps], Ys[:, start:start + num_steps]


def random_batches(ids: np.ndarray, batch_size: int, num_steps: int, *,
                   rng: np.random.Generator | int | None = None,
                   offset: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X, Y)`` minibatches of non-overlapping windows taken in random order.

    Windows of ``num_steps`` characters start at ``offset + i * num_steps`` (``offset`` drawn
    from ``rng`` in ``[0, num_steps)`` when ``None``); they are shuffled and grouped
    ``batch_size`` at a time. Neighbouring rows are not neighbours in the text, so the hidden
    state must be reset for every batch. Introduced and drawn in chapter 03.
    """
    ids, batch_size, num_steps = _check_batching(ids, batch_size, num_steps)
    rng = check_rng("rng", rng)
    if offset is None:
        offset = int(rng.integers(num_steps))
    offset = check_int("offset", offset, minimum=0, maximum=max(ids.size - 2, 0))
    num_windows = (ids.size - offset - 1) // num_steps
    if num_windows < batch_size:
        raise ValueError(f"ids of length {ids.size} gives {num_windows} windows of "
                         f"num_steps={num_steps}, fewer than batch_size={batch_size}")
    starts = offset + num_steps * rng.permutation(num_windows)
    steps = np.arange(num_steps)
    for first in range(0, num_windows - batch_size + 1, batch_size):
        rows = starts[first:first + batch_size, None] + steps
        yield ids[rows], ids[rows + 1]
