"""The book's figure style, its colour scheme, and the figures that several chapters draw.

Each function draws on a Matplotlib ``Axes`` (a new figure when ``ax`` is None), sets a title
and labelled axes with units, and returns the ``Axes``. A figure that only one chapter draws is
drawn in that chapter, in this style (:func:`use_book_style`, :data:`PALETTE`,
:func:`new_axes`), where the reader sees how. Introduced in chapter 01.
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


def new_axes(ax=None, **subplots_kw):
    """``ax`` itself, or the ``Axes`` of a new figure (``plt.subplots(**subplots_kw)``) when
    ``ax`` is None: how every figure function starts. Introduced in chapter 01."""
    if ax is None:
        _, ax = plt.subplots(**subplots_kw)
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


def _check_curves(name: str, curves: object, colours: list[str], what: str = "curves") -> list[str]:
    """Check that ``curves`` is a non-empty mapping with at most one entry per colour; return
    the colours to use, in order."""
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"{name} must be a non-empty dict, got {describe(curves)}")
    if len(curves) > len(colours):
        raise ValueError(f"{name} may hold at most {len(colours)} {what}, got {len(curves)}")
    return colours[:len(curves)]


def plot_learning_curves(epochs: Sequence[int], train_bpc: Sequence[float],
                         val_bpc: Sequence[float] | None = None, *,
                         references: Mapping[str, float] | None = None,
                         title: str = "Learning curves", ax=None):
    """Training (and validation) cross-entropy in bits per character against epoch, with
    optional horizontal reference lines (for instance a baseline's validation figure).

    Introduced in chapter 01.
    """
    x = _check_series("epochs", epochs)
    ax = new_axes(ax)
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


def plot_distributions(chars: Sequence[str], probs: Mapping[str, np.ndarray], *, top: int = 12,
                       title: str = "Next-character distribution", ax=None):
    """Grouped bars of several distributions over the same characters, for the ``top`` most
    likely under the first distribution. Introduced in chapter 03.
    """
    colours = _check_curves("probs", probs, [PALETTE["train"], PALETTE["validation"],
                                             PALETTE["rnn"], PALETTE["highlight"]],
                            what="distributions")
    first = _check_series("first distribution", next(iter(probs.values())), len(chars))
    order = np.argsort(first)[::-1][:top]
    ax = new_axes(ax)
    width = 0.8 / len(probs)
    for i, ((label, p), colour) in enumerate(zip(probs.items(), colours, strict=False)):
        p = _check_series(f"probs[{label!r}]", p, len(chars))
        ax.bar(np.arange(order.size) + i * width, p[order], width, color=colour, label=label)
    ax.set_xticks(np.arange(order.size) + width * (len(probs) - 1) / 2)
    ax.set_xticklabels([{"\n": "⏎", " ": "␣"}.get(chars[i], chars[i]) for i in order],
                       family="monospace")
    ax.set(title=title, xlabel="next character", ylabel="probability")
    ax.legend()
    return ax


def plot_curves(curves: Mapping[str, Sequence[float]], *, xlabel: str = "update",
                         ylabel: str = "training loss (bits/char)", logy: bool = False,
                         x: Sequence[float] | None = None,
                         title: str = "Training curves",
                         styles: Mapping[str, tuple[str, str]] | None = None, ax=None):
    """Several curves against the update (or epoch) number, one line each; ``logy`` draws the
    y-axis on a log scale (for runs that blow up), ``x`` replaces 1, 2, 3, ... as x values
    (curves may be shorter than ``x``: a run that stopped early). Introduced in chapter 04.

    ``styles`` maps some of the labels to ``(colour, linestyle)``, to group curves that belong
    together (one colour per model, dashed before training and solid after: chapter 09); the
    other curves keep the default colours, solid.
    """
    colours = _check_curves("curves", curves, [PALETTE["train"], PALETTE["validation"],
                                               PALETTE["rnn"], PALETTE["highlight"],
                                               PALETTE["baseline"], PALETTE["test"]])
    styles = {} if styles is None else styles
    if not isinstance(styles, Mapping):
        raise TypeError(f"styles must be a dict or None, got {describe(styles)}")
    for label, style in styles.items():
        if label not in curves:
            raise ValueError(f"styles has the label {label!r}, which curves does not")
        if not (isinstance(style, tuple) and len(style) == 2
                and all(isinstance(s, str) for s in style)):
            raise TypeError(f"styles[{label!r}] must be a (colour, linestyle) pair of strings, "
                            f"got {describe(style)}")
    ax = new_axes(ax)
    for (label, values), colour in zip(curves.items(), colours, strict=False):
        y = _check_series(f"curves[{label!r}]", values)
        xs = np.arange(1, y.size + 1) if x is None else _check_series("x", x)[:y.size]
        if xs.size != y.size:
            raise ValueError(f"curves[{label!r}] has {y.size} values but x only {xs.size}")
        colour, linestyle = styles.get(label, (colour, "-"))
        ax.plot(xs, y, lw=1.2, color=colour, linestyle=linestyle, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend()
    return ax
