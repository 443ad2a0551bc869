"""Input pipelines for Keras: a character stream cut into windows, and padded sequences.

Introduced in chapter 06 (:func:`char_dataset`); padding and masking in chapter 07.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ._checks import check_array, check_float, check_int, describe
from .tfsetup import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402 (after TensorFlow has been imported quietly)

__all__ = ["char_dataset", "pad", "padding_gaps"]


def char_dataset(ids: np.ndarray, num_steps: int, batch_size: int, *, shuffle: bool = False,
                 seed: int = 0, drop_remainder: bool = True) -> tf.data.Dataset:
    """``tf.data`` pipeline of ``(inputs, targets)`` windows cut from a stream of ids.

    The stream is cut into consecutive, non-overlapping chunks of ``num_steps + 1`` ids; each chunk
    gives inputs ``chunk[:-1]`` and targets ``chunk[1:]`` (the next character at every
    position). With ``shuffle`` the windows are reshuffled every epoch (seeded), then batched.

    Introduced in chapter 06.
    """
    ids = check_array("ids", ids, ndim=1, kind="int")
    num_steps = check_int("num_steps", num_steps, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    num_windows = ids.size // (num_steps + 1)
    if num_windows < 1:
        raise ValueError(f"num_steps must leave at least one window of num_steps + 1 ids; "
                         f"got num_steps={num_steps} for {ids.size} ids")
    if drop_remainder and num_windows < batch_size:
        raise ValueError(f"batch_size must be <= the number of windows ({num_windows}) when "
                         f"drop_remainder is True, got {batch_size}")
    windows = tf.data.Dataset.from_tensor_slices(ids.astype(np.int32))
    windows = windows.batch(num_steps + 1, drop_remainder=True)
    pairs = windows.map(lambda w: (w[:-1], w[1:]))
    if shuffle:
        pairs = pairs.shuffle(num_windows, seed=seed, reshuffle_each_iteration=True)
    return pairs.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)



def pad(sequences: Sequence[np.ndarray], *, maxlen: int | None = None, value: float = 0.0,
        dtype: str = "float32") -> np.ndarray:
    """Sequences of different lengths as one array, each padded at its end with ``value``.

    ``sequences`` are arrays ``(length, ...)`` (token ids or feature vectors); the result is
    ``(len(sequences), maxlen or the longest length, ...)``. Longer sequences are cut to
    ``maxlen`` (their end is dropped). A ``keras.layers.Masking(mask_value=value)`` layer, or
    an ``Embedding`` with ``mask_zero``, then tells a recurrent layer to skip the padding.

    Introduced in chapter 07.
    """
    if not isinstance(sequences, Sequence) or not sequences:
        raise TypeError(f"sequences must be a non-empty list of arrays, got "
                        f"{describe(sequences)}")
    if maxlen is not None:
        maxlen = check_int("maxlen", maxlen, minimum=1)
    value = check_float("value", value)
    return keras.utils.pad_sequences(list(sequences), maxlen=maxlen, dtype=dtype,
                                     padding="post", truncating="post", value=value)


def padding_gaps(predict: Callable[[np.ndarray], np.ndarray],
                 sequences: Sequence[np.ndarray], *, value: float = 0.0,
                 longer: int | None = None, dtype: str = "float32") -> tuple[float, float]:
    """How much padding changes a masked model's answers: the control for masking.

    ``predict`` maps a padded batch to outputs, one row per sequence (a model's ``predict``).
    Each sequence is scored alone (no padding), padded to the longest in the batch and padded
    to ``longer`` steps (default: twice the longest). Returns the largest absolute difference
    of each padded answer from the unpadded one: about float32 round-off when the mask works.

    Introduced in chapter 07.
    """
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {describe(predict)}")
    alone = np.concatenate([np.asarray(predict(pad([s], value=value, dtype=dtype)))
                            for s in sequences])
    longest = max(len(s) for s in sequences)
    longer = 2 * longest if longer is None else check_int("longer", longer, minimum=longest)
    padded = np.asarray(predict(pad(sequences, value=value, dtype=dtype)))
    padded_longer = np.asarray(predict(pad(sequences, maxlen=longer, value=value,
                                           dtype=dtype)))
    return (float(np.abs(padded - alone).max()), float(np.abs(padded_longer - alone).max()))
