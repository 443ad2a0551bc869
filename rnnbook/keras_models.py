"""The book's recurrent network in Keras 3 (TensorFlow backend). Introduced in chapter 06.

Importing this module imports TensorFlow (through :func:`rnnbook.tfsetup.import_tensorflow`), so
``import rnnbook`` does not import it; chapters that need it write
``from rnnbook import keras_models``.

- :class:`ElmanCell` is the equation of chapters 01-05, ``h_t = tanh(W x_t + U h_{t-1} + b)``,
  with weights named and shaped as in :mod:`rnnbook.rnn` (``W`` is ``(units, input_dim)``), so
  NumPy parameters copy over unchanged; :func:`from_numpy` builds the whole model from them.
- :func:`build_char_model` is the character-level language model: token ids -> ``Embedding`` ->
  a recurrent layer (ours, ``SimpleRNN``, ``GRU`` or ``LSTM``) -> ``Dense`` logits.
- :class:`ClippedTapeModel` trains with an explicit ``tf.GradientTape`` ``train_step``.
- :func:`char_dataset` is the ``tf.data`` pipeline, :func:`stream_bits_per_char` the book's
  evaluation (one stream from a zero state, as :func:`rnnbook.train.evaluate_bpc`), and
  :func:`generate` samples one character at a time, carrying the recurrent state.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import (
    check_array,
    check_float,
    check_ids,
    check_int,
    check_params,
    describe,
)
from .data import Vocab
from .rnn import PARAM_NAMES
from .sampling import check_generation_args, sample
from .tfsetup import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402 (after TensorFlow has been imported quietly)

RNN_KINDS = ("elman", "simple", "gru", "lstm")
_PACKAGE = "rnnbook"


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ElmanCell(keras.layers.Layer):
    """One step of the book's RNN: ``h_t = tanh(W x_t + U h_{t-1} + b)``.

    ``W`` has shape ``(units, input_dim)`` and ``U`` ``(units, units)``, as in the book's column
    convention. Keras passes row vectors ``(batch, input_dim)``, so the code computes
    ``x @ W.T + h @ U.T + b``. Wrap it in ``keras.layers.RNN`` (or use :func:`elman_layer`).
    """

    def __init__(self, units: int, *, activation: str = "tanh", seed: int | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.units = check_int("units", units, minimum=1)
        if activation not in ("tanh", "relu"):
            raise ValueError(f"activation must be 'tanh' or 'relu', got {activation!r}")
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
        a = ops.matmul(inputs, ops.transpose(self.W)) + ops.matmul(h_prev, ops.transpose(self.U))
        a = a + self.b
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


def recurrent_layer(kind: str, units: int, *, return_sequences: bool = True,
                    return_state: bool = False, seed: int = 0,
                    name: str | None = None) -> keras.layers.Layer:
    """A recurrent layer of the given ``kind`` (one of :data:`RNN_KINDS`), seeded.

    Every kind uses Glorot-uniform input weights and orthogonal recurrent weights (Keras'
    defaults), with explicit seeds so that a model is the same whatever was built before it.
    """
    if kind not in RNN_KINDS:
        raise ValueError(f"kind must be one of {RNN_KINDS}, got {kind!r}")
    units = check_int("units", units, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    if kind == "elman":
        return elman_layer(units, return_sequences=return_sequences, return_state=return_state,
                           seed=seed, name=name)
    layer_class = {"simple": keras.layers.SimpleRNN, "gru": keras.layers.GRU,
                   "lstm": keras.layers.LSTM}[kind]
    return layer_class(units, return_sequences=return_sequences, return_state=return_state,
                       kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
                       recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1),
                       seed=seed, name=name)


def _check_vocab_size(vocab_size: object) -> int:
    return check_int("vocab_size", vocab_size, minimum=2)


def build_char_model(vocab_size: int, *, kind: str = "gru", units: int = 128,
                     embedding_dim: int = 32, dropout: float = 0.0, seed: int = 0,
                     clip_norm: float | None = None) -> keras.Model:
    """Character-level language model: ids ``(batch, steps)`` -> logits ``(batch, steps, vocab)``.

    Layers, by name: ``embedding`` (``vocab_size`` x ``embedding_dim``), ``rnn`` (``kind``,
    returning its sequence and its final state), ``dropout`` (rate ``dropout``, active only in
    training), ``logits`` (``Dense(vocab_size)``). The model's output is the logits only; the
    ``rnn`` layer's state outputs are what :func:`generate` carries from step to step.
    With ``clip_norm`` the model is a :class:`ClippedTapeModel` (explicit ``train_step``).
    """
    vocab_size = _check_vocab_size(vocab_size)
    units = check_int("units", units, minimum=1)
    embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
    dropout = check_float("dropout", dropout, nonnegative=True, below=1.0)
    seed = check_int("seed", seed, minimum=0)
    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, positive=True)
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    x = keras.layers.Embedding(
        vocab_size, embedding_dim, name="embedding",
        embeddings_initializer=keras.initializers.RandomUniform(-0.05, 0.05, seed=seed + 2))(ids)
    x, *_ = recurrent_layer(kind, units, return_sequences=True, return_state=True, seed=seed,
                            name="rnn")(x)
    x = keras.layers.Dropout(dropout, seed=seed + 3, name="dropout")(x)
    logits = keras.layers.Dense(
        vocab_size, name="logits",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 4))(x)
    name = f"char_{kind}_{units}"
    if clip_norm is None:
        return keras.Model(ids, logits, name=name)
    return ClippedTapeModel(ids, logits, clip_norm=clip_norm, name=name)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ClippedTapeModel(keras.Model):
    """A functional model whose ``train_step`` is written out with ``tf.GradientTape``.

    One call of ``train_step`` is the seed article's steps 2-4 on one minibatch: forward pass
    under the tape, loss, gradients by backpropagation through time (``tape.gradient``),
    rescaling to global norm ``clip_norm``, and the optimizer's update. ``model.fit`` calls it
    once per minibatch. The result also reports ``grad_norm``, the norm before clipping.
    Mixed precision (a ``LossScaleOptimizer``) is not supported: the loss is not scaled.
    """

    def __init__(self, *args, clip_norm: float = 5.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.clip_norm = check_float("clip_norm", clip_norm, positive=True)
        self.grad_norm_tracker = keras.metrics.Mean(name="grad_norm")

    def train_step(self, data):
        x, y, weights = keras.utils.unpack_x_y_sample_weight(data)  # (inputs, targets[, weights])
        with tf.GradientTape() as tape:
            logits = self(x, training=True)  # forward pass, recorded on the tape
            loss = self.compute_loss(x=x, y=y, y_pred=logits, sample_weight=weights)  # mean nats
        grads = tape.gradient(loss, self.trainable_variables)  # BPTT
        # Dense gradients, on one device too: an Embedding's gradient arrives as tf.IndexedSlices
        # (one row per occurrence of a character), which Keras' norm and Adam square row by row
        # (chapter 06); the summed rows give the true norm and textbook Adam.
        grads = [tf.zeros_like(v) if g is None else tf.convert_to_tensor(g)
                 for g, v in zip(grads, self.trainable_variables, strict=True)]
        # Under tf.distribute each replica sees a slice of the minibatch and Keras has already
        # divided its loss by the number of replicas, so the sum over replicas is the gradient
        # of the whole minibatch. Clip that sum, not each replica's share. (One replica: no-op.)
        context = tf.distribute.get_replica_context()
        replicas = context.num_replicas_in_sync
        grads = context.all_reduce("sum", grads)
        grads, norm = tf.clip_by_global_norm(grads, self.clip_norm)
        # The optimizer all-reduces (sums) again what every replica hands it, so each hands over
        # 1/replicas of the clipped sum: correct, at the price of a second all-reduce.
        self.optimizer.apply([g / replicas for g in grads], self.trainable_variables)
        self.grad_norm_tracker.update_state(norm)
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss * replicas)  # undo the per-replica scaling
            elif metric is not self.grad_norm_tracker:
                metric.update_state(y, logits, sample_weight=weights)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        logs = super().test_step(data)
        return {name: value for name, value in logs.items() if name != "grad_norm"}

    def get_config(self):
        return {**super().get_config(), "clip_norm": self.clip_norm}


@keras.saving.register_keras_serializable(package=_PACKAGE)
def bits_per_char(y_true, y_pred):
    """Cross-entropy of logits ``y_pred`` against ids ``y_true`` in bits (a Keras metric)."""
    nats = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)
    return nats / math.log(2.0)


def compile_char_model(model: keras.Model, *, learning_rate: float = 0.004,
                       clip_norm: float | None = 5.0) -> keras.Model:
    """Compile with Adam, sparse cross-entropy on logits and the bits-per-character metric.

    For a plain model ``clip_norm`` goes to Adam's ``global_clipnorm`` (Keras clips inside the
    optimizer); a :class:`ClippedTapeModel` clips in its own ``train_step`` at its own
    ``clip_norm``, so ``clip_norm`` here must then be ``None`` or the same value.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {describe(model)}")
    learning_rate = check_float("learning_rate", learning_rate, positive=True)
    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, positive=True)
    if isinstance(model, ClippedTapeModel) and clip_norm not in (None, model.clip_norm):
        raise ValueError(f"clip_norm must be None or the model's own {model.clip_norm} for a "
                         f"ClippedTapeModel, got {clip_norm}")
    in_optimizer = None if isinstance(model, ClippedTapeModel) else clip_norm
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, global_clipnorm=in_optimizer),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[bits_per_char])
    return model


def char_dataset(ids: np.ndarray, seq_len: int, batch_size: int, *, shuffle: bool = False,
                 seed: int = 0, drop_remainder: bool = True) -> tf.data.Dataset:
    """``tf.data`` pipeline of ``(inputs, targets)`` windows cut from a stream of ids.

    The stream is cut into consecutive, non-overlapping chunks of ``seq_len + 1`` ids; each chunk
    gives inputs ``chunk[:-1]`` and targets ``chunk[1:]`` (the next character at every
    position). With ``shuffle`` the windows are reshuffled every epoch (seeded), then batched.
    """
    ids = check_array("ids", ids, ndim=1, kind="int")
    seq_len = check_int("seq_len", seq_len, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    num_windows = ids.size // (seq_len + 1)
    if num_windows < 1:
        raise ValueError(f"seq_len must leave at least one window of seq_len + 1 ids; "
                         f"got seq_len={seq_len} for {ids.size} ids")
    if drop_remainder and num_windows < batch_size:
        raise ValueError(f"batch_size must be <= the number of windows ({num_windows}) when "
                         f"drop_remainder is True, got {batch_size}")
    windows = tf.data.Dataset.from_tensor_slices(ids.astype(np.int32))
    windows = windows.batch(seq_len + 1, drop_remainder=True)
    pairs = windows.map(lambda w: (w[:-1], w[1:]))
    if shuffle:
        pairs = pairs.shuffle(num_windows, seed=seed, reshuffle_each_iteration=True)
    return pairs.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


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


def stream_bits_per_char(model: keras.Model, ids: np.ndarray) -> float:
    """Bits per character of ``model`` on ``ids`` read as one stream from a zero state.

    The same measure as :func:`rnnbook.train.evaluate_bpc` for the NumPy model: every
    character after the first is predicted from everything before it.
    """
    vocab_size = model_vocab_size(model)
    ids = check_ids("ids", ids, vocab_size)
    if ids.size < 2:
        raise ValueError(f"ids must hold at least 2 characters to predict one, got {ids.size}")
    x = tf.constant(ids[None, :-1], dtype=tf.int32)
    y = tf.constant(ids[None, 1:], dtype=tf.int32)

    @tf.function
    def mean_bits(x, y):
        return tf.reduce_mean(bits_per_char(y, model(x, training=False)))

    return float(mean_bits(x, y))


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
        token = sample(logits, temperature=temperature, top_k=top_k, rng=rng)
        out.append(token)
        logits, states = stepper(np.array([token]), states)
    return prompt + vocab.decode(np.array(out, dtype=np.int64))


def from_numpy(params: dict[str, np.ndarray], *, kind: str = "elman") -> keras.Model:
    """A Keras model computing exactly the NumPy model ``params`` of :mod:`rnnbook.rnn`.

    Input: vectors ``(batch, steps, input_size)`` (one-hot rows for characters); output: logits
    ``(batch, steps, output_size)``. ``kind="elman"`` uses :class:`ElmanCell` (weights copied as
    they are); ``kind="simple"`` uses ``keras.layers.SimpleRNN``, whose ``kernel`` is ``W.T`` and
    ``recurrent_kernel`` ``U.T`` (Keras multiplies row vectors from the left). The head is
    ``Dense`` with kernel ``V.T`` and bias ``c``.
    """
    check_params("params", params, PARAM_NAMES)
    if kind not in ("elman", "simple"):
        raise ValueError(f"kind must be 'elman' or 'simple', got {kind!r}")
    W, U, b, V, c = (np.asarray(params[k], dtype=np.float32) for k in PARAM_NAMES)
    units, input_size = W.shape
    if U.shape != (units, units) or b.shape != (units,) or V.shape[1] != units \
            or c.shape != (V.shape[0],):
        raise ValueError("params have inconsistent shapes: "
                         + ", ".join(f"{k} {params[k].shape}" for k in PARAM_NAMES))
    inputs = keras.Input(shape=(None, input_size), name="x")
    layer = recurrent_layer(kind, units, return_sequences=True, name="rnn")
    head = keras.layers.Dense(V.shape[0], name="logits")
    model = keras.Model(inputs, head(layer(inputs)), name=f"from_numpy_{kind}")
    if kind == "elman":
        layer.cell.W.assign(W)
        layer.cell.U.assign(U)
        layer.cell.b.assign(b)
    else:
        layer.set_weights([W.T, U.T, b])
    head.set_weights([V.T, c])
    return model


def trainable_parameters(model: keras.Model) -> int:
    """Number of trainable scalars in ``model``."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {describe(model)}")
    return int(sum(np.prod(v.shape) for v in model.trainable_weights))
