"""The book's recurrent networks as Keras 3 layers and models (TensorFlow backend).

Importing this module imports TensorFlow (through :func:`rnnbook.tfsetup.import_tensorflow`), so
``import rnnbook`` does not; chapters that need it write ``from rnnbook import keras_models``.

- :class:`ElmanCell` is the equation of chapters 01-05, ``h_t = tanh(W x_t + U h_{t-1} + b)``,
  with weights named and shaped as in :mod:`rnnbook.rnn` (``W`` is ``(units, input_dim)``), so
  NumPy parameters copy over unchanged; :func:`from_numpy` builds the whole model from them.
- :class:`Initializers` is the one seed scheme of the book's Keras models: every initialiser
  of a model draws the next seed from it, so a model is the same whatever was built before it.
- :func:`recurrent_layer` is the one builder of a seeded recurrent layer (the book's, Keras'
  ``SimpleRNN``, ``GRU`` or ``LSTM``), used by every chapter that builds a recurrent model.
- :func:`build_char_model` is the character-level language model: token ids -> ``Embedding``
  -> a recurrent layer -> ``Dense`` logits.

Training (the explicit ``train_step``, keep-the-best), input pipelines and generation live in
:mod:`rnnbook.keras_training`, :mod:`rnnbook.keras_data` and :mod:`rnnbook.keras_generation`.
Introduced in chapter 06.
"""

from __future__ import annotations

import itertools

import numpy as np

from ._checks import check_float, check_int, check_params, describe
from .keras_training import ClippedTapeModel
from .rnn import ACTIVATIONS, PARAM_NAMES, _shapes
from .tfsetup import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402 (after TensorFlow has been imported quietly)

__all__ = ["RNN_KINDS", "ElmanCell", "Initializers", "build_char_model", "elman_layer",
           "from_numpy", "model_vocab_size", "recurrent_layer"]

# "book" is ElmanCell (this book's code); the others are Keras' own layers.
RNN_KINDS = ("book", "simple_rnn", "gru", "lstm")
_PACKAGE = "rnnbook"


class Initializers:
    """Seeded Keras initialisers, each call drawing the next seed: ``seed``, ``seed + 1``, ...

    ``init = Initializers(seed)``; ``Dense(k, kernel_initializer=init.glorot())``. Two models
    built from the same seed get the same weights, however many models were built before.

    Introduced in chapter 07.
    """

    def __init__(self, seed: int):
        self.seed = check_int("seed", seed, minimum=0)
        self._seeds = itertools.count(self.seed)

    def next_seed(self) -> int:
        """The next seed, for a layer that takes one (dropout masks, for example)."""
        return next(self._seeds)

    def glorot(self) -> keras.initializers.Initializer:
        """Glorot-uniform, Keras' default for input kernels."""
        return keras.initializers.GlorotUniform(seed=self.next_seed())

    def orthogonal(self, gain: float = 1.0) -> keras.initializers.Initializer:
        """A random orthogonal matrix times ``gain``, Keras' default for recurrent kernels."""
        gain = check_float("gain", gain, positive=True)
        return keras.initializers.Orthogonal(gain=gain, seed=self.next_seed())

    def uniform(self, low: float, high: float) -> keras.initializers.Initializer:
        """Uniform on ``[low, high)``."""
        return keras.initializers.RandomUniform(low, high, seed=self.next_seed())


def _initializers(seed: int | Initializers) -> Initializers:
    return seed if isinstance(seed, Initializers) else Initializers(seed)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ElmanCell(keras.layers.Layer):
    """One step of the book's RNN: ``h_t = tanh(W x_t + U h_{t-1} + b)``.

    ``W`` has shape ``(units, input_dim)`` and ``U`` ``(units, units)``, as in the book's column
    convention. Keras passes row vectors ``(batch, input_dim)``, so the code computes
    ``x @ W.T + h @ U.T + b``. Wrap it in ``keras.layers.RNN`` (or use :func:`elman_layer`).

    Introduced in chapter 06.
    """

    def __init__(self, units: int, *, activation: str = "tanh", seed: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}, got {activation!r}")
        self.activation = activation
        self.seed = None if seed is None else check_int("seed", seed, minimum=0)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        seed = self.seed
        self.W = self.add_weight(name="W", shape=(self.units, input_dim),
                                 initializer=keras.initializers.GlorotUniform(seed=seed))
        self.U = self.add_weight(name="U", shape=(self.units, self.units),
                                 initializer=keras.initializers.Orthogonal(
                                     seed=None if seed is None else seed + 1))
        self.b = self.add_weight(name="b", shape=(self.units,), initializer="zeros")

    def call(self, inputs, states, training=False):
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        ops = keras.ops
        a = (ops.matmul(inputs, ops.transpose(self.W))  # W x_t
             + ops.matmul(h_prev, ops.transpose(self.U))  # + U h_{t-1}
             + self.b)
        h = ops.tanh(a) if self.activation == "tanh" else ops.relu(a)
        return h, [h]

    def get_config(self):
        return {**super().get_config(), "units": self.units, "activation": self.activation,
                "seed": self.seed}


def elman_layer(units: int, *, return_sequences: bool = True, return_state: bool = False,
                seed: int | None = None, name: str | None = None) -> keras.layers.RNN:
    """``keras.layers.RNN(ElmanCell(units))``: the book's RNN as a Keras layer."""
    return keras.layers.RNN(ElmanCell(units, seed=seed), return_sequences=return_sequences,
                            return_state=return_state, name=name)


def recurrent_layer(kind: str, units: int, *, seed: int | Initializers = 0,
                    return_sequences: bool = False, return_state: bool = False,
                    dropout: float = 0.0, recurrent_dropout: float = 0.0,
                    recurrent_gain: float = 1.0, name: str | None = None) -> keras.layers.Layer:
    """A seeded recurrent layer of the given ``kind`` (one of :data:`RNN_KINDS`).

    Input weights are Glorot-uniform and recurrent weights orthogonal times ``recurrent_gain``
    (Keras' defaults at gain 1), seeded from ``seed`` (an int, or the model's
    :class:`Initializers`): first the input kernel, then the recurrent kernel, then the layer's
    own seed for its dropout masks. ``dropout`` and ``recurrent_dropout`` are Keras' (not for
    ``"book"``). ``units`` is the book's ``num_hiddens``.

    Introduced in chapter 07.
    """
    if kind not in RNN_KINDS:
        raise ValueError(f"kind must be one of {RNN_KINDS}, got {kind!r}")
    units = check_int("units", units, minimum=1)
    if not isinstance(seed, Initializers):
        seed = check_int("seed", seed, minimum=0)
    dropout = check_float("dropout", dropout, nonnegative=True, below=1.0)
    recurrent_dropout = check_float("recurrent_dropout", recurrent_dropout, nonnegative=True,
                                    below=1.0)
    init = _initializers(seed)
    if kind == "book":
        if dropout or recurrent_dropout or recurrent_gain != 1.0:
            raise ValueError("the book's ElmanCell has no dropout or recurrent_gain; got "
                             f"dropout={dropout}, recurrent_dropout={recurrent_dropout}, "
                             f"recurrent_gain={recurrent_gain}")
        cell_seed = init.next_seed()  # ElmanCell seeds W with it and U with it + 1
        init.next_seed()
        return elman_layer(units, return_sequences=return_sequences, return_state=return_state,
                           seed=cell_seed, name=name)
    layer_class = {"simple_rnn": keras.layers.SimpleRNN, "gru": keras.layers.GRU,
                   "lstm": keras.layers.LSTM}[kind]
    kernel, recurrent = init.glorot(), init.orthogonal(recurrent_gain)
    return layer_class(units, return_sequences=return_sequences, return_state=return_state,
                       kernel_initializer=kernel, recurrent_initializer=recurrent,
                       dropout=dropout, recurrent_dropout=recurrent_dropout,
                       seed=init.next_seed(), name=name)


def build_char_model(vocab_size: int, *, kind: str = "gru", units: int = 128,
                     embedding_dim: int = 32, dropout: float = 0.0,
                     recurrent_dropout: float = 0.0, seed: int = 0,
                     clip_norm: float | None = None) -> keras.Model:
    """Character-level language model: ids ``(batch, steps)`` -> logits ``(batch, steps, vocab)``.

    Layers, by name: ``embedding`` (``vocab_size`` x ``embedding_dim``), ``rnn`` (``kind``,
    returning its sequence and its final state, with ``recurrent_dropout`` on its state),
    ``dropout`` (rate ``dropout`` on the layer's outputs, active only in training), ``logits``
    (``Dense(vocab_size)``). The model's output is the logits only; the ``rnn`` layer's state
    outputs are what :func:`rnnbook.keras_generation.generate` carries from step to step.
    With ``clip_norm`` the model is a :class:`rnnbook.keras_training.ClippedTapeModel`
    (explicit ``train_step``). Seeds: :class:`Initializers` from ``seed``.

    Introduced in chapter 06.
    """
    vocab_size = check_int("vocab_size", vocab_size, minimum=2)
    units = check_int("units", units, minimum=1)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
    dropout = check_float("dropout", dropout, nonnegative=True, below=1.0)
    seed = check_int("seed", seed, minimum=0)
    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, positive=True)
    init = Initializers(seed)
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    rnn = recurrent_layer(kind, units, seed=init, return_sequences=True, return_state=True,
                          recurrent_dropout=recurrent_dropout, name="rnn")
    x = keras.layers.Embedding(vocab_size, embedding_dim, name="embedding",
                               embeddings_initializer=init.uniform(-0.05, 0.05))(ids)
    x, *_ = rnn(x)
    x = keras.layers.Dropout(dropout, seed=init.next_seed(), name="dropout")(x)
    logits = keras.layers.Dense(vocab_size, name="logits",
                                kernel_initializer=init.glorot())(x)
    name = f"char_{kind}_{units}"
    if clip_norm is None:
        return keras.Model(ids, logits, name=name)
    return ClippedTapeModel(ids, logits, clip_norm=clip_norm, name=name)


def _char_layers(model: object):
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model built by build_char_model, "
                        f"got {describe(model)}")
    try:
        return (model.get_layer("embedding"), model.get_layer("rnn"),
                model.get_layer("logits"))
    except ValueError:
        raise ValueError("model must have layers named 'embedding', 'rnn' and 'logits' "
                         f"(as build_char_model makes them); got layers "
                         f"{[layer.name for layer in model.layers]}") from None


def model_vocab_size(model: keras.Model) -> int:
    """The number of characters ``model`` reads and predicts."""
    embedding, _, _ = _char_layers(model)
    return int(embedding.input_dim)


def from_numpy(params: dict[str, np.ndarray], *, kind: str = "book") -> keras.Model:
    """A Keras model computing exactly the NumPy model ``params`` of :mod:`rnnbook.rnn`.

    Input: vectors ``(batch, steps, input_size)`` (one-hot rows for characters); output: logits
    ``(batch, steps, output_size)``. ``kind="book"`` uses :class:`ElmanCell` (weights copied as
    they are); ``kind="simple_rnn"`` uses ``keras.layers.SimpleRNN``, whose ``kernel`` is
    ``W.T`` and ``recurrent_kernel`` ``U.T`` (Keras multiplies row vectors from the left).
    The head is ``Dense`` with kernel ``V.T`` and bias ``c``.

    Introduced in chapter 06.
    """
    check_params("params", params, PARAM_NAMES)
    if kind not in ("book", "simple_rnn"):
        raise ValueError(f"kind must be 'book' or 'simple_rnn', got {kind!r}")
    _shapes(params)
    W, U, b, V, c = (np.asarray(params[k], dtype=np.float32) for k in PARAM_NAMES)
    units, input_size = W.shape
    inputs = keras.Input(shape=(None, input_size), name="x")
    layer = recurrent_layer(kind, units, return_sequences=True, name="rnn")
    head = keras.layers.Dense(V.shape[0], name="logits")
    model = keras.Model(inputs, head(layer(inputs)), name=f"from_numpy_{kind}")
    if kind == "book":
        layer.cell.W.assign(W)
        layer.cell.U.assign(U)
        layer.cell.b.assign(b)
    else:
        layer.set_weights([W.T, U.T, b])
    head.set_weights([V.T, c])
    return model
