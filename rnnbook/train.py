"""A small training loop for the NumPy RNN, with evaluation in bits per character.

The loop is the seed's four steps (cut into time steps, forward, backward, gradient descent)
repeated over minibatches. It stops with :class:`TrainingDivergedError` as soon as the loss is
NaN or infinite, so a diverging run fails loudly instead of printing ``nan`` for an hour.

Introduced in chapter 01; assembled step by step in chapter 03.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from ._checks import check_float, check_ids, check_int, check_params, check_rng, describe
from .data import random_batches, sequential_batches
from .optim import Optimizer, clip_by_global_norm, global_norm
from .rnn import PARAM_NAMES, bptt, forward, softmax_cross_entropy

LN2 = math.log(2.0)


class TrainingDivergedError(FloatingPointError):
    """The training loss became NaN or infinite."""


def bits(nats: float) -> float:
    """Convert a cross-entropy from nats to bits. Introduced in chapter 01."""
    return nats / LN2


def progress_enabled() -> bool:
    """Whether to draw progress bars: not under CI (``$CI`` set) and only on a terminal."""
    return not os.environ.get("CI") and sys.stdout.isatty()


@dataclass
class History:
    """Per-epoch figures of a training run, in bits per character."""

    epoch: list[int] = field(default_factory=list)
    train_bpc: list[float] = field(default_factory=list)
    val_bpc: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)  # mean pre-clipping global norm
    clipped: list[float] = field(default_factory=list)  # share of updates that were clipped
    best_epoch: int | None = None  # epoch with the lowest validation figure


def evaluate_bpc(params: dict[str, np.ndarray], ids: np.ndarray, *,
                 chunk: int = 4096) -> float:
    """Cross-entropy in bits per character of the model on ``ids``.

    The text is read as one stream from a zero state, so every character after the first is
    predicted from everything before it; ``chunk`` only bounds memory (the state is carried
    across chunks), not the result. Introduced in chapter 01.
    """
    check_params("params", params, PARAM_NAMES)
    ids = check_ids("ids", ids, params["W"].shape[1])
    if ids.size < 2:
        raise ValueError(f"ids must hold at least 2 characters to predict one, got {ids.size}")
    chunk = check_int("chunk", chunk, minimum=1)
    total, h = 0.0, None
    for start in range(0, ids.size - 1, chunk):
        X = ids[None, start:start + chunk]
        Y = ids[None, start + 1:start + 1 + chunk]
        X = X[:, :Y.shape[1]]
        logits, cache = forward(params, X, h)
        loss, _ = softmax_cross_entropy(logits, Y)
        total += loss * Y.size
        h = cache.h_last
    return bits(total / (ids.size - 1))


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
    check_params("params", params, PARAM_NAMES)
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
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an rnnbook.optim Optimizer, got {describe(optimizer)}")
    epochs = check_int("epochs", epochs, minimum=1)
    log_every = check_int("log_every", log_every, minimum=1)
    if restore_best and val_ids is None:
        raise ValueError("restore_best=True needs val_ids to choose the best epoch")
    if partition not in ("sequential", "random"):
        raise ValueError(f"partition must be 'sequential' or 'random', got {partition!r}")
    if clip_norm is not None:
        clip_norm = check_float("clip_norm", clip_norm, positive=True)
    if truncate is not None:
        truncate = check_int("truncate", truncate, minimum=1)
    rng = check_rng("rng", rng)
    history = History()
    best = None
    for epoch in range(1, epochs + 1):
        offset = int(rng.integers(num_steps))
        if partition == "sequential":
            batches = list(sequential_batches(train_ids, batch_size, num_steps, offset=offset))
        else:
            batches = list(random_batches(train_ids, batch_size, num_steps, rng=rng,
                                          offset=offset))
        h = None
        losses, norms, clips = [], [], 0
        for i, (X, Y) in enumerate(tqdm(batches, desc=f"epoch {epoch}", leave=False,
                                        disable=not progress_enabled())):
            logits, cache = forward(params, X, h)
            if not np.isfinite(logits).all():
                raise TrainingDivergedError(
                    f"the outputs became non-finite at epoch {epoch}, batch {i + 1}/"
                    f"{len(batches)}; lower the learning rate or clip the gradients (clip_norm)")
            loss, dlogits = softmax_cross_entropy(logits, Y)
            grads = bptt(params, cache, dlogits, truncate=truncate)
            h_last = cache.h_last
            norm = global_norm(grads)
            if not (np.isfinite(loss) and np.isfinite(norm)):
                raise TrainingDivergedError(
                    f"loss became {loss} (gradient norm {norm}) at epoch {epoch}, batch "
                    f"{i + 1}/{len(batches)}; lower the learning rate or clip the gradients "
                    "(clip_norm)")
            if clip_norm is not None:
                grads, _ = clip_by_global_norm(grads, clip_norm)
                clips += norm > clip_norm
            optimizer.step(params, grads)
            if not all(np.isfinite(value).all() for value in params.values()):
                raise TrainingDivergedError(
                    f"parameters became non-finite after the update at epoch {epoch}, batch "
                    f"{i + 1}/{len(batches)}; lower the learning rate")
            h = h_last if partition == "sequential" else None
            losses.append(loss)
            norms.append(norm)
        history.epoch.append(epoch)
        history.train_bpc.append(bits(float(np.mean(losses))))
        history.grad_norm.append(float(np.mean(norms)))
        history.clipped.append(clips / len(batches))
        line = f"epoch {epoch:>3}/{epochs}: train {history.train_bpc[-1]:.3f} bits/char"
        if val_ids is not None:
            history.val_bpc.append(evaluate_bpc(params, val_ids))
            line += f", validation {history.val_bpc[-1]:.3f} bits/char"
            if history.best_epoch is None or history.val_bpc[-1] < min(history.val_bpc[:-1]):
                history.best_epoch = epoch
                if restore_best:
                    best = {k: v.copy() for k, v in params.items()}
        if on_epoch is not None:
            on_epoch(epoch, params)
        if epoch % log_every == 0 or epoch == epochs:
            log(line)
    if best is not None:
        for key, value in best.items():
            params[key][...] = value
    return history
