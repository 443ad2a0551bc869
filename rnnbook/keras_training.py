"""Training Keras models the book's way: an explicit training step, and keep-the-best.

- :class:`ClippedTapeModel` trains with a ``train_step`` written out with ``tf.GradientTape``
  (chapter 06's subject); :func:`compile_char_model` compiles a character model with Adam and
  the :func:`bits_per_char` metric;
- :class:`KeepBest` (and :func:`fit_keeping_best`) keeps the weights of the epoch with the best
  validation figure and puts them back when training ends: early stopping without stopping;
- :func:`probabilities` and :func:`stream_bits_per_char` score a trained model.

Introduced in chapter 06.
"""

from __future__ import annotations

import math

import numpy as np

from ._checks import check_float, check_ids, describe
from .tfsetup import import_tensorflow

tf = import_tensorflow()
import keras  # noqa: E402 (after TensorFlow has been imported quietly)

__all__ = ["ClippedTapeModel", "KeepBest", "bits_per_char", "compile_char_model",
           "fit_keeping_best", "probabilities", "stream_bits_per_char"]

_PACKAGE = "rnnbook"


@keras.saving.register_keras_serializable(package=_PACKAGE)
class ClippedTapeModel(keras.Model):
    """A functional model whose ``train_step`` is written out with ``tf.GradientTape``.

    One call of ``train_step`` is the seed article's steps 2-4 on one minibatch: forward pass
    under the tape, loss, gradients by backpropagation through time (``tape.gradient``),
    rescaling to global norm ``clip_norm``, and the optimizer's update. ``model.fit`` calls it
    once per minibatch. The result also reports ``grad_norm``, the norm before clipping.
    Mixed precision (a ``LossScaleOptimizer``) is not supported: the loss is not scaled.

    Introduced in chapter 06.
    """

    def __init__(self, *args, clip_norm: float = 5.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.clip_norm = check_float("clip_norm", clip_norm, positive=True)
        self.grad_norm_tracker = keras.metrics.Mean(name="grad_norm")

    def train_step(self, data):
        # (inputs, targets[, weights])
        x, y, weights = keras.utils.unpack_x_y_sample_weight(data)
        with tf.GradientTape() as tape:
            logits = self(x, training=True)  # forward pass, on the tape
            loss = self.compute_loss(x=x, y=y, y_pred=logits,
                                     sample_weight=weights)  # mean nats
        grads = tape.gradient(loss, self.trainable_variables)  # BPTT
        # Dense gradients, on one device too: an Embedding's gradient
        # arrives as tf.IndexedSlices (one row per occurrence of a
        # character), which Keras' norm and Adam square row by row
        # (chapter 06); the summed rows give the true norm and textbook
        # Adam.
        grads = [tf.zeros_like(v) if g is None else tf.convert_to_tensor(g)
                 for g, v in zip(grads, self.trainable_variables,
                                 strict=True)]
        # Under tf.distribute each replica sees a slice of the minibatch
        # and Keras has already divided its loss by the number of
        # replicas, so the sum over replicas is the gradient of the whole
        # minibatch. Clip that sum, not each replica's share. (One
        # replica: no-op.)
        context = tf.distribute.get_replica_context()
        replicas = context.num_replicas_in_sync
        grads = context.all_reduce("sum", grads)
        grads, norm = tf.clip_by_global_norm(grads, self.clip_norm)
        # The optimizer all-reduces (sums) again what every replica hands
        # it, so each hands over 1/replicas of the clipped sum: correct,
        # at the price of a second all-reduce.
        self.optimizer.apply([g / replicas for g in grads],
                             self.trainable_variables)
        self.grad_norm_tracker.update_state(norm)
        for metric in self.metrics:
            if metric.name == "loss":
                # undo the per-replica scaling
                metric.update_state(loss * replicas)
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
    """Cross-entropy of logits ``y_pred`` against ids ``y_true`` in bits (a Keras metric).

    Introduced in chapter 06.
    """
    nats = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)
    return nats / math.log(2.0)


def compile_char_model(model: keras.Model, *, learning_rate: float = 0.004,
                       clip_norm: float | None = 5.0) -> keras.Model:
    """Compile with Adam, sparse cross-entropy on logits and the bits-per-character metric.

    For a plain model ``clip_norm`` goes to Adam's ``global_clipnorm`` (Keras clips inside the
    optimizer); a :class:`ClippedTapeModel` clips in its own ``train_step`` at its own
    ``clip_norm``, so ``clip_norm`` here must then be ``None`` or the same value.

    Introduced in chapter 06.
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


class KeepBest(keras.callbacks.Callback):
    """Keep the weights of the epoch with the best ``monitor`` value; restore them at the end.

    ``mode`` is ``"min"`` (a loss) or ``"max"`` (an accuracy). After training, ``best_epoch``
    is the 1-based epoch whose weights the model holds and ``best`` its value. Unlike Keras'
    ``EarlyStopping(restore_best_weights=True)`` it never stops a run: every epoch is trained
    and seen, and the choice is made on the validation figures alone. ``monitor`` may also
    name a figure that an earlier callback writes into the epoch's logs (Keras hands one logs
    dict to the callbacks in order).
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "min"):
        super().__init__()
        if not isinstance(monitor, str) or not monitor:
            raise TypeError(f"monitor must be a metric name, got {describe(monitor)}")
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode = monitor, mode
        self.best, self.best_epoch, self._weights = None, None, None

    def on_train_begin(self, logs=None):
        self.best, self.best_epoch, self._weights = None, None, None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.monitor not in logs:
            raise KeyError(f"KeepBest monitors {self.monitor!r}, which this fit does not log; "
                           f"it logs {sorted(logs)} (validation figures need validation_data)")
        value = float(logs[self.monitor])
        better = self.best is None or (value < self.best if self.mode == "min"
                                       else value > self.best)
        if better:
            self.best, self.best_epoch = value, epoch + 1
            self._weights = self.model.get_weights()

    def on_train_end(self, logs=None):
        if self._weights is not None:
            self.model.set_weights(self._weights)


def fit_keeping_best(model: keras.Model, *args, monitor: str = "val_loss", mode: str = "min",
                     **kwargs) -> tuple[dict[str, list[float]], int]:
    """``model.fit(*args, **kwargs)`` with :class:`KeepBest`; return ``(history, best_epoch)``.

    ``history`` is Keras' ``History.history`` (one list per logged figure); the model ends with
    the weights of ``best_epoch`` (1-based). Verbosity defaults to silent.

    Introduced in chapter 06.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {describe(model)}")
    keep = KeepBest(monitor, mode)
    kwargs["callbacks"] = [*kwargs.get("callbacks", []), keep]
    kwargs.setdefault("verbose", 0)
    if args and isinstance(args[0], tf.data.Dataset):  # a pipeline shuffles itself
        kwargs.setdefault("shuffle", False)
    history = model.fit(*args, **kwargs).history
    return history, keep.best_epoch


def probabilities(model: keras.Model, x, *, batch_size: int = 1024) -> np.ndarray:
    """``softmax(model(x))`` over the last axis, as a float64 NumPy array, in inference mode.

    Introduced in chapter 07.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {describe(model)}")
    logits = model.predict(x, batch_size=batch_size, verbose=0)
    z = np.asarray(logits, dtype=np.float64)
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def stream_bits_per_char(model: keras.Model, ids: np.ndarray) -> float:
    """Bits per character of ``model`` on ``ids`` read as one stream from a zero state.

    The same measure as :func:`rnnbook.train.evaluate_bpc` for the NumPy model: every
    character after the first is predicted from everything before it.

    Introduced in chapter 06.
    """
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {describe(model)}")
    ids = check_ids("ids", ids, int(model.output_shape[-1]))
    if ids.size < 2:
        raise ValueError(f"ids must hold at least 2 characters to predict one, got {ids.size}")
    x = tf.constant(ids[None, :-1], dtype=tf.int32)
    y = tf.constant(ids[None, 1:], dtype=tf.int32)

    @tf.function
    def mean_bits(x, y):
        return tf.reduce_mean(bits_per_char(y, model(x, training=False)))

    return float(mean_bits(x, y))
