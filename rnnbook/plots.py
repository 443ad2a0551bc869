"""Every figure of the book, in one style and one colour scheme.

Each function draws on a Matplotlib ``Axes`` (a new figure when ``ax`` is None), sets a title
and labelled axes with units, and returns the ``Axes``. Introduced in chapter 01.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from ._checks import describe

#: One colour per role, used the same way in every chapter (colour-blind safe, Okabe-Ito).
PALETTE = {
    "train": "#0072B2",
    "validation": "#E69F00",
    "test": "#009E73",
    "rnn": "#D55E00",
    "baseline": "#56B4E9",
    "reference": "#999999",
    "highlight": "#CC79A7",
}


def use_book_style() -> None:
    """Set the book's Matplotlib style: small PNG figures, grid, readable fonts.

    Introduced in chapter 01; called in the setup cell of every chapter.
    """
    mpl.rcParams.update({
        "figure.figsize": (6.4, 3.6),
        "figure.dpi": 90,
        "savefig.dpi": 90,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    })


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, mpl.axes.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {describe(ax)}")
    return ax


def _check_series(name: str, values: object, length: int | None = None) -> np.ndarray:
    if not isinstance(values, (Sequence, np.ndarray)) or isinstance(values, str):
        raise TypeError(f"{name} must be a sequence of numbers, got {describe(values)}")
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {arr.shape}")
    if length is not None and arr.size != length:
        raise ValueError(f"{name} must have length {length}, got {arr.size}")
    return arr


def plot_learning_curves(epochs: Sequence[int], train_bpc: Sequence[float],
                         val_bpc: Sequence[float] | None = None, *,
                         references: Mapping[str, float] | None = None,
                         title: str = "Learning curves", ax=None):
    """Training (and validation) cross-entropy in bits per character against epoch, with
    optional horizontal reference lines (for instance a baseline's validation figure).

    Introduced in chapter 01.
    """
    x = _check_series("epochs", epochs)
    ax = _axes(ax)
    ax.plot(x, _check_series("train_bpc", train_bpc, x.size), marker="o", ms=3,
            color=PALETTE["train"], label="training")
    if val_bpc is not None:
        ax.plot(x, _check_series("val_bpc", val_bpc, x.size), marker="o", ms=3,
                color=PALETTE["validation"], label="validation")
    for i, (label, value) in enumerate((references or {}).items()):
        ax.axhline(float(value), ls="--", lw=1, color=PALETTE["reference"] if i else
                   PALETTE["baseline"], label=label)
    ax.set(title=title, xlabel="epoch", ylabel="cross-entropy (bits/char)")
    ax.legend()
    return ax


def plot_bits_vs_context(curves: Mapping[str, tuple[Sequence[int], Sequence[float]]], *,
                         references: Mapping[str, float] | None = None,
                         title: str = "How much context does each model use?", ax=None):
    """Bits per character against the number of context characters a model may look at,
    one line per ``label: (context_lengths, bpc)``, with horizontal reference lines.

    The x-axis is logarithmic (symlog, so that a context of 0 stays visible).
    Introduced in chapter 01.
    """
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty dict of (x, y) pairs, got {describe(curves)}")
    colours = [PALETTE["train"], PALETTE["validation"], PALETTE["rnn"], PALETTE["highlight"]]
    if len(curves) > len(colours):
        raise ValueError(f"curves may hold at most {len(colours)} curves, got {len(curves)}")
    ax = _axes(ax)
    for (label, pair), colour in zip(curves.items(), colours, strict=False):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"curves[{label!r}] must be a pair (x, y), got {describe(pair)}")
        x = _check_series(f"curves[{label!r}][0]", pair[0])
        ax.plot(x, _check_series(f"curves[{label!r}][1]", pair[1], x.size), marker="o", ms=4,
                color=colour, label=label)
    styles = [(PALETTE["rnn"], "--"), (PALETTE["reference"], ":"), (PALETTE["baseline"], "-.")]
    if len(references or {}) > len(styles):
        raise ValueError(f"references may hold at most {len(styles)} lines, "
                         f"got {len(references)}")
    for (label, value), (colour, style) in zip((references or {}).items(), styles, strict=False):
        ax.axhline(float(value), ls=style, lw=1.2, color=colour, label=label)
    ax.set_xscale("symlog", linthresh=1, linscale=0.5)  # 0 (no context) stays on the axis
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_xlim(left=-0.3)  # no empty negative half of the symlog axis
    ticks = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256]
    ax.set_xticks([t for t in ticks if t <= ax.get_xlim()[1]])
    ax.xaxis.set_major_formatter(mpl.ticker.ScalarFormatter())
    ax.set(title=title, xlabel="context length (characters, log scale)",
           ylabel="cross-entropy (bits/char)")
    ax.legend()
    return ax


def plot_surprisal(text: str, surprisals: Mapping[str, Sequence[float]], *,
                   title: str = "Surprisal per character", ax=None):
    """Per-character surprisal ``-log2 p`` of several models along a short passage, with the
    passage's characters as tick labels.

    Introduced in chapter 01.
    """
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {describe(text)}")
    if not isinstance(surprisals, Mapping) or not surprisals:
        raise TypeError(f"surprisals must be a non-empty dict of sequences, "
                        f"got {describe(surprisals)}")
    colours = [PALETTE["baseline"], PALETTE["rnn"], PALETTE["reference"], PALETTE["highlight"]]
    if len(surprisals) > len(colours):
        raise ValueError(f"surprisals may hold at most {len(colours)} models, "
                         f"got {len(surprisals)}")
    ax = _axes(ax)
    for (label, values), colour in zip(surprisals.items(), colours, strict=False):
        ax.plot(_check_series(f"surprisals[{label!r}]", values, len(text)),
                drawstyle="steps-mid", color=colour, label=label)
    ax.set_xticks(range(len(text)))
    ax.set_xticklabels(["⏎" if ch == "\n" else ("␣" if ch == " " else ch) for ch in text],
                       fontsize=7, family="monospace")
    ax.grid(axis="x", visible=False)
    ax.set(title=title, xlabel="character", ylabel="surprisal (bits)")
    ax.legend(loc="upper right")
    return ax
