"""The NumPy training loops: text by epochs, and any task by a stream of minibatches.

Both are the seed's four steps (cut into time steps, forward, backward, gradient descent)
repeated over minibatches, and both stop with :class:`TrainingDivergedError` as soon as the loss,
the outputs or the parameters stop being finite, so a diverging run fails loudly instead of
printing ``nan`` for an hour.

- :func:`train_rnn` trains a character model on a corpus, epoch by epoch, with the state carried
  between batches (or reset), a validation figure per epoch, and optionally the parameters of the
  best epoch put back at the end;
- :func:`fit_steps` makes one update per minibatch of any iterable (fresh synthetic batches, or a
  corpus' batches in a cycle), with any loss that returns ``(loss, dlogits)``;
- :func:`evaluate_bpc` and :func:`evaluate_accuracy` score a model.

Introduced in chapter 01; assembled step by step in chapter 03.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from ._checks import check_float, check_ids, check_int, check_params, check_rng, describe
from .data import random_batches, sequential_batches
from .losses import _softmax_cross_entropy, bits, masked_accuracy, softmax_cross_entropy
from .optim import Optimizer, _global_norm, _scale_to
from .rnn import (
    PARAM_NAMES,
    _bptt,
    _check_activation,
    _check_forward_args,
    _forward,
    _shapes,
    forward,
)

__all__ = ["History", "StepHistory", "TrainingDivergedError", "evaluate_accuracy",
           "evaluate_bpc", "fit_steps", "progress_enabled", "train_rnn"]

LossFn = Callable[..., tuple[float, np.ndarray]]


class TrainingDivergedError(FloatingPointError):
    """The training loss became NaN or infinite (or passed a given bound).

    ``history`` holds what was recorded up to the update that diverged.

    Introduced in chapter 05.
    """

    def __init__(self, message: str, history: StepHistory | History | None = None):
        super().__init__(message)
        self.history = history


def progress_enabled() -> bool:
    """Whether to draw progress bars: not under CI (``$CI`` set) and only on a terminal."""
    return not os.environ.get("CI") and sys.stdout.isatty()


@dataclass
class History:
    """Per-epoch figures of a :func:`train_rnn` run, in bits per character."""

    epoch: list[int] = field(default_factory=list)
    train_bpc: list[float] = field(default_factory=list)
    val_bpc: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # mean pre-clipping global norm
    clipped_share: list[float] = field(default_factory=list)  # share of updates clipped
    best_epoch: int | None = None  # epoch with the lowest validation figure


@dataclass
class StepHistory:
    """Per-update figures of a :func:`fit_steps` run: the loss (in the loss function's units,
    nats for cross-entropy) and the gradient's global norm before clipping."""

    loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)


def _diverged(where: str, what: str, history) -> TrainingDivergedError:
    return TrainingDivergedError(
        f"{what} at {where}; lower the learning rate or clip the gradients (clip_norm)",
        history)


def _update(params, X, targets, h0, *, loss_fn, optimizer, clip_norm, truncate, activation,
            where, history):
    """One step of gradient descent on one minibatch: ``(loss, pre-clipping norm, h_last)``.

    Every guard against divergence lives here: outputs, loss, gradients and parameters must
    stay finite.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        logits, cache = _forward(params, X, h0, activation)
    if not np.isfinite(logits).all():
        raise _diverged(where, "the outputs became non-finite", history)
    loss, dlogits = loss_fn(logits, *targets)
    grads, _ = _bptt(params, cache, dlogits, truncate)
    norm = _global_norm(grads)
    if not (np.isfinite(loss) and np.isfinite(norm)):
        raise _diverged(where, f"loss became {loss} (gradient norm {norm})", history)
    if clip_norm is not None:
        grads = _scale_to(grads, norm, clip_norm)
    optimizer._apply(params, grads)
    if not all(np.isfinite(value).all() for value in params.values()):
        raise _diverged(where, "parameters became non-finite after the update", history)
    return loss, norm, cache.h_last


def _check_loop_args(params, optimizer, clip_norm, truncate, activation="tanh"):
    check_params("params", params, PARAM_NAMES)
    _shapes(params)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an rnnbook.optim Optimizer, got {describe(optimizer)}")
    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, positive=True)
    if truncate is not None:
        truncate = check_int("truncate", truncate, minimum=1)
    _check_activation(activation)
    return clip_norm, truncate


def _record_epoch(history: History, epoch: int, epochs: int, losses: list[float],
                  norms: list[float], clip_norm: float | None, val_bpc: float | None) -> str:
    """Append one epoch's figures to ``history`` (mean loss in bits, mean gradient norm, share
    of updates clipped, the validation figure and whether it is the best so far); return the
    epoch's log line."""
    history.epoch.append(epoch)
    history.train_bpc.append(bits(float(np.mean(losses))))
    history.grad_norm.append(float(np.mean(norms)))
    clipped = sum(n > clip_norm for n in norms) if clip_norm is not None else 0
    history.clipped_share.append(clipped / len(norms))
    line = f"epoch {epoch:>3}/{epochs}: train {history.train_bpc[-1]:.3f} bits/char"
    if val_bpc is not None:
        history.val_bpc.append(val_bpc)
        line += f", validation {val_bpc:.3f} bits/char"
        if history.best_epoch is None or val_bpc < min(history.val_bpc[:-1]):
            history.best_epoch = epoch
    return line


def fit_steps(params: dict[str, np.ndarray], batches: Iterable[tuple], *,
              optimizer: Optimizer, loss_fn: LossFn = softmax_cross_entropy,
              clip_norm: float | None = None, truncate: int | None = None,
              activation: str = "tanh", carry_state: bool = False,
              diverge_above: float | None = None) -> StepHistory:
    """Train ``params`` in place, one update per minibatch of ``batches``; return the record.

    Each batch is a tuple ``(X, *targets)``; the update computes
    ``loss, dlogits = loss_fn(logits, *targets)``. The default, softmax cross-entropy, takes
    ``(X, Y)`` or ``(X, Y, mask)`` (targets only where ``mask`` is True, as the synthetic tasks of
    :mod:`rnnbook.tasks` give them); :func:`rnnbook.losses.last_step_squared_error` takes
    ``(X, y)``. With ``carry_state`` each batch starts from the previous batch's final state
    (a corpus read in order), else from zeros. ``clip_norm`` clips by global norm.
    ``diverge_above`` stops with :class:`TrainingDivergedError` once a loss exceeds it (as it
    does, always, when anything becomes NaN or infinite).

    Introduced in chapter 02.
    """
    clip_norm, truncate = _check_loop_args(params, optimizer, clip_norm, truncate, activation)
    if diverge_above is not None:
        diverge_above = check_float("diverge_above", diverge_above)
    history, h = StepHistory(), None
    for i, batch in enumerate(batches):
        if not isinstance(batch, tuple) or len(batch) < 2:
            raise TypeError(f"each batch must be a tuple (X, *targets), got {describe(batch)}")
        X, h0 = _check_forward_args(params, batch[0], h if carry_state else None, activation)
        loss, norm, h = _update(params, X, batch[1:], h0, loss_fn=loss_fn, optimizer=optimizer,
                                clip_norm=clip_norm, truncate=truncate, activation=activation,
                                where=f"update {i + 1}", history=history)
        history.loss.append(loss)
        history.grad_norm.append(norm)
        if diverge_above is not None and loss > diverge_above:
            raise TrainingDivergedError(
                f"loss {loss:.3g} passed {diverge_above:.3g} at update {i + 1}", history)
    return history


def evaluate_bpc(params: dict[str, np.ndarray], ids: np.ndarray, *,
                 chunk: int = 4096) -> float:
    """Cross-entropy in bits per character of the model on ``ids``.

    The text is read as one stream from a zero state, so every character after the first is
    predicted from everything before it; ``chunk`` only bounds memory (the state is carried
    across chunks), not the result. Introduced in chapter 04.
    """
    check_params("params", params, PARAM_NAMES)
    _shapes(params)
    ids = check_ids("ids", ids, params["W"].shape[1])
    if ids.size < 2:
        raise ValueError(f"ids must hold at least 2 characters to predict one, got {ids.size}")
    chunk = check_int("chunk", chunk, minimum=1)
    return _evaluate_bpc(params, ids, chunk)


def _evaluate_bpc(params, ids, chunk=4096):
    total = 0.0
    h = np.zeros((1, params["W"].shape[0]), dtype=params["W"].dtype)
    for start in range(0, ids.size - 1, chunk):
        Y = ids[None, start + 1:start + 1 + chunk]
        X = ids[None, start:start + Y.shape[1]]
        logits, cache = _forward(params, X, h, "tanh")
        loss, _ = _softmax_cross_entropy(logits, Y, None)
        total += loss * Y.size
        h = cache.h_last
    return bits(total / (ids.size - 1))


def evaluate_accuracy(params: dict[str, np.ndarray], X: np.ndarray, Y: np.ndarray,
                      mask: np.ndarray | None = None, *, activation: str = "tanh") -> float:
    """Share of the positions (those ``mask`` keeps) where the model's top class is ``Y``.

    Introduced in chapter 02.
    """
    logits, _ = forward(params, X, activation=activation)
    return masked_accuracy(logits, Y, mask)


def train_rnn(params: dict[str, np.ndarray], train_ids: np.ndarray,
              val_ids: np.ndarray | None = None, *, optimizer: Optimizer, epochs: int,
              batch_size: int, num_steps: int, clip_norm: float | None = None,
              partition: str = "sequential", truncate: int | None = None,
              log_every: int = 1, restore_best: bool = False,
              rng: np.random.Generator | int | None = None,
              on_epoch: Callable[[int, dict[str, np.ndarray]], None] | None = None,
              log: Callable[[str], None] = print) -> History:
    """Train ``params`` in place by minibatch gradient descent; return a :class:`History`.

    ``partition`` is ``"sequential"`` (hidden state carried between batches, detached) or
    ``"random"`` (state reset for every batch). Each epoch starts at a random offset so the
    windows differ from epoch to epoch. ``clip_norm`` clips by global norm. A line is logged
    every ``log_every`` epochs; ``on_epoch(epoch, params)`` is called after each epoch.
    With ``restore_best=True`` (needs ``val_ids``) the parameters of the epoch with the lowest
    validation cross-entropy are put back at the end: early stopping without a restart.

    Introduced in chapter 01.
    """
    clip_norm, truncate = _check_loop_args(params, optimizer, clip_norm, truncate)
    input_size = params["W"].shape[1]
    train_ids = check_ids("train_ids", train_ids, input_size)
    if val_ids is not None:
        val_ids = check_ids("val_ids", val_ids, input_size)
        if val_ids.size < 2:
            raise ValueError(f"val_ids must hold at least 2 characters, got {val_ids.size}")
    batch_size = check_int("batch_size", batch_size, minimum=1)
    num_steps = check_int("num_steps", num_steps, minimum=1)
    if train_ids.size < batch_size * num_steps + num_steps:
        raise ValueError(f"train_ids of length {train_ids.size} is too short for batch_size="
                         f"{batch_size} and num_steps={num_steps} (needs at least "
                         f"{batch_size * num_steps + num_steps})")
    epochs = check_int("epochs", epochs, minimum=1)
    log_every = check_int("log_every", log_every, minimum=1)
    if restore_best and val_ids is None:
        raise ValueError("restore_best=True needs val_ids to choose the best epoch")
    if partition not in ("sequential", "random"):
        raise ValueError(f"partition must be 'sequential' or 'random', got {partition!r}")
    rng = check_rng("rng", rng)
    history, best = History(), None
    for epoch in range(1, epochs + 1):
        offset = int(rng.integers(num_steps))
        if partition == "sequential":
            batches = list(sequential_batches(train_ids, batch_size, num_steps, offset=offset))
        else:
            batches = list(random_batches(train_ids, batch_size, num_steps, rng=rng,
                                          offset=offset))
        h, losses, norms = None, [], []
        for i, (X, Y) in enumerate(tqdm(batches, desc=f"epoch {epoch}", leave=False,
                                        disable=not progress_enabled())):
            h0 = np.zeros((batch_size, params["W"].shape[0]), params["W"].dtype) \
                if h is None else h
            loss, norm, h_last = _update(
                params, X, (Y, None), h0, loss_fn=_softmax_cross_entropy, optimizer=optimizer,
                clip_norm=clip_norm, truncate=truncate, activation="tanh",
                where=f"epoch {epoch}, batch {i + 1}/{len(batches)}", history=history)
            h = h_last if partition == "sequential" else None
            losses.append(loss)
            norms.append(norm)
        val = None if val_ids is None else _evaluate_bpc(params, val_ids)
        line = _record_epoch(history, epoch, epochs, losses, norms, clip_norm, val)
        if restore_best and history.best_epoch == epoch:
            best = {k: v.copy() for k, v in params.items()}
        if on_epoch is not None:
            on_epoch(epoch, params)
        if epoch % log_every == 0 or epoch == epochs:
            log(line)
    if best is not None:
        for key, value in best.items():
            params[key][...] = value
    return history
