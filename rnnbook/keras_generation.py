"""Sampling text from a Keras character model, one character at a time, carrying its state.

Introduced in chapter 06.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_generation_args
from .data import Vocab
from .keras_models import _char_layers, model_vocab_size
from .sampling import _sample
from .tfsetup import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402 (after TensorFlow has been imported quietly)

__all__ = ["generate"]


class _Stepper:
    """Runs a char model on a few ids from given states; returns last logits and new states."""

    def __init__(self, model: keras.Model):
        self.embedding, self.rnn, self.head = _char_layers(model)

        @tf.function(reduce_retracing=True)
        def step(ids, states):
            out, *new_states = self.rnn(self.embedding(ids), initial_state=states)
            return self.head(out[:, -1]), new_states

        self._step = step
        self.num_states = len(self.rnn.compute_output_spec(
            keras.KerasTensor((1, 1, self.embedding.output_dim)))) - 1

    def __call__(self, ids: np.ndarray, states):
        logits, states = self._step(tf.constant(ids[None, :], dtype=tf.int32), states)
        return logits.numpy()[0].astype(np.float64), states

    def zero_states(self):
        units = self.rnn.cell.units if hasattr(self.rnn, "cell") else self.rnn.units
        return [tf.zeros((1, units)) for _ in range(self.num_states)]


def generate(model: keras.Model, vocab: Vocab, prompt: str, num_chars: int, *,
             temperature: float = 1.0, top_k: int | None = None,
             rng: np.random.Generator | int | None = None) -> str:
    """Continue ``prompt`` by ``num_chars`` characters, sampled one at a time.

    The prompt is read in one call from a zero state; then each sampled character is fed back,
    carrying the recurrent state (one state for SimpleRNN/GRU/ours, two for LSTM). Sampling is
    :func:`rnnbook.sampling.sample`, so the same ``rng`` gives the same text as long as the
    model computes the same logits. Returns prompt + continuation.

    Introduced in chapter 06.
    """
    ids, num_chars, temperature, top_k, rng = check_generation_args(
        vocab, prompt, num_chars, temperature, top_k, rng)
    vocab_size = model_vocab_size(model)
    if vocab.size != vocab_size:
        raise ValueError(f"vocab must have the model's {vocab_size} characters, "
                         f"got a vocab of {vocab.size}")
    stepper = _Stepper(model)
    logits, states = stepper(ids, stepper.zero_states())
    out = []
    for _ in range(num_chars):
        token = _sample(logits, temperature, top_k, rng)
        out.append(token)
        logits, states = stepper(np.array([token]), states)
    return prompt + vocab.decode(np.array(out, dtype=np.int64))
